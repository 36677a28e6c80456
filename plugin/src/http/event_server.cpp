// The event server: listening, accepting up to max_connections, the I/O threads, and a
// shutdown that answers what is in flight before returning (no 204 without its record).
#include <jupyter_events/http.hpp>

#include "http/server_core.hpp"
#include "http/session.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>

#include <algorithm>
#include <charconv>
#include <exception>
#include <thread>
#include <vector>

namespace jupyter_events {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

struct host_port {
    std::string host;
    std::uint16_t port = 0;
};

// "127.0.0.1:8585", "[::1]:8585", "localhost:0", ":8585" (all interfaces).
host_port parse_listen(const std::string& text) {
    const auto bad = [&](const std::string& why) -> error {
        return error(errc::config_error, "EventServer.listen: " + why + " (" + text +
                                             "); use HOST:PORT, e.g. 127.0.0.1:8585 or [::1]:8585");
    };
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) throw bad("no port");
    host_port out;
    out.host = text.substr(0, colon);
    if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']')
        out.host = out.host.substr(1, out.host.size() - 2);
    else if (out.host.find(':') != std::string::npos)
        throw bad("an IPv6 address goes in brackets");
    const std::string port = text.substr(colon + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535)
        throw bad("the port must be a number from 0 to 65535");
    out.port = static_cast<std::uint16_t>(value);
    if (out.host.empty() || out.host == "*") out.host = "0.0.0.0";
    return out;
}

unsigned thread_count(const server_config& o) {
    return o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
}

std::vector<std::unique_ptr<asio::io_context>> make_contexts(unsigned n) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (unsigned i = 0; i < n; ++i) out.push_back(std::make_unique<asio::io_context>(1));  // hint: one thread
    return out;
}

tcp::endpoint resolve(asio::io_context& ioc, const std::string& listen) {
    const host_port hp = parse_listen(listen);
    error_code ec;
    const auto address = asio::ip::make_address(hp.host, ec);
    if (!ec) return {address, hp.port};
    tcp::resolver resolver(ioc);
    auto results = resolver.resolve(hp.host, std::to_string(hp.port), ec);
    if (ec || results.empty())
        throw error(errc::config_error, "EventServer.listen: cannot resolve host " + hp.host + " (" +
                                            (ec ? ec.message() : std::string("no address")) + ")");
    return results.begin()->endpoint();
}

std::string endpoint_text(const tcp::endpoint& e) {
    const auto address = e.address();
    return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" + std::to_string(e.port());
}

void check_options(const server_config& o) {
    if (o.max_body_bytes == 0) throw error(errc::config_error, "EventServer.max_body_bytes: must be at least 1");
    if (o.read_timeout_ms == 0) throw error(errc::config_error, "EventServer.read_timeout_ms: must be at least 1");
    if (o.max_connections == 0) throw error(errc::config_error, "EventServer.max_connections: must be at least 1");
    parse_listen(o.listen);
}

}  // namespace

event_server::impl::impl(event_logger& l, const server_config& o)
    : logger(l),
      options(o),
      threads(thread_count(o)),
      counters(l.registry()),
      handler(l, o, counters),
      contexts(make_contexts(threads)),
      acceptor(*contexts[0]),
      accept_retry(*contexts[0]) {
    limits.max_body_bytes = o.max_body_bytes;
    limits.read_timeout = std::chrono::milliseconds(o.read_timeout_ms);
    for (auto& c : contexts) keep_running.push_back(asio::make_work_guard(*c));
}

void event_server::impl::do_accept() {
    {
        std::lock_guard lock(mutex);
        if (stopping) return;
        if (sessions.size() >= options.max_connections) {
            accept_paused = true;  // new clients wait in the backlog; session_closed resumes
            return;
        }
    }
    asio::io_context& target = *contexts[next_context++ % serving];
    acceptor.async_accept(target.get_executor(), [this](const error_code& ec, tcp::socket socket) {
        on_accept(ec, std::move(socket));
    });
}

void event_server::impl::on_accept(const error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
        // EMFILE, ENOBUFS, a connection reset before accept: breathe, then go on.
        accept_retry.expires_after(std::chrono::milliseconds(50));
        accept_retry.async_wait([this](const error_code& wec) {
            if (!wec) do_accept();
        });
        return;
    }
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // small responses must not wait for Nagle
    auto s = std::make_shared<server_detail::session>(std::move(socket), *this);
    counters.connections_open.fetch_add(1, std::memory_order_relaxed);
    counters.connections_accepted.fetch_add(1, std::memory_order_relaxed);
    bool stop_now = false;
    {
        std::lock_guard lock(mutex);
        sessions.insert(s.get());
        stop_now = stopping;
    }
    s->start();
    if (stop_now) s->shutdown();
    do_accept();
}

void event_server::impl::session_closed(server_detail::session* s) noexcept {
    std::lock_guard lock(mutex);
    sessions.erase(s);
    if (accept_paused && !stopping) {
        accept_paused = false;
        try {
            asio::post(*contexts[0], [this] { do_accept(); });
        } catch (...) {
            accept_paused = true;  // out of memory: the next close tries again
        }
    }
}

event_server::event_server(event_logger& logger, const server_config& options) {
    check_options(options);
    impl_ = std::make_shared<impl>(logger, options);
}

event_server::~event_server() {
    stop();
    std::unique_lock lock(impl_->mutex);
    impl_->idle.wait(lock, [&] { return !impl_->running; });
}

void event_server::start() {
    impl& s = *impl_;
    {
        std::lock_guard lock(s.mutex);
        if (s.started) return;
    }
    const tcp::endpoint endpoint = resolve(*s.contexts[0], s.options.listen);
    error_code ec;
    const auto fail = [&](const char* what) {
        error_code ignored;
        s.acceptor.close(ignored);
        return error(errc::io_error, "event server: cannot " + std::string(what) + " " + s.options.listen + " (" +
                                         ec.message() + "); stop what uses it or choose another EventServer.listen");
    };
    s.acceptor.open(endpoint.protocol(), ec);
    if (ec) throw fail("open a socket for");
    s.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    s.acceptor.bind(endpoint, ec);
    if (ec) throw fail("listen on");
    s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw fail("listen on");
    {
        std::lock_guard lock(s.mutex);
        s.bound = s.acceptor.local_endpoint(ec);
        s.started = true;
        if (s.stopping) return;
    }
    asio::post(*s.contexts[0], [&s] { s.do_accept(); });
}

std::uint16_t event_server::port() const noexcept {
    std::lock_guard lock(impl_->mutex);
    return impl_->started ? impl_->bound.port() : 0;
}

std::string event_server::address() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->started ? endpoint_text(impl_->bound) : std::string();
}

void event_server::run() {
    start();
    impl& s = *impl_;
    {
        std::lock_guard lock(s.mutex);
        s.running = true;
    }
    // A handler that throws (it should not: sessions catch what the handler throws) must
    // not take the server down with it.
    auto serve = [](asio::io_context& ioc) {
        for (;;) {
            try {
                ioc.run();
                return;
            } catch (...) {
            }
        }
    };
    std::vector<std::thread> extra;
    try {
        for (std::size_t i = 1; i < s.contexts.size(); ++i) extra.emplace_back(serve, std::ref(*s.contexts[i]));
    } catch (...) {
        // Fewer threads than asked (thread creation failed): the acceptor only hands
        // connections to the contexts that have one.
    }
    // Set before contexts[0] runs, which is where the acceptor reads it.
    s.serving = 1 + extra.size();
    serve(*s.contexts[0]);
    for (auto& t : extra) t.join();
    std::lock_guard lock(s.mutex);
    s.running = false;
    s.idle.notify_all();
}

void event_server::stop() noexcept {
    impl& s = *impl_;
    std::vector<std::shared_ptr<server_detail::session>> open;
    {
        std::lock_guard lock(s.mutex);
        if (s.stopping) return;
        s.stopping = true;
        try {
            open.reserve(s.sessions.size());
            for (auto* session : s.sessions)
                if (auto alive = session->weak_from_this().lock()) open.push_back(std::move(alive));
        } catch (...) {
        }
    }
    try {
        asio::post(*s.contexts[0], [&s] {
            error_code ignored;
            s.acceptor.close(ignored);
            s.accept_retry.cancel();
        });
        for (auto& session : open) session->shutdown();
        // Each context's run() now returns once its connections are done.
        std::lock_guard lock(s.mutex);
        for (auto& guard : s.keep_running) guard.reset();
    } catch (...) {
    }
}

std::string event_server::metrics() const {
    std::string out;
    impl_->counters.write_text(out, impl_->logger);
    return out;
}

}  // namespace jupyter_events
