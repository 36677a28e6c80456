#include "detail/url_fetch.hpp"

#include <jupyter_events/error.hpp>

#include "detail/validator_uri.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <cstring>
#include <fcntl.h>

namespace jupyter_events::detail {
namespace {

[[noreturn]] void fail(const std::string& url, const std::string& what) {
    throw error(errc::fetch_failed, url + ": register schema: " + what);
}

struct socket_fd {
    int fd = -1;
    ~socket_fd() {
        if (fd >= 0) ::close(fd);
    }
};

struct parsed_url {
    std::string host, port = "80", target = "/";
};

parsed_url parse_http_url(const std::string& url) {
    parsed_url p;
    std::string_view rest(url);
    rest.remove_prefix(std::string_view("http://").size());
    const auto slash = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        p.target = std::string(rest.substr(slash));
        if (p.target[0] == '?') p.target.insert(0, "/");
    }
    if (const auto hash = p.target.find('#'); hash != std::string::npos) p.target.resize(hash);
    if (authority.find('@') != std::string_view::npos) fail(url, "credentials in URLs are not supported");
    if (!authority.empty() && authority[0] == '[') {  // [::1]:8080
        const auto close = authority.find(']');
        if (close == std::string_view::npos) fail(url, "malformed IPv6 host");
        p.host = std::string(authority.substr(1, close - 1));
        authority.remove_prefix(close + 1);
        if (!authority.empty() && authority[0] == ':') p.port = std::string(authority.substr(1));
    } else {
        const auto colon = authority.rfind(':');
        p.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) p.port = std::string(authority.substr(colon + 1));
    }
    if (p.host.empty()) fail(url, "no host in URL");
    return p;
}

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits for `events` on fd until the deadline; false on timeout.
bool wait_for(int fd, short events, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        pollfd p{fd, events, 0};
        const int r = ::poll(&p, 1, remaining_ms(deadline));
        if (r > 0) return true;
        if (r == 0) return false;
        if (errno != EINTR) return false;
    }
}

}  // namespace

std::string http_get(const std::string& url, std::chrono::milliseconds timeout, std::size_t max_bytes) {
    const parsed_url u = parse_http_url(url);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (int rc = ::getaddrinfo(u.host.c_str(), u.port.c_str(), &hints, &found); rc != 0)
        fail(url, "cannot resolve host " + u.host + " (" + ::gai_strerror(rc) + ")");
    std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, ::freeaddrinfo);
    socket_fd s;
    std::string connect_error = "no address";
    for (addrinfo* a = found; a; a = a->ai_next) {
        socket_fd attempt;
        attempt.fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (attempt.fd < 0) continue;
        if (::connect(attempt.fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
            connect_error = std::strerror(errno);
            continue;
        }
        if (!wait_for(attempt.fd, POLLOUT, deadline)) {
            connect_error = "timed out after " + std::to_string(timeout.count()) + " ms";
            continue;
        }
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(attempt.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
            connect_error = std::strerror(err);
            continue;
        }
        std::swap(s.fd, attempt.fd);
        break;
    }
    if (s.fd < 0) fail(url, "cannot connect to " + u.host + ":" + u.port + " (" + connect_error + ")");

    // HTTP/1.0: the server closes the connection after the body and does not chunk it.
    const std::string request = "GET " + u.target + " HTTP/1.0\r\nHost: " + u.host +
                                "\r\nAccept: application/json, application/yaml, text/yaml, */*\r\n"
                                "User-Agent: jupyter-events\r\nConnection: close\r\n\r\n";
    for (std::size_t sent = 0; sent < request.size();) {
        if (!wait_for(s.fd, POLLOUT, deadline)) fail(url, "timed out after " + std::to_string(timeout.count()) + " ms");
        const ssize_t n = ::send(s.fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EINTR) fail(url, std::string("send failed (") + std::strerror(errno) + ")");
        if (n > 0) sent += static_cast<std::size_t>(n);
    }
    std::string response;
    const std::size_t header_allowance = 64 * 1024;
    char buffer[16384];
    for (;;) {
        if (!wait_for(s.fd, POLLIN, deadline)) fail(url, "timed out after " + std::to_string(timeout.count()) + " ms");
        const ssize_t n = ::recv(s.fd, buffer, sizeof buffer, 0);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            fail(url, std::string("receive failed (") + std::strerror(errno) + ")");
        }
        response.append(buffer, static_cast<std::size_t>(n));
        if (response.size() > max_bytes + header_allowance)
            fail(url, "response larger than " + std::to_string(max_bytes) + " bytes");
    }
    const auto header_end = response.find("\r\n\r\n");
    if (response.compare(0, 5, "HTTP/") != 0 || header_end == std::string::npos)
        fail(url, "malformed HTTP response");
    const auto space = response.find(' ');
    const auto line_end = response.find("\r\n");
    const std::string status_line = response.substr(space + 1, line_end - space - 1);
    if (status_line.compare(0, 3, "200") != 0) fail(url, "HTTP status " + status_line + "; expected 200 OK");
    std::string body = response.substr(header_end + 4);
    if (body.size() > max_bytes) fail(url, "response larger than " + std::to_string(max_bytes) + " bytes");
    return body;
}

std::string file_url_path(const std::string& url) {
    std::string_view rest(url);
    rest.remove_prefix(std::string_view("file://").size());
    const auto slash = rest.find('/');
    const std::string_view host = rest.substr(0, slash);
    if (!host.empty() && host != "localhost") fail(url, "file URLs must name a local path (file:///path)");
    if (slash == std::string_view::npos) fail(url, "no path in file URL");
    auto decoded = uri::percent_decode(rest.substr(slash));
    if (!decoded) fail(url, "malformed %-escape in file URL");
    return *decoded;
}

}  // namespace jupyter_events::detail
