// One HTTP/1.1 connection of the event server: reads requests with Beast's parser (bounded
// header and body), applies the read timeout, hands complete requests to the
// request_handler and writes the answers, keeping the connection alive between requests.
#pragma once

#include "http/request_handler.hpp"
#include "http/server_core.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace jupyter_events::server_detail {

/// Lives as long as an asynchronous operation holds it (shared_from_this); every member
/// runs on the socket's io_context, which one thread runs. `server` must outlive it (the server's run() returns only
/// once every session is gone).
class session : public std::enable_shared_from_this<session> {
public:
    session(boost::asio::ip::tcp::socket socket, event_server::impl& server);
    ~session();
    session(const session&) = delete;
    session& operator=(const session&) = delete;

    /// Starts reading the first request. Call once.
    void start();
    /// Server shutdown: an idle connection closes now; a request in flight is answered
    /// with "Connection: close" first. Any thread.
    void shutdown();

private:
    enum class phase { reading_header, reading_body, handling, writing, closing, closed };
    using clock = std::chrono::steady_clock;

    void read_request();
    void on_header(const boost::system::error_code& ec);
    void read_body();
    void on_body(const boost::system::error_code& ec);
    void finish();
    void fail(unsigned status, const char* reason, const std::string& message);
    void read_failed(const boost::system::error_code& ec);
    void respond(bool keep_alive);
    void on_write(const boost::system::error_code& ec, bool keep_alive);
    void close_gracefully();
    void drain();
    void close_now();
    void on_shutdown();
    bool nothing_received() const noexcept;

    void set_deadline(std::chrono::milliseconds after);
    void arm_timer();
    void on_timer(const boost::system::error_code& ec);

    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer timer_;
    event_server::impl& server_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    request_head head_;  // views into *parser_
    response response_;
    std::string out_;
    phase phase_ = phase::reading_header;
    clock::time_point deadline_ = clock::time_point::max();
    bool timer_armed_ = false;
    bool extended_ = false;   // the request got one more read_timeout after starting late
    bool timed_out_ = false;  // the timer cancelled the read
    bool head_ok_ = false;
    bool stopping_ = false;
    std::size_t drained_ = 0;
};

}  // namespace jupyter_events::server_detail
