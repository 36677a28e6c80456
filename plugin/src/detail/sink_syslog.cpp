// The Syslog destination: RFC 3164 messages over UDP (TargetAddress) or to the local
// syslog socket, whose text is the JSON line.
//
// Not Boost.Log's syslog_backend, for three reasons: its UDP packets are cut at 1024
// bytes (an event's JSON line would arrive truncated, i.e. invalid), they carry no tag, and
// its local ("native") mode calls openlog()/closelog() for the whole process — replacing
// the host program's own syslog ident, and letting only the first handler's Ident count.
// The keys and their meaning are Boost.Log's (TargetAddress, LocalAddress, default port
// 514), plus Facility and Ident.
#include "detail/sink_common.hpp"

#include <jupyter_events/error.hpp>

#include <boost/log/sinks/basic_sink_backend.hpp>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace jupyter_events::detail {
namespace {

namespace logging = boost::log;
namespace sinks = boost::log::sinks;

struct host_port {
    std::string host;
    std::string port = "514";
};

// "host", "host:port", "[v6]:port" or a bare IPv6 address.
host_port parse_address(const handler_config& h, const std::string& key) {
    const std::string& v = *sink_setting(h, key);
    auto bad = [&](const std::string& why) {
        sink_config_fail(h, key, why + " (" + v + "); write host or host:port, e.g. 127.0.0.1:514 or [::1]:514");
    };
    host_port out;
    if (!v.empty() && v[0] == '[') {
        const auto close = v.find(']');
        if (close == std::string::npos) bad("unclosed '['");
        out.host = v.substr(1, close - 1);
        if (close + 1 < v.size()) {
            if (v[close + 1] != ':') bad("expected ':' and a port after ']'");
            out.port = v.substr(close + 2);
        }
    } else if (std::count(v.begin(), v.end(), ':') == 1) {
        out.host = v.substr(0, v.find(':'));
        out.port = v.substr(v.find(':') + 1);
    } else {
        out.host = v;
    }
    if (out.host.empty()) bad("missing host");
    for (char c : out.host)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '_' || c == '%'))
            bad("invalid character in host");
    if (out.port.empty() || out.port.size() > 5 ||
        !std::all_of(out.port.begin(), out.port.end(), [](unsigned char c) { return std::isdigit(c); }) ||
        std::stoi(out.port) < (key == "LocalAddress" ? 0 : 1) || std::stoi(out.port) > 65535)
        bad(key == "LocalAddress" ? "port must be a number from 0 to 65535" : "port must be a number from 1 to 65535");
    return out;
}

struct resolved {
    sockaddr_storage addr{};
    socklen_t len = 0;
    int family = AF_UNSPEC;
};

resolved resolve(const handler_config& h, const std::string& key, const host_port& a, int family) {
    addrinfo hints{};
    hints.ai_family = family;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* list = nullptr;
    if (int rc = ::getaddrinfo(a.host.c_str(), a.port.c_str(), &hints, &list); rc != 0 || !list)
        sink_config_fail(h, key, "cannot resolve " + a.host + " (" + ::gai_strerror(rc) + ")");
    resolved r;
    std::memcpy(&r.addr, list->ai_addr, list->ai_addrlen);
    r.len = static_cast<socklen_t>(list->ai_addrlen);
    r.family = list->ai_family;
    ::freeaddrinfo(list);
    return r;
}

class unique_fd {
public:
    explicit unique_fd(int fd = -1) noexcept : fd_(fd) {}
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }
    int get() const noexcept { return fd_; }
    int release() noexcept {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_;
};

// Sends can block at most this long (a syslog daemon that stopped reading, a full
// socket buffer): then the record fails and is counted.
void set_send_timeout(int fd) {
    timeval tv{};
    tv.tv_sec = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

class syslog_backend
    : public sinks::basic_formatted_sink_backend<char, sinks::synchronized_feeding> {
public:
    struct settings {
        int facility = 1;  // user
        std::string ident = "jupyter-events";
        std::string socket_path;  // local mode when non-empty
        resolved target, local;
        std::string target_text;
        bool has_local = false;
    };

    syslog_backend(settings s, std::shared_ptr<sink_failures> failures)
        : s_(std::move(s)), failures_(std::move(failures)), pid_(std::to_string(::getpid())) {
        if (s_.socket_path.empty()) {
            char name[256] = {};
            if (::gethostname(name, sizeof name - 1) == 0) hostname_ = std::string(name).substr(0, std::string(name).find('.'));
            if (hostname_.empty()) hostname_ = "localhost";
        }
    }

    // Opens and binds the UDP socket (errors are configuration errors, at start-up).
    void open_udp(const handler_config& h) {
        fd_.reset(::socket(s_.target.family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        if (fd_.get() < 0) {
            const int err = errno;
            sink_config_fail(h, "TargetAddress", describe_errno("cannot create a UDP socket", err));
        }
        set_send_timeout(fd_.get());
        if (s_.has_local) {
            const int one = 1;
            ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
            if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&s_.local.addr), s_.local.len) != 0) {
                const int err = errno;
                sink_config_fail(h, "LocalAddress", describe_errno("cannot bind", err) +
                                                        "; the default port is 514 (Boost.Log's), add :0 for any port");
            }
        }
        // Connected, so that an unreachable target (ICMP port unreachable) shows up as a
        // failed send instead of vanishing.
        if (::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&s_.target.addr), s_.target.len) != 0) {
            const int err = errno;
            sink_config_fail(h, "TargetAddress", describe_errno("cannot use " + s_.target_text, err));
        }
    }

    void consume(const logging::record_view&, const string_type& message) {
        packet_.clear();
        packet_ += '<';
        packet_ += std::to_string(s_.facility * 8 + 6);  // severity info
        packet_ += '>';
        append_timestamp();
        if (s_.socket_path.empty()) {  // over the network the header names the host
            packet_ += hostname_;
            packet_ += ' ';
        }
        packet_ += s_.ident;
        packet_ += '[';
        packet_ += pid_;
        packet_ += "]: ";
        packet_ += message;
        if (!send()) {
            const int err = errno;
            failures_->write_failed(describe_errno(where(), err));
        }
    }

private:
    std::string where() const { return s_.socket_path.empty() ? "syslog " + s_.target_text : "syslog " + s_.socket_path; }

    void append_timestamp() {
        static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        const std::time_t now = std::time(nullptr);
        std::tm tm{};
        ::localtime_r(&now, &tm);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s %2d %02d:%02d:%02d ", months[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour,
                      tm.tm_min, tm.tm_sec);
        packet_ += buf;
    }

    bool send() {
        if (!s_.socket_path.empty()) {
            // The local socket: reconnect once when the daemon was restarted.
            for (int attempt = 0; attempt < 2; ++attempt) {
                if (fd_.get() < 0 && !connect_local()) return false;
                if (::send(fd_.get(), packet_.data(), packet_.size(), MSG_NOSIGNAL) >= 0) return true;
                const int err = errno;
                fd_.reset();
                errno = err;
                if (err != ECONNREFUSED && err != ENOTCONN && err != ENOENT && err != EPIPE) return false;
            }
            return false;
        }
        return ::send(fd_.get(), packet_.data(), packet_.size(), MSG_NOSIGNAL) >= 0;
    }

    bool connect_local() {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (s_.socket_path.size() >= sizeof addr.sun_path) {
            errno = ENAMETOOLONG;
            return false;
        }
        std::memcpy(addr.sun_path, s_.socket_path.c_str(), s_.socket_path.size() + 1);
        unique_fd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        if (fd.get() < 0) return false;
        set_send_timeout(fd.get());
        if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return false;
        fd_.reset(fd.release());
        return true;
    }

    settings s_;
    std::shared_ptr<sink_failures> failures_;
    std::string pid_, hostname_, packet_;
    unique_fd fd_;
};

}  // namespace

boost::shared_ptr<sinks::sink> make_syslog_sink(const sink_context& ctx) {
    const handler_config& h = ctx.h;
    syslog_backend::settings s;
    if (const std::string* f = sink_setting(h, "Facility")) {
        s.facility = syslog_facility_code(*f);
        if (s.facility < 0)
            sink_config_fail(h, "Facility", "unknown syslog facility (" + *f +
                                                "); use user, daemon, local0 ... local7, or another name of syslog(3)");
    }
    if (const std::string* ident = sink_setting(h, "Ident")) {
        s.ident = *ident;
        if (s.ident.empty() || s.ident.size() > 32 || !std::all_of(s.ident.begin(), s.ident.end(), [](unsigned char c) {
                return std::isalnum(c) || c == '_' || c == '.' || c == '-';
            }))
            sink_config_fail(h, "Ident", "expected 1 to 32 letters, digits, '_', '.' or '-' (" + *ident +
                                             "); it becomes the syslog tag");
    }
    const bool remote = sink_setting(h, "TargetAddress") != nullptr;
    std::optional<host_port> target, local;
    if (remote) target = parse_address(h, "TargetAddress");
    if (sink_setting(h, "LocalAddress")) {
        if (!remote)
            sink_config_fail(h, "LocalAddress", "has no effect without TargetAddress (the local syslog socket has "
                                                "no address); add TargetAddress or remove the key");
        local = parse_address(h, "LocalAddress");
    }
    if (!ctx.create_files) return {};  // check-config: no name lookups, no sockets

    if (remote) {
        s.target = resolve(h, "TargetAddress", *target, AF_UNSPEC);
        s.target_text = *sink_setting(h, "TargetAddress");
        if (local) {
            s.local = resolve(h, "LocalAddress", *local, s.target.family);
            s.has_local = true;
        }
    } else {
        s.socket_path = ctx.options.syslog_socket;
    }
    auto failures = ctx.failures();
    auto backend = boost::make_shared<syslog_backend>(std::move(s), failures);
    if (remote) backend->open_udp(h);
    return make_frontend(backend, ctx, failures);
}

}  // namespace jupyter_events::detail
