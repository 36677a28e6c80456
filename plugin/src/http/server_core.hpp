// The state one event server shares with its connections: I/O context, acceptor, the set
// of open sessions, the request handler and counters. Private to jupyter_events::http.
#pragma once

#include <jupyter_events/http.hpp>

#include "http/metrics.hpp"
#include "http/request_handler.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace jupyter_events::server_detail {

class session;

/// Limits every connection applies.
struct connection_limits {
    std::size_t max_body_bytes = 65536;           ///< decoded body size
    std::size_t max_header_bytes = 8192;          ///< request line and fields
    std::chrono::milliseconds read_timeout{10000};  ///< a whole request; also idle keep-alive and writes
    std::chrono::milliseconds linger{1000};       ///< draining the peer's bytes before closing
};

}  // namespace jupyter_events::server_detail

namespace jupyter_events {

struct event_server::impl {
    impl(event_logger& logger, const server_config& options);

    // Accepting (on contexts[0], the acceptor's).
    void do_accept();
    void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);

    /// Called by a session's destructor: forget it, and resume accepting if the
    /// connection limit had paused it.
    void session_closed(server_detail::session* s) noexcept;

    event_logger& logger;
    server_config options;
    server_detail::connection_limits limits;
    unsigned threads = 1;  // I/O threads, one io_context each

    server_detail::server_counters counters;
    server_detail::request_handler handler;

    std::mutex mutex;  // guards the members up to `bound`
    std::condition_variable idle;  // signalled when run() returns
    std::unordered_set<server_detail::session*> sessions;
    bool started = false;
    bool stopping = false;
    bool accept_paused = false;  // at max_connections; session_closed resumes it
    bool running = false;        // run() is serving
    boost::asio::ip::tcp::endpoint bound;

    // One io_context per I/O thread, each run by exactly that thread: a connection's
    // handlers never change threads (no strands, no hand-off between an epoll thread and a
    // worker, which costs a wake-up per request). Declared last, destroyed first: handlers
    // still queued hold sessions, whose destructors use the members above.
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts;
    std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> keep_running;  // until stop()
    std::size_t serving = 1;       // contexts that got a thread in run() (accept thread only)
    std::size_t next_context = 0;  // round robin for new connections (accept thread only)
    boost::asio::ip::tcp::acceptor acceptor;  // on contexts[0]
    boost::asio::steady_timer accept_retry;   // after EMFILE and the like
};

}  // namespace jupyter_events
