// Fault injection: a full disk beside a healthy handler, a log directory that becomes
// unwritable mid-run, a syslog target that disappears (and one that stops reading) and
// comes back, and a writer killed with SIGKILL. In each: the caller is never blocked
// beyond policy (the worst record_event latency is measured and bounded generously: a
// correctness bound, not a performance figure), the failure is counted and reported, the
// other handlers keep receiving every event, and writing resumes once the fault is gone.
#include "detail/sinks.hpp"

#include <jupyter_events/event_logger.hpp>

#include "handler_support.hpp"
#include "test_support.hpp"

#include <boost/json/parse.hpp>

#include <gmock/gmock.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

extern char** environ;

namespace je = jupyter_events;
namespace json = boost::json;
namespace logging = boost::log;
using namespace je_test;
using ::testing::HasSubstr;
using clock_type = std::chrono::steady_clock;

namespace {

const std::string f_id = "https://example.org/fault";
const char* const f_schema = R"({"$id": "https://example.org/fault", "version": "1", "type": "object",
  "properties": {"i": {"type": "integer"}, "pad": {"type": "string"}}})";

// The worst latency a caller may see: the syslog send timeout is 1 s; everything else
// fails at once. Generous, for loaded and sanitized runs.
constexpr auto latency_bound = std::chrono::milliseconds(1500);

// Records events numbered from `first`, remembering each outcome and the worst latency.
struct recorder {
    explicit recorder(je::event_logger& l) : logger(l) {}
    je::event_logger& logger;
    std::map<int, je::record_outcome> outcomes;
    clock_type::duration worst{};

    void record(int first, int count) {
        for (int i = first; i < first + count; ++i) {
            const auto start = clock_type::now();
            auto out = logger.try_record_event(f_id, "1", json::object{{"i", i}});
            worst = std::max(worst, clock_type::now() - start);
            outcomes[i] = std::move(out);
        }
    }
    std::set<int> with(je::errc code) const {
        std::set<int> out;
        for (const auto& kv : outcomes)
            if (kv.second.code == code) out.insert(kv.first);
        return out;
    }
    double worst_ms() const { return std::chrono::duration<double, std::milli>(worst).count(); }
};

// The event numbers in `files`; a number seen twice fails the test.
std::set<int> events_in(const std::vector<fs::path>& files) {
    std::set<int> out;
    for (const auto& f : files) {
        std::error_code ec;
        if (!fs::exists(f, ec)) continue;
        for (const auto& line : lines(read(f))) {
            boost::system::error_code jec;
            const auto v = json::parse(line, jec);
            if (jec || !v.is_object() || !v.as_object().contains("i")) {
                ADD_FAILURE() << f << ": not a complete event: " << line;
                continue;
            }
            const int i = static_cast<int>(v.at("i").as_int64());
            EXPECT_TRUE(out.insert(i).second) << f << ": event " << i << " written twice";
        }
    }
    return out;
}

std::vector<fs::path> files_under(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec))
        if (e.is_regular_file()) out.push_back(e.path());
    return out;
}

std::set<int> range(int first, int count) {
    std::set<int> out;
    for (int i = first; i < first + count; ++i) out.insert(i);
    return out;
}

// Error handler messages, with when they came.
struct captured_reports {
    std::mutex mutex;
    std::vector<std::pair<clock_type::time_point, std::string>> messages;
    je::error_handler_fn handler() {
        return [this](std::string_view m) {
            std::lock_guard<std::mutex> lock(mutex);
            messages.emplace_back(clock_type::now(), std::string(m));
        };
    }
    std::vector<std::string> texts() {
        std::lock_guard<std::mutex> lock(mutex);
        std::vector<std::string> out;
        for (auto& m : messages) out.push_back(m.second);
        return out;
    }
    // The most reports that fell within any one-second window.
    std::size_t most_in_a_second() {
        std::lock_guard<std::mutex> lock(mutex);
        std::size_t most = 0;
        for (std::size_t a = 0; a < messages.size(); ++a) {
            std::size_t n = 0;
            for (std::size_t b = a; b < messages.size() && messages[b].first - messages[a].first < std::chrono::seconds(1);
                 ++b)
                ++n;
            most = std::max(most, n);
        }
        return most;
    }
};

// A datagram socket standing in for a syslog daemon: UDP on 127.0.0.1 or a Unix socket.
class fake_daemon {
public:
    static fake_daemon udp(std::uint16_t port = 0) {
        fake_daemon d;
        d.fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(port);
        if (::bind(d.fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            d.stop();
            return d;
        }
        socklen_t len = sizeof addr;
        ::getsockname(d.fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        d.port_ = ntohs(addr.sin_port);
        return d;
    }
    static fake_daemon local(const fs::path& path) {
        fake_daemon d;
        d.path_ = path;
        d.fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
        if (::bind(d.fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) d.stop();
        return d;
    }
    fake_daemon(fake_daemon&& o) noexcept : fd_(o.fd_), port_(o.port_), path_(std::move(o.path_)) { o.fd_ = -1; }
    fake_daemon& operator=(fake_daemon&& o) noexcept {
        stop();
        fd_ = std::exchange(o.fd_, -1);
        port_ = o.port_;
        path_ = std::move(o.path_);
        return *this;
    }
    ~fake_daemon() { stop(); }

    bool ok() const { return fd_ >= 0; }
    std::uint16_t port() const { return port_; }
    // The daemon goes away: its port closes, its socket file disappears.
    void stop() {
        if (fd_ < 0) return;
        ::close(fd_);
        fd_ = -1;
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    // The messages received within `wait` (stops early once `count` arrived).
    std::vector<std::string> receive(std::size_t count, std::chrono::milliseconds wait = std::chrono::milliseconds(3000)) {
        std::vector<std::string> out;
        const auto deadline = clock_type::now() + wait;
        while (out.size() < count && clock_type::now() < deadline) {
            timeval tv{0, 50000};
            ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            char buf[65536];
            const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n > 0) out.emplace_back(buf, static_cast<std::size_t>(n));
        }
        return out;
    }

private:
    fake_daemon() = default;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    fs::path path_;
};

class fault_test : public boost_log_fixture {
protected:
    temp_dir dir;
};

// --- a full disk --------------------------------------------------------------------------

TEST_F(fault_test, full_disk_fails_its_handler_only) {
    const fs::path good = dir.path / "good.jsonl";
    captured_reports reports;  // the flushes' failures (no caller to tell) go here; outlives the logger
    je::event_logger logger{logger_with({handler("full", "TextFile", {{"FileName", "/dev/full"}, {"AutoFlush", "true"}}),
                                         handler("good", "TextFile", {{"FileName", good.string()}})})};
    logger.set_error_handler(reports.handler());
    logger.register_schema_text(f_schema);
    recorder r(logger);
    r.record(0, 200);
    // Synchronous: each caller is told (write_failed, exit 74, HTTP 503), at once.
    EXPECT_EQ(r.with(je::errc::write_failed), range(0, 200));
    EXPECT_THAT(r.outcomes[7].message,
                HasSubstr("record event: a handler failed to write (handler full: /dev/full: No space left on device)"));
    EXPECT_LT(r.worst, latency_bound) << r.worst_ms() << " ms";
    logger.flush();
    EXPECT_EQ(events_in({good}), range(0, 200)) << "the healthy handler must get every event";
    const auto hs = logger.handlers();
    ASSERT_EQ(hs.size(), 2u);
    EXPECT_GE(hs[0].write_errors, 200u);  // and the flush that found the disk still full
    EXPECT_EQ(hs[1].write_errors, 0u);
    EXPECT_EQ(logger.stats().write_errors, 200u);  // events
    std::printf("[ fault    ] /dev/full, synchronous: worst record_event %.3f ms\n", r.worst_ms());
}

TEST_F(fault_test, full_disk_behind_a_queue_is_reported_at_most_ten_times_a_second) {
    const fs::path good = dir.path / "good.jsonl";
    captured_reports reports;
    je::event_logger logger{logger_with(
        {handler("full", "TextFile", {{"FileName", "/dev/full"}, {"AutoFlush", "true"}, {"Asynchronous", "true"}}),
         handler("good", "TextFile", {{"FileName", good.string()}})})};
    logger.set_error_handler(reports.handler());
    logger.register_schema_text(f_schema);
    recorder r(logger);
    const auto start = clock_type::now();
    r.record(0, 500);
    logger.flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the next interval
    r.record(500, 500);
    logger.flush();
    // Asynchronous: the caller cannot be told; every failure is counted, and reported
    // through the error handler at most 10 times a second, with the number suppressed.
    EXPECT_EQ(r.with(je::errc::ok), range(0, 1000));
    EXPECT_LT(r.worst, latency_bound) << r.worst_ms() << " ms";
    EXPECT_GE(logger.handlers()[0].write_errors, 1000u);  // every record, and the flushes
    EXPECT_EQ(events_in({good}), range(0, 1000));
    const auto texts = reports.texts();
    ASSERT_FALSE(texts.empty());
    EXPECT_THAT(texts[0], HasSubstr("handler full: /dev/full: No space left on device"));
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    EXPECT_LE(reports.most_in_a_second(), 20u) << "10 per fixed one-second window, two windows may abut";
    EXPECT_LE(texts.size(), 10 * static_cast<std::size_t>(seconds + 2));
    EXPECT_TRUE(std::any_of(texts.begin(), texts.end(),
                            [](const std::string& t) { return t.find("earlier messages suppressed)") != std::string::npos; }))
        << "the second interval's first report says how many were suppressed";
    std::printf("[ fault    ] /dev/full, asynchronous: 1000 failures, %zu reports; worst record_event %.3f ms\n",
                texts.size(), r.worst_ms());
}

// --- a directory that becomes unwritable --------------------------------------------------

// Root ignores permissions, so the fault is made the way that stops root too: the log
// directory is moved away and a plain file put in its place. The open file keeps taking
// events (they follow it); the next rotation cannot create a file; after the directory is
// back and reopen() is called, writing resumes.
TEST_F(fault_test, log_directory_replaced_by_a_file_mid_run) {
    const fs::path logs = dir.path / "logs", moved = dir.path / "logs.moved", good = dir.path / "good.jsonl";
    je::event_logger logger{logger_with(
        {handler("events", "TextFile",
                 {{"FileName", (logs / "events_%N.jsonl").string()}, {"RotationSize", "4096"}, {"AutoFlush", "true"}}),
         handler("good", "TextFile", {{"FileName", good.string()}})})};
    logger.register_schema_text(f_schema);
    recorder r(logger);
    r.record(0, 50);
    EXPECT_EQ(r.with(je::errc::ok), range(0, 50));

    fs::rename(logs, moved);
    std::ofstream(logs) << "not a directory\n";
    r.record(50, 100);  // ~200 events fill the open 4 KiB file, then rotation fails
    const auto failed = r.with(je::errc::write_failed);
    ASSERT_FALSE(failed.empty()) << "nothing failed although the directory is gone";
    EXPECT_THAT(r.outcomes[*failed.begin()].message,
                HasSubstr("; cannot create files in " + logs.string() + " (Not a directory)"));
    EXPECT_EQ(logger.handlers()[0].write_errors, failed.size());

    fs::remove(logs);
    fs::create_directory(logs);
    logger.reopen();
    r.record(150, 50);
    EXPECT_EQ(r.with(je::errc::write_failed), failed) << "writing did not resume";
    EXPECT_LT(r.worst, latency_bound) << r.worst_ms() << " ms";
    logger.flush();

    // Every event the caller was told was written is there exactly once; no failed one is.
    std::vector<fs::path> written = files_under(logs);
    for (const auto& f : files_under(moved)) written.push_back(f);
    EXPECT_EQ(events_in(written), r.with(je::errc::ok));
    EXPECT_EQ(events_in({good}), range(0, 200));
    std::printf("[ fault    ] directory replaced by a file: %zu of 100 events failed; worst record_event %.3f ms\n",
                failed.size(), r.worst_ms());
}

// A child process that runs JE_CLI (optionally behind a prefix such as setpriv) with its
// stdin fed from a pipe and stdout/stderr in files.
class cli_child {
public:
    bool spawn(std::vector<std::string> args, const fs::path& out, const fs::path& err) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) return false;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
        posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(fds[0]);
        in_ = fds[1];
        if (rc != 0) pid_ = -1;
        return rc == 0;
    }
    // False once the child is gone (EPIPE; SIGPIPE is ignored by the caller).
    bool write(const std::string& text) {
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::write(in_, text.data() + done, text.size() - done);
            if (n <= 0) return false;
            done += static_cast<std::size_t>(n);
        }
        return true;
    }
    void close_input() {
        if (in_ >= 0) ::close(in_);
        in_ = -1;
    }
    void kill(int sig) const { ::kill(pid_, sig); }
    // Exit code, 128 + signal, or -1 after `wait` (the child is then killed).
    int wait(std::chrono::milliseconds wait = std::chrono::milliseconds(30000)) {
        const auto deadline = clock_type::now() + wait;
        while (pid_ > 0) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            if (clock_type::now() > deadline) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
        return -1;
    }
    ~cli_child() {
        close_input();
        wait(std::chrono::milliseconds(0));
    }

private:
    pid_t pid_ = -1;
    int in_ = -1;
};

// SIGPIPE ignored for the scope: a killed child must show up as EPIPE, not kill the test.
struct ignore_sigpipe {
    struct sigaction old {};
    ignore_sigpipe() {
        struct sigaction ign {};
        ign.sa_handler = SIG_IGN;
        ::sigaction(SIGPIPE, &ign, &old);
    }
    ~ignore_sigpipe() { ::sigaction(SIGPIPE, &old, nullptr); }
};

std::string event_line(int i, const std::string& pad = {}) {
    return R"({"schema": "https://example.org/fault", "version": "1", "event": {"i": )" + std::to_string(i) +
           (pad.empty() ? "" : R"(, "pad": ")" + pad + "\"") + "}}\n";
}

// Waits until `file` holds `count` lines (bounded).
bool wait_for_lines(const fs::path& file, std::size_t count) {
    for (int i = 0; i < 500; ++i) {
        if (lines(read(file)).size() >= count) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

// The permission change itself, for an unprivileged writer: `jupyter-events record` runs
// as nobody (setpriv) and its directory loses write permission mid-run.
TEST_F(fault_test, log_directory_made_read_only_under_an_unprivileged_writer) {
    if (::geteuid() != 0) GTEST_SKIP() << "not root: see log_directory_replaced_by_a_file_mid_run";
    if (::access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "/usr/bin/setpriv is not installed (util-linux)";
    const fs::path logs = dir.path / "logs", good_dir = dir.path / "good";
    fs::create_directories(logs);
    fs::create_directories(good_dir);
    dir.write("schemas/f.json", f_schema);
    const auto config = dir.write("c.yaml", "EventLogger:\n  schemas: [schemas/]\n  allowed_schemas: ['*']\n  handlers:\n"
                                            "    events: {FileName: logs/events_%N.jsonl, RotationSize: 4096, AutoFlush: true}\n"
                                            "    good: {FileName: good/good.jsonl, AutoFlush: true}\n");
    fs::permissions(dir.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
    ASSERT_EQ(::chown(logs.c_str(), 65534, 65534), 0);
    ASSERT_EQ(::chown(good_dir.c_str(), 65534, 65534), 0);
    ignore_sigpipe no_sigpipe;
    cli_child child;
    ASSERT_TRUE(child.spawn({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", JE_CLI, "record",
                             "--config", config.string()},
                            dir.path / "out", dir.path / "err"));
    std::string batch;
    for (int i = 0; i < 50; ++i) batch += event_line(i);
    ASSERT_TRUE(child.write(batch));
    ASSERT_TRUE(wait_for_lines(good_dir / "good.jsonl", 50)) << read(dir.path / "err");
    fs::permissions(logs, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                              fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);  // 0555
    batch.clear();
    for (int i = 50; i < 150; ++i) batch += event_line(i);
    ASSERT_TRUE(child.write(batch));
    ASSERT_TRUE(wait_for_lines(good_dir / "good.jsonl", 150)) << read(dir.path / "err");
    fs::permissions(logs, fs::perms::owner_all, fs::perm_options::add);  // writable again
    batch.clear();
    for (int i = 150; i < 200; ++i) batch += event_line(i);
    ASSERT_TRUE(child.write(batch));
    child.close_input();
    EXPECT_EQ(child.wait(), 74) << "a handler failed to write";
    const std::string err = read(dir.path / "err");
    EXPECT_THAT(err, HasSubstr("record event: a handler failed to write (handler events: "));
    EXPECT_THAT(err, HasSubstr("; cannot create files in " + logs.string() + " (Permission denied)"));
    // One located line per failed event: those and only those are missing.
    std::set<int> failed;
    for (const auto& line : lines(err))
        if (line.rfind("<stdin>:", 0) == 0) failed.insert(std::stoi(line.substr(8)) - 1);
    ASSERT_FALSE(failed.empty());
    EXPECT_LT(*failed.rbegin(), 150) << "writing did not resume";
    std::set<int> expected = range(0, 200);
    for (int i : failed) expected.erase(i);
    EXPECT_EQ(events_in(files_under(logs)), expected);
    EXPECT_EQ(events_in({good_dir / "good.jsonl"}), range(0, 200));
}

// --- a syslog daemon that goes away -------------------------------------------------------

TEST_F(fault_test, syslog_udp_target_goes_away_and_comes_back) {
    auto daemon = fake_daemon::udp();
    ASSERT_TRUE(daemon.ok());
    const std::uint16_t port = daemon.port();
    const fs::path good = dir.path / "good.jsonl";
    je::event_logger logger{logger_with(
        {handler("syslog", "Syslog", {{"TargetAddress", "127.0.0.1:" + std::to_string(port)}, {"Ident", "je-fault"}}),
         handler("good", "TextFile", {{"FileName", good.string()}})})};
    logger.register_schema_text(f_schema);
    recorder r(logger);
    r.record(0, 20);
    EXPECT_EQ(daemon.receive(20).size(), 20u);

    daemon.stop();  // the port closes: each send draws an ICMP "port unreachable"
    r.record(20, 20);
    const auto failed = r.with(je::errc::write_failed);
    EXPECT_GE(failed.size(), 5u);  // about every other send: each failure clears the ICMP error
    if (!failed.empty()) {
        EXPECT_THAT(r.outcomes[*failed.begin()].message, HasSubstr("handler syslog: syslog 127.0.0.1:"));
    }
    EXPECT_EQ(logger.handlers()[0].write_errors, failed.size());

    daemon = fake_daemon::udp(port);  // back on the same port: the same socket resumes
    if (!daemon.ok()) GTEST_SKIP() << "port " << port << " was taken meanwhile";
    r.record(40, 20);
    EXPECT_EQ(r.with(je::errc::write_failed), failed) << "sending did not resume";
    const auto got = daemon.receive(20);
    EXPECT_EQ(got.size(), 20u);
    if (!got.empty()) {
        EXPECT_THAT(got[0], HasSubstr(R"(je-fault[)"));
    }
    EXPECT_LT(r.worst, latency_bound) << r.worst_ms() << " ms";
    logger.flush();
    EXPECT_EQ(events_in({good}), range(0, 60));
    std::printf("[ fault    ] syslog UDP gone: %zu of 20 failed; worst record_event %.3f ms\n", failed.size(),
                r.worst_ms());
}

// The local socket (/dev/log in production; a path here): the daemon's socket removed,
// a daemon that stops reading, and a new daemon on the same path. Built with build_sink
// as the logger builds it (failures noted, other sinks still fed), since the logger
// always uses /dev/log.
TEST_F(fault_test, local_syslog_socket_removed_stalled_and_restarted) {
    const fs::path socket = dir.path / "log.sock";
    auto daemon = fake_daemon::local(socket);
    ASSERT_TRUE(daemon.ok());
    static std::atomic<unsigned> next_id{7000000};
    const unsigned id = next_id.fetch_add(1);
    je::detail::sink_options options;
    options.syslog_socket = socket.string();
    options.throw_on_write_error = false;
    auto built = je::detail::build_sink(handler("syslog", "Syslog", {{"Ident", "je-fault"}}), id, true, options);
    logging::core::get()->add_sink(built.sink);
    capture_sink healthy;
    std::map<int, std::optional<std::string>> failures;
    clock_type::duration worst{};
    auto push = [&](int first, int count) {
        for (int i = first; i < first + count; ++i) {
            const auto start = clock_type::now();
            push_event_record(id, R"({"i":)" + std::to_string(i) + "}");
            failures[i] = je::detail::take_write_failure();
            worst = std::max(worst, clock_type::now() - start);
        }
    };
    auto failed = [&] {
        std::set<int> out;
        for (const auto& kv : failures)
            if (kv.second) out.insert(kv.first);
        return out;
    };
    push(0, 5);
    EXPECT_EQ(daemon.receive(5).size(), 5u);
    EXPECT_TRUE(failed().empty());

    daemon.stop();  // socket file removed
    push(5, 5);
    EXPECT_EQ(failed(), range(5, 5));
    EXPECT_THAT(failures[5].value_or(""), HasSubstr("handler syslog: syslog " + socket.string() + ": "));

    daemon = fake_daemon::local(socket);  // a new daemon: the next send reconnects
    push(10, 5);
    EXPECT_EQ(failed(), range(5, 5));
    EXPECT_EQ(daemon.receive(5).size(), 5u);

    // A daemon that stops reading: its queue fills, then each send waits at most the
    // 1 s send timeout and fails, instead of blocking the caller for good.
    const auto before_stall = failed().size();
    push(15, 12);  // the kernel queues 10 datagrams (net.unix.max_dgram_qlen) and more bytes
    const auto stalled = failed().size() - before_stall;
    EXPECT_GE(stalled, 1u);
    EXPECT_LE(stalled, 3u);
    EXPECT_LT(worst, latency_bound) << std::chrono::duration<double, std::milli>(worst).count() << " ms";
    logging::core::get()->remove_sink(built.sink);
    EXPECT_EQ(built.stats->write_errors.load(), failed().size());
    // The application's own sink saw every record.
    EXPECT_EQ(lines(healthy.text()).size(), 27u);
    std::printf("[ fault    ] local syslog socket: removed, restarted, stalled (%zu sends timed out); worst %.1f ms\n",
                stalled, std::chrono::duration<double, std::milli>(worst).count());
}

// --- SIGKILL while writing ------------------------------------------------------------------

// `jupyter-events record` fed from a pipe is killed mid-stream, several times. Each file
// may end in one incomplete line (AutoFlush: false writes whole buffers, not whole lines);
// every complete line is a whole event, written once. A later run appending to the same
// files starts on a fresh line, so the cut line never swallows a later event.
TEST_F(fault_test, sigkill_leaves_at_most_one_incomplete_trailing_line_per_file) {
    dir.write("schemas/f.json", f_schema);
    ignore_sigpipe no_sigpipe;
    const std::string pad(100, 'k');
    std::size_t incomplete = 0, complete = 0;
    for (int round = 0; round < 4; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const std::string out = "out" + std::to_string(round);
        const auto config = dir.write(
            out + ".yaml",
            "EventLogger:\n  schemas: [schemas/]\n  allowed_schemas: ['*']\n  handlers:\n"
            "    buffered: {FileName: " + out + "/buffered_%N.jsonl, Target: " + out + "/archive, RotationSize: 65536}\n"
            "    flushed: {FileName: " + out + "/flushed.jsonl, AutoFlush: true}\n"
            "    queued: {FileName: " + out + "/queued.jsonl, Asynchronous: true}\n");
        cli_child child;
        ASSERT_TRUE(child.spawn({JE_CLI, "record", "--config", config.string()}, dir.path / "out.txt",
                                dir.path / "err.txt"));
        std::atomic<bool> stop{false};
        std::thread feeder([&] {
            for (int i = 0; !stop.load(); i += 100) {
                std::string batch;
                for (int k = i; k < i + 100; ++k) batch += event_line(k, pad);
                if (!child.write(batch)) break;
            }
        });
        // Kill it while it writes: once events arrive, after a varying delay.
        EXPECT_TRUE(wait_for_lines(dir.path / out / "flushed.jsonl", 1)) << read(dir.path / "err.txt");
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + 40 * round));
        child.kill(SIGKILL);
        EXPECT_EQ(child.wait(), 128 + SIGKILL);
        stop = true;
        feeder.join();

        // Per file: at most the last line is cut; every complete line is a whole event, once.
        // File name -> its incomplete line's number. By name: the next run's final rotation
        // may move the cut file into Target (archive/) under the same name.
        std::map<std::string, std::size_t> cut;
        for (const auto& f : files_under(dir.path / out)) {
            const std::string text = read(f);
            auto all = lines(text);
            if (!text.empty() && text.back() != '\n') {
                ++incomplete;
                cut[f.filename().string()] = all.size() - 1;
                all.pop_back();
            }
            std::set<std::int64_t> seen;
            for (const auto& line : all) {
                boost::system::error_code ec;
                const auto v = json::parse(line, ec);
                ASSERT_FALSE(ec) << f << ": a complete line that is not JSON: " << line.substr(0, 300);
                ASSERT_TRUE(v.is_object() && v.as_object().contains("i")) << line;
                EXPECT_TRUE(seen.insert(v.at("i").as_int64()).second) << f << ": written twice: " << line;
                ++complete;
            }
        }
        // The next run appends to the same files: its events arrive whole in every handler,
        // and the cut line stays the only bad one.
        std::string more;
        for (int i = 0; i < 10; ++i) more += event_line(1000000 + i);
        const auto r = run_cli("record --config " + sq(config.string()), more);
        EXPECT_EQ(r.code, 0) << r.err;
        std::map<std::string, std::set<int>> found;
        for (const auto& f : files_under(dir.path / out)) {
            const auto all = lines(read(f));
            for (std::size_t n = 0; n < all.size(); ++n) {
                boost::system::error_code ec;
                const auto v = json::parse(all[n], ec);
                if (ec || !v.is_object()) {
                    const std::string name = f.filename().string();
                    EXPECT_TRUE(cut.count(name) && cut[name] == n) << f << ":" << n + 1 << ": damaged line " << all[n].substr(0, 300);
                    continue;
                }
                found[f.filename().string().substr(0, 5)].insert(static_cast<int>(v.at("i").as_int64()));
            }
        }
        for (const char* h : {"buffe", "flush", "queue"})
            for (int i = 1000000; i < 1000010; ++i) EXPECT_TRUE(found[h].count(i)) << h << ": event " << i << " lost";
    }
    std::printf("[ fault    ] SIGKILL x4: %zu complete lines checked, %zu incomplete trailing lines, none elsewhere\n",
                complete, incomplete);
}

}  // namespace
