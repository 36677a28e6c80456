// Runs `jupyter-events serve` as a child process: its first stdout line, signals, and its
// exit code, each with a deadline.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace je_test {

class server_process {
public:
    using clock = std::chrono::steady_clock;

    /// Starts JE_CLI with `args`; stderr goes to `err_file`. Returns false when the
    /// process cannot start.
    bool spawn(const std::vector<std::string>& args, const std::filesystem::path& err_file) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) return false;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
        posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<std::string> all{JE_CLI};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        const int rc = posix_spawn(&pid_, JE_CLI, &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(fds[1]);
        out_fd_ = fds[0];
        if (rc != 0) pid_ = -1;
        return rc == 0;
    }

    /// The first line the server printed on stdout, "" if none came within `wait`.
    std::string first_line(std::chrono::milliseconds wait) {
        const auto deadline = clock::now() + wait;
        std::string line;
        while (line.find('\n') == std::string::npos) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
            if (left <= 0) return {};
            pollfd p{out_fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
            char c[256];
            const ssize_t n = ::read(out_fd_, c, sizeof c);
            if (n <= 0) return {};
            line.append(c, static_cast<std::size_t>(n));
        }
        return line.substr(0, line.find('\n'));
    }

    void signal(int sig) const {
        if (pid_ > 0) ::kill(pid_, sig);
    }

    /// The exit code, or -1 if it did not exit within `wait` (it is then killed) or died of
    /// a signal.
    int wait_exit(std::chrono::milliseconds wait) {
        const auto deadline = clock::now() + wait;
        while (pid_ > 0) {
            int status = 0;
            const pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            if (clock::now() > deadline) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        kill_now();
        return -1;
    }

    ~server_process() {
        kill_now();
        if (out_fd_ >= 0) ::close(out_fd_);
    }

private:
    void kill_now() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

    pid_t pid_ = -1;
    int out_fd_ = -1;
};

}  // namespace je_test
