// A small blocking HTTP/1.1 client over a raw socket, for testing the event server the
// way a real client sees it (including malformed, slow and pipelined requests). Every
// operation has a deadline: a test can hang on nothing.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace je_test {

struct http_response {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

class http_client {
public:
    using clock = std::chrono::steady_clock;

    /// Connects to 127.0.0.1:`port`. `timeout` bounds every later call.
    explicit http_client(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000))
        : timeout_(timeout) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) return;
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        timeval tv{};
        tv.tv_sec = static_cast<long>(timeout.count() / 1000);
        tv.tv_usec = static_cast<long>((timeout.count() % 1000) * 1000);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) close();
    }
    ~http_client() { close(); }
    http_client(const http_client&) = delete;
    http_client& operator=(const http_client&) = delete;
    http_client(http_client&& o) noexcept : fd_(o.fd_), timeout_(o.timeout_), buffer_(std::move(o.buffer_)) { o.fd_ = -1; }

    bool connected() const { return fd_ >= 0; }

    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    /// Sends all of `bytes`; false when the peer is gone or the send timed out.
    bool send(std::string_view bytes) {
        while (!bytes.empty() && fd_ >= 0) {
            const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return bytes.empty();
    }

    /// Reads one response (interim 1xx ones are returned too when `interim` is true).
    /// nullopt on EOF, reset, timeout or a malformed response.
    std::optional<http_response> receive(std::optional<std::chrono::milliseconds> wait = std::nullopt,
                                         bool interim = false) {
        const auto deadline = clock::now() + wait.value_or(timeout_);
        for (;;) {
            std::size_t end;
            while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
                if (!fill(deadline)) return std::nullopt;
            http_response r;
            std::string_view head(buffer_.data(), end);
            const auto line_end = head.find("\r\n");
            const std::string_view status_line = head.substr(0, line_end);
            if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") return std::nullopt;
            r.status = std::stoi(std::string(status_line.substr(9, 3)));
            std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
            while (pos < head.size()) {
                auto next = head.find("\r\n", pos);
                if (next == std::string_view::npos) next = head.size();
                std::string_view field = head.substr(pos, next - pos);
                const auto colon = field.find(':');
                if (colon != std::string_view::npos) {
                    std::string name(field.substr(0, colon));
                    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    std::string_view value = field.substr(colon + 1);
                    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
                    r.headers[name] = std::string(value);
                }
                pos = next + 2;
            }
            buffer_.erase(0, end + 4);
            if (r.status / 100 == 1) {
                if (interim) return r;
                continue;
            }
            std::size_t length = 0;
            if (r.status != 204 && r.status != 304) length = std::stoul(r.header("content-length").empty() ? "0" : r.header("content-length"));
            while (buffer_.size() < length)
                if (!fill(deadline)) return std::nullopt;
            r.body = buffer_.substr(0, length);
            buffer_.erase(0, length);
            return r;
        }
    }

    /// Sends one request and reads its response.
    std::optional<http_response> request(std::string_view method, std::string_view target, std::string_view body = {},
                                         const std::vector<std::string>& headers = {"Content-Type: application/json"}) {
        if (!send(format(method, target, body, headers))) return std::nullopt;
        return receive();
    }

    std::optional<http_response> post(std::string_view target, std::string_view body,
                                      const std::vector<std::string>& headers = {"Content-Type: application/json"}) {
        return request("POST", target, body, headers);
    }

    static std::string format(std::string_view method, std::string_view target, std::string_view body,
                              const std::vector<std::string>& headers = {"Content-Type: application/json"}) {
        std::string out;
        out.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (const auto& h : headers) out.append(h).append("\r\n");
        if (method == "POST") out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
        out.append("\r\n").append(body);
        return out;
    }

    /// True when the server closes the connection (EOF or reset) within `wait` with no
    /// further bytes; false if bytes arrive or it stays open.
    bool closed_by_peer(std::chrono::milliseconds wait = std::chrono::milliseconds(5000)) {
        const auto deadline = clock::now() + wait;
        const std::size_t before = buffer_.size();
        for (;;) {
            if (!wait_readable(deadline)) return false;
            char c[512];
            const ssize_t n = ::recv(fd_, c, sizeof c, 0);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) return buffer_.size() == before;
            if (n > 0) buffer_.append(c, static_cast<std::size_t>(n));
            if (buffer_.size() != before) return false;
        }
    }

    /// Closes the sending side only (shutdown SHUT_WR): the server reads end of stream
    /// while this side can still read its answer.
    void shutdown_write() {
        if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
    }

    /// Bytes received but not yet consumed by receive().
    const std::string& pending() const { return buffer_; }

private:
    bool wait_readable(clock::time_point deadline) {
        if (fd_ < 0) return false;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
            if (left <= 0) return false;
            pollfd p{fd_, POLLIN, 0};
            const int rc = ::poll(&p, 1, static_cast<int>(left));
            if (rc < 0 && errno == EINTR) continue;
            return rc > 0;
        }
    }

    bool fill(clock::time_point deadline) {
        if (!wait_readable(deadline)) return false;
        char chunk[16384];
        for (;;) {
            const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            buffer_.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
    }

    int fd_ = -1;
    std::chrono::milliseconds timeout_;
    std::string buffer_;
};

}  // namespace je_test
