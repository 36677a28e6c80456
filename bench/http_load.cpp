// http_load: a load generator for `jupyter-events serve`. N keep-alive connections, one
// thread each, post events back to back (one request in flight per connection) and
// measure events/s and the latency distribution of each request/response round trip.
//
//   jupyter-events serve --config config/example.yaml --listen 127.0.0.1:8585 &
//   http_load --url http://127.0.0.1:8585/api/events --connections 4 --events 20000
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
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
    long events = 20000;
    long warmup = 200;  // per connection, not measured
    std::string token;
    std::string schema = "https://events.example.org/file-save", version = "1";
};

const char* const usage =
    "usage: http_load --url http://HOST:PORT/api/events [--connections N] [--events N] [--warmup N]\n"
    "                 [--token T] [--schema ID] [--version V]\n"
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

// Sends one request and reads its response; returns the status, 0 on a broken connection.
int round_trip(int fd, const std::string& request, std::string& buffer) {
    for (std::size_t sent = 0; sent < request.size();) {
        const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return 0;
        sent += static_cast<std::size_t>(n);
    }
    char chunk[8192];
    std::size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return 0;
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
    if (buffer.size() < 12) return 0;
    const int status = std::atoi(buffer.c_str() + 9);
    std::size_t length = 0;
    const auto cl = buffer.find("Content-Length: ");
    if (cl != std::string::npos && cl < end) length = std::strtoul(buffer.c_str() + cl + 16, nullptr, 10);
    while (buffer.size() < end + 4 + length) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return 0;
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
    buffer.erase(0, end + 4 + length);
    return status;
}

struct connection_result {
    std::vector<std::uint32_t> latencies_ns;
    std::map<int, long> statuses;
    bool broken = false;
};

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

    std::vector<int> fds;
    for (int c = 0; c < s.connections; ++c) {
        const int fd = connect_to(s);
        if (fd < 0) {
            std::fprintf(stderr, "http_load: cannot connect to %s:%s\n", s.host.c_str(), s.port.c_str());
            return 69;
        }
        fds.push_back(fd);
    }
    std::vector<connection_result> results(static_cast<std::size_t>(s.connections));
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int c = 0; c < s.connections; ++c) {
        threads.emplace_back([&, c] {
            const long share = s.events / s.connections + (c < s.events % s.connections ? 1 : 0);
            auto& r = results[static_cast<std::size_t>(c)];
            r.latencies_ns.reserve(static_cast<std::size_t>(share));
            std::string buffer;
            const int fd = fds[static_cast<std::size_t>(c)];
            for (long i = 0; i < s.warmup && !r.broken; ++i)
                r.broken = round_trip(fd, request_for(s, c, -1 - i), buffer) == 0;
            ++ready;
            while (!go) std::this_thread::yield();
            for (long i = 0; i < share && !r.broken; ++i) {
                const std::string request = request_for(s, c, i);
                const auto t0 = clock_type::now();
                const int status = round_trip(fd, request, buffer);
                const auto t1 = clock_type::now();
                if (status == 0) {
                    r.broken = true;
                    break;
                }
                ++r.statuses[status];
                r.latencies_ns.push_back(
                    static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
            }
        });
    }
    while (ready < s.connections) std::this_thread::yield();
    const auto start = clock_type::now();
    go = true;
    for (auto& t : threads) t.join();
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    for (int fd : fds) ::close(fd);

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
