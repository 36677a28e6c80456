#include "http/session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <exception>

namespace jupyter_events::server_detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using error_code = boost::system::error_code;

constexpr std::size_t drain_limit = 1 << 20;  // bytes read and discarded before a close

method verb_of(bhttp::verb v) noexcept {
    switch (v) {
        case bhttp::verb::get: return method::get;
        case bhttp::verb::head: return method::head;
        case bhttp::verb::post: return method::post;
        default: return method::other;
    }
}

std::optional<std::string_view> field(const bhttp::request<bhttp::string_body>& req, bhttp::field f) {
    auto it = req.find(f);
    if (it == req.end()) return std::nullopt;
    return std::string_view(it->value().data(), it->value().size());
}

request_head head_of(const bhttp::request<bhttp::string_body>& req) {
    request_head head;
    head.verb = verb_of(req.method());
    head.target = std::string_view(req.target().data(), req.target().size());
    head.authorization = field(req, bhttp::field::authorization);
    head.content_type = field(req, bhttp::field::content_type);
    return head;
}

bool expects_continue(const bhttp::request<bhttp::string_body>& req) {
    auto value = field(req, bhttp::field::expect);
    if (!value || value->size() != 12) return false;
    return beast::iequals(*value, "100-continue");
}

// Errors that mean the peer went away (nothing to answer).
bool peer_gone(const error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::error::connection_aborted || ec == asio::error::bad_descriptor;
}

const char continue_response[] = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

session::session(asio::ip::tcp::socket socket, event_server::impl& server)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      server_(server),
      buffer_(server.limits.max_header_bytes + 8192) {}

session::~session() {
    server_.counters.connections_open.fetch_sub(1, std::memory_order_relaxed);
    server_.session_closed(this);
}

void session::start() {
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->read_request(); });
}

void session::shutdown() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->on_shutdown(); });
}

void session::on_shutdown() {
    stopping_ = true;
    // A request not begun is not in flight: close now. One partly received goes on
    // (bounded by its deadline) and is answered with "Connection: close".
    if (phase_ == phase::reading_header && nothing_received()) close_now();
}

bool session::nothing_received() const noexcept {
    return buffer_.size() == 0 && !(parser_ && parser_->got_some());
}

// --- timeouts -------------------------------------------------------------------------
// One timer per connection chasing a moving deadline: requests only push the deadline
// forward, so a busy keep-alive connection touches the timer about once per read timeout
// rather than twice per request.

void session::set_deadline(std::chrono::milliseconds after) {
    deadline_ = clock::now() + after;
    if (!timer_armed_ || deadline_ < timer_.expiry()) arm_timer();
}

void session::arm_timer() {
    timer_.expires_at(deadline_);  // cancels a pending wait (its handler sees operation_aborted)
    timer_armed_ = true;
    timer_.async_wait([self = shared_from_this()](const error_code& ec) { self->on_timer(ec); });
}

void session::on_timer(const error_code& ec) {
    if (ec == asio::error::operation_aborted || phase_ == phase::closed) return;
    timer_armed_ = false;
    const auto now = clock::now();
    if (now < deadline_) return arm_timer();
    switch (phase_) {
        case phase::reading_header:
            if (nothing_received()) return close_now();  // idle keep-alive connection
            if (!extended_) {
                // The request began at some point during the idle wait: it gets a whole
                // read timeout of its own, once. A trickling client is cut off at 2x at most.
                extended_ = true;
                deadline_ = now + server_.limits.read_timeout;
                return arm_timer();
            }
            timed_out_ = true;
            socket_.cancel();  // the read completes with operation_aborted -> 408
            return;
        case phase::reading_body:
            timed_out_ = true;
            socket_.cancel();
            return;
        case phase::handling: return;  // synchronous; the write sets a new deadline
        case phase::writing:           // the client does not read its responses
        case phase::closing:
        case phase::closed: return close_now();
    }
}

// --- requests -------------------------------------------------------------------------

void session::read_request() {
    if (stopping_) return close_gracefully();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.limits.max_header_bytes));
    parser_->body_limit(server_.limits.max_body_bytes);
    phase_ = phase::reading_header;
    extended_ = false;
    timed_out_ = false;
    set_deadline(server_.limits.read_timeout);
    bhttp::async_read_header(socket_, buffer_, *parser_,
                             [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_header(ec); });
}

void session::on_header(const error_code& ec) {
    if (phase_ == phase::closed) return;
    response_.status = 204;
    response_.body.clear();
    response_.content_type = {};
    response_.allow = {};
    response_.retry_after = false;
    response_.close = false;
    if (ec == bhttp::error::body_limit) {
        // Content-Length over the limit: the header is parsed, so say the more specific
        // thing when the head is wrong anyway (404 beats 413), then close.
        head_ = head_of(parser_->get());
        if (server_.handler.check_head(head_, response_))
            set_error(response_, 413, "body_too_large",
                      "request body larger than max_body_bytes (" + std::to_string(server_.limits.max_body_bytes) +
                          " bytes)");
        return respond(false);
    }
    if (ec) return read_failed(ec);
    head_ = head_of(parser_->get());
    head_ok_ = server_.handler.check_head(head_, response_);
    if (parser_->is_done()) return finish();
    if (expects_continue(parser_->get())) {
        // The client waits before sending the body: refuse now, or invite it.
        if (!head_ok_) return respond(false);
        phase_ = phase::writing;
        asio::async_write(socket_, asio::buffer(continue_response, sizeof continue_response - 1),
                          [self = shared_from_this()](const error_code& wec, std::size_t) {
                              if (self->phase_ == phase::closed) return;
                              if (wec) return self->close_now();
                              self->read_body();
                          });
        return;
    }
    read_body();
}

void session::read_body() {
    phase_ = phase::reading_body;
    bhttp::async_read(socket_, buffer_, *parser_,
                      [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_body(ec); });
}

void session::on_body(const error_code& ec) {
    if (phase_ == phase::closed) return;
    if (ec == bhttp::error::body_limit) {
        // A chunked body grew past the limit (the limit applies to the decoded size).
        if (head_ok_)
            set_error(response_, 413, "body_too_large",
                      "request body larger than max_body_bytes (" + std::to_string(server_.limits.max_body_bytes) +
                          " bytes)");
        return respond(false);
    }
    if (ec) return read_failed(ec);
    finish();
}

void session::read_failed(const error_code& ec) {
    if (ec == asio::error::operation_aborted) {
        if (timed_out_)
            return fail(408, "timeout",
                        "request not received within read_timeout_ms (" +
                            std::to_string(server_.limits.read_timeout.count()) + " ms); send the whole request sooner");
        return close_now();
    }
    if (peer_gone(ec)) return close_now();
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow)
        return fail(431, "header_too_large",
                    "request header larger than " + std::to_string(server_.limits.max_header_bytes) + " bytes");
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category())
        return fail(400, "bad_request", "malformed HTTP request (" + ec.message() + ")");
    close_now();  // a socket error: nobody to answer
}

void session::fail(unsigned status, const char* reason, const std::string& message) {
    set_error(response_, status, reason, message);
    respond(false);
}

void session::finish() {
    phase_ = phase::handling;
    if (head_ok_) {
        try {
            server_.handler.handle(head_, parser_->get().body(), response_);
        } catch (const std::exception& e) {
            set_error(response_, 500, "internal_error", std::string("unexpected error (") + e.what() + ")");
        }
    }
    respond(parser_->get().keep_alive() && !stopping_ && !response_.close);
}

void session::respond(bool keep_alive) {
    server_.counters.count_response(response_.status);
    out_.clear();
    serialize(out_, response_, keep_alive, parser_ && parser_->get().version() == 10);
    phase_ = phase::writing;
    set_deadline(server_.limits.read_timeout);
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this(), keep_alive](const error_code& ec, std::size_t) {
                          self->on_write(ec, keep_alive);
                      });
}

void session::on_write(const error_code& ec, bool keep_alive) {
    if (phase_ == phase::closed) return;
    if (ec) return close_now();
    if (!keep_alive) return close_gracefully();
    read_request();
}

// --- closing --------------------------------------------------------------------------
// Closing a socket with unread bytes makes the kernel send RST, which can destroy the
// response still in flight to the client (after a 413, say). So: half-close, read and
// discard for a moment, then close.

void session::close_gracefully() {
    phase_ = phase::closing;
    error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    set_deadline(std::min(server_.limits.linger, server_.limits.read_timeout));
    buffer_.clear();
    drained_ = 0;
    drain();
}

void session::drain() {
    auto space = buffer_.prepare(std::min<std::size_t>(4096, buffer_.max_size()));
    socket_.async_read_some(space, [self = shared_from_this()](const error_code& ec, std::size_t n) {
        if (self->phase_ == phase::closed) return;
        self->drained_ += n;
        if (ec || self->drained_ > drain_limit) return self->close_now();
        self->drain();
    });
}

void session::close_now() {
    if (phase_ == phase::closed) return;
    phase_ = phase::closed;
    error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    timer_.cancel();
}

}  // namespace jupyter_events::server_detail
