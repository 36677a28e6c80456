// http_load: a load generator for `jupyter-events serve`. N keep-alive connections post
// events back to back (one request in flight per connection), driven by epoll from
// --threads threads (default 1), and it measures events/s and the latency distribution of
// each request/response round trip.
//
//   jupyter-events serve --config config/example.yaml --listen 127.0.0.1:8585 &
//   http_load --url http://127.0.0.1:8585/api/events --connections 4 --events 20000
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct settings {
    std::string host = "127.0.0.1", port = "8585", target = "/api/events";
    int connections = 4;
    int threads = 1;    // generator threads, each driving its share of the connections
    long events = 20000;
    long warmup = 200;  // per connection, not measured
    std::string token;
    std::string schema = "https://events.example.org/file-save", version = "1";
};

const char* const usage =
    "usage: http_load --url http://HOST:PORT/api/events [--connections N] [--events N] [--warmup N]\n"
    "                 [--threads T] [--token T] [--schema ID] [--version V]\n"
    "Posts file-save events ({\"path\", \"action\", \"size\"}) over N keep-alive connections and\n"
    "prints events/s and latency percentiles. /api/eventlog bodies are used for that path.\n";

bool parse_url(const std::string& url, settings& s) {
    const std::string prefix = "http://";
    if (url.rfind(prefix, 0) != 0) return false;
    std::string rest = url.substr(prefix.size());
    const auto slash = rest.find('/');
    const std::string authority = rest.substr(0, slash);
    s.target = slash == std::string::npos ? "/api/events" : rest.substr(slash);
    const auto colon = authority.rfind(':');
    if (colon == std::string::npos) return false;
    s.host = authority.substr(0, colon);
    s.port = authority.substr(colon + 1);
    return true;
}

int connect_to(const settings& s) {
    addrinfo hints{}, *found = nullptr;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (::getaddrinfo(s.host.c_str(), s.port.c_str(), &hints, &found) != 0) return -1;
    int fd = -1;
    for (auto* a = found; a && fd < 0; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) continue;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(found);
    if (fd >= 0) {
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        timeval tv{10, 0};  // nothing here may hang
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    return fd;
}

std::string request_for(const settings& s, int connection, long i) {
    const bool notebook = s.target.rfind("/api/eventlog", 0) == 0;
    const std::string event = "{\"path\":\"notebooks/c" + std::to_string(connection) + "-" + std::to_string(i) +
                              ".ipynb\",\"action\":\"save\",\"size\":" + std::to_string(1000 + i) + "}";
    const std::string body = notebook ? "{\"schema\":\"" + s.schema + "\",\"version\":\"" + s.version +
                                            "\",\"event\":" + event + "}"
                                      : "{\"schema_id\":\"" + s.schema + "\",\"version\":\"" + s.version +
                                            "\",\"data\":" + event + "}";
    std::string out = "POST " + s.target + " HTTP/1.1\r\nHost: " + s.host + "\r\nContent-Type: application/json\r\n";
    if (!s.token.empty()) out += "Authorization: token " + s.token + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return out;
}

// One keep-alive connection: a request in flight at a time.
struct connection {
    int fd = -1;
    int id = 0;
    long sent = 0;        // requests sent
    long to_send = 0;     // requests this connection sends in the current phase
    bool record = false;  // measure latencies in this phase
    clock_type::time_point started;
    std::string buffer;
};

bool send_all(int fd, const std::string& bytes) {
    for (std::size_t done = 0; done < bytes.size();) {
        const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;  // a few hundred bytes: rare
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// The status of the complete response at the front of `buffer` (removed), 0 if incomplete.
int take_response(std::string& buffer) {
    const std::size_t end = buffer.find("\r\n\r\n");
    if (end == std::string::npos || buffer.size() < 12) return 0;
    std::size_t length = 0;
    const auto cl = buffer.find("Content-Length: ");
    if (cl != std::string::npos && cl < end) length = std::strtoul(buffer.c_str() + cl + 16, nullptr, 10);
    if (buffer.size() < end + 4 + length) return 0;
    const int status = std::atoi(buffer.c_str() + 9);
    buffer.erase(0, end + 4 + length);
    return status;
}

struct thread_result {
    std::vector<std::uint32_t> latencies_ns;
    std::map<int, long> statuses;
    bool broken = false;
};

// Drives `conns` with epoll until each has sent `to_send` requests and read the answers.
// One thread serves many connections, as wrk does, so the generator itself needs few
// wake-ups and leaves the CPU to the server.
void drive(const settings& s, std::vector<connection>& conns, thread_result& r) {
    const int ep = ::epoll_create1(EPOLL_CLOEXEC);
    long outstanding = 0;
    for (auto& c : conns) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.ptr = &c;
        ::epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
        if (c.sent < c.to_send) {
            c.started = clock_type::now();
            if (!send_all(c.fd, request_for(s, c.id, c.record ? c.sent : -1 - c.sent))) r.broken = true;
            ++c.sent;
            ++outstanding;
        }
    }
    epoll_event events[64];
    char chunk[16384];
    while (outstanding > 0 && !r.broken) {
        const int n = ::epoll_wait(ep, events, 64, 10000);
        if (n <= 0) {
            r.broken = n == 0 || errno != EINTR;
            continue;
        }
        for (int i = 0; i < n && !r.broken; ++i) {
            auto& c = *static_cast<connection*>(events[i].data.ptr);
            const ssize_t got = ::recv(c.fd, chunk, sizeof chunk, 0);
            if (got <= 0) {
                if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
                r.broken = true;
                break;
            }
            c.buffer.append(chunk, static_cast<std::size_t>(got));
            while (const int status = take_response(c.buffer)) {
                const auto now = clock_type::now();
                --outstanding;
                if (c.record) {
                    ++r.statuses[status];
                    r.latencies_ns.push_back(static_cast<std::uint32_t>(
                        std::chrono::duration_cast<std::chrono::nanoseconds>(now - c.started).count()));
                }
                if (c.sent < c.to_send) {
                    c.started = clock_type::now();
                    if (!send_all(c.fd, request_for(s, c.id, c.record ? c.sent : -1 - c.sent))) r.broken = true;
                    ++c.sent;
                    ++outstanding;
                }
            }
        }
    }
    ::close(ep);
}

double percentile(const std::vector<std::uint32_t>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(i, sorted.size() - 1)] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
    settings s;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "http_load: %s needs a value\n%s", a.c_str(), usage);
                std::exit(64);
            }
            return argv[++i];
        };
        if (a == "--url") {
            if (!parse_url(next(), s)) {
                std::fprintf(stderr, "http_load: --url must be http://HOST:PORT/PATH\n");
                return 64;
            }
        } else if (a == "--connections") s.connections = std::max(1, std::atoi(next().c_str()));
        else if (a == "--threads") s.threads = std::max(1, std::atoi(next().c_str()));
        else if (a == "--events") s.events = std::max(1L, std::atol(next().c_str()));
        else if (a == "--warmup") s.warmup = std::max(0L, std::atol(next().c_str()));
        else if (a == "--token") s.token = next();
        else if (a == "--schema") s.schema = next();
        else if (a == "--version") s.version = next();
        else if (a == "--help" || a == "-h") {
            std::fputs(usage, stdout);
            return 0;
        } else {
            std::fprintf(stderr, "http_load: unknown argument %s\n%s", a.c_str(), usage);
            return 64;
        }
    }

    const int thread_count = std::min(s.threads, s.connections);
    std::vector<std::vector<connection>> groups(static_cast<std::size_t>(thread_count));
    for (int c = 0; c < s.connections; ++c) {
        connection conn;
        conn.fd = connect_to(s);
        conn.id = c;
        if (conn.fd < 0) {
            std::fprintf(stderr, "http_load: cannot connect to %s:%s\n", s.host.c_str(), s.port.c_str());
            return 69;
        }
        groups[static_cast<std::size_t>(c % thread_count)].push_back(std::move(conn));
    }
    std::vector<thread_result> results(static_cast<std::size_t>(thread_count));
    auto phase = [&](bool measured) {
        std::vector<std::thread> threads;
        for (int t = 0; t < thread_count; ++t) {
            threads.emplace_back([&, t, measured] {
                auto& conns = groups[static_cast<std::size_t>(t)];
                for (auto& c : conns) {
                    c.sent = 0;
                    c.record = measured;
                    c.to_send = measured ? s.events / s.connections + (c.id < s.events % s.connections ? 1 : 0)
                                         : s.warmup;
                }
                drive(s, conns, results[static_cast<std::size_t>(t)]);
            });
        }
        for (auto& t : threads) t.join();
    };
    phase(false);
    const auto start = clock_type::now();
    phase(true);
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    for (auto& g : groups)
        for (auto& c : g) ::close(c.fd);

    std::vector<std::uint32_t> all;
    std::map<int, long> statuses;
    bool broken = false;
    for (auto& r : results) {
        all.insert(all.end(), r.latencies_ns.begin(), r.latencies_ns.end());
        for (auto [code, n] : r.statuses) statuses[code] += n;
        broken = broken || r.broken;
    }
    std::sort(all.begin(), all.end());
    std::printf("http_load: %zu events over %d keep-alive connections to http://%s:%s%s\n", all.size(), s.connections,
                s.host.c_str(), s.port.c_str(), s.target.c_str());
    std::printf("  throughput  %.0f events/s (%.3f s)\n", static_cast<double>(all.size()) / seconds, seconds);
    std::printf("  latency     p50 %.1f us, p90 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us\n",
                percentile(all, 50), percentile(all, 90), percentile(all, 99), percentile(all, 99.9),
                all.empty() ? 0.0 : all.back() / 1000.0);
    std::printf("  responses  ");
    for (auto [code, n] : statuses) std::printf(" %ld x %d", n, code);
    std::printf("%s\n", broken ? " (a connection broke)" : "");
    const bool all_ok = !broken && statuses.size() == 1 && statuses.begin()->first == 204;
    return all_ok ? 0 : 1;
}
