// Fuzzes the event server's request path without sockets: bytes are parsed as pipelined
// HTTP/1.x requests by Beast's request_parser with the limits a connection uses, and each
// complete request goes through request_handler::check_head / handle and serialize, as
// session.cpp does (routing, token, content type, JSON body, recording, metrics).
//
// Input: the bytes a client sends on one connection. The server's token is "fuzz-token".
#include "fuzz_support.hpp"

#include "http/metrics.hpp"
#include "http/request_handler.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>

namespace {

namespace je = jupyter_events;
namespace sd = jupyter_events::server_detail;
namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr std::size_t max_header_bytes = 8192;  // connection_limits' defaults
constexpr std::size_t max_body_bytes = 65536;
constexpr int max_requests = 16;

struct fixtures {
    je::event_logger& logger = je_fuzz::fixture_logger(false);
    sd::server_counters counters{logger.registry()};
    sd::request_handler handler{logger, make_options(), counters};

    static je::server_config make_options() {
        je::server_config o;
        o.token = "fuzz-token";
        o.max_body_bytes = max_body_bytes;
        return o;
    }
};

// session.cpp's head_of.
std::optional<std::string_view> field(const bhttp::request<bhttp::string_body>& req, bhttp::field f) {
    auto it = req.find(f);
    if (it == req.end()) return std::nullopt;
    return std::string_view(it->value().data(), it->value().size());
}

sd::request_head head_of(const bhttp::request<bhttp::string_body>& req) {
    sd::request_head head;
    switch (req.method()) {
        case bhttp::verb::get: head.verb = sd::method::get; break;
        case bhttp::verb::head: head.verb = sd::method::head; break;
        case bhttp::verb::post: head.verb = sd::method::post; break;
        default: head.verb = sd::method::other; break;
    }
    head.target = std::string_view(req.target().data(), req.target().size());
    head.authorization = field(req, bhttp::field::authorization);
    head.content_type = field(req, bhttp::field::content_type);
    return head;
}

// What every answer must look like: a status the server uses, and a JSON error body.
void check_response(const sd::response& r, const std::string& wire) {
    static const unsigned statuses[] = {200, 204, 400, 403, 404, 405, 413, 415, 431, 500, 503};
    if (std::find(std::begin(statuses), std::end(statuses), r.status) == std::end(statuses))
        je_fuzz::fail("unexpected status " + std::to_string(r.status));
    if (r.status == 500) je_fuzz::fail("internal error on client input: " + r.body);
    if (r.status == 503) je_fuzz::fail("write failed to /dev/null: " + r.body);
    if (r.content_type == "application/json") {
        boost::system::error_code ec;
        json::value v = json::parse(r.body, ec);
        if (ec || !v.is_object()) je_fuzz::fail("response body is not a JSON object: " + r.body);
        if (r.status >= 400 && (!v.as_object().if_contains("message") || !v.as_object().if_contains("reason")))
            je_fuzz::fail("error body without message and reason: " + r.body);
    }
    if (wire.find("\r\n\r\n") == std::string::npos) je_fuzz::fail("serialized response has no header end");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fixtures f;
    std::string_view rest = je_fuzz::as_text(data, size);
    for (int request = 0; request < max_requests && !rest.empty(); ++request) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(max_header_bytes));
        parser.body_limit(max_body_bytes);
        parser.eager(true);
        boost::system::error_code ec;
        std::size_t used = 0;
        while (!parser.is_done()) {
            ec = {};
            const std::size_t n = parser.put(boost::asio::buffer(rest.data() + used, rest.size() - used), ec);
            used += n;
            if (ec == bhttp::error::need_more || (!ec && n == 0)) {
                if (n > 0 && used < rest.size()) continue;  // all we have is offered each time
                ec = {};
                parser.put_eof(ec);  // the client closed mid-request
                if (!ec && !parser.is_done()) ec = bhttp::error::partial_message;
                break;
            }
            if (ec) break;
        }
        rest.remove_prefix(std::min(used, rest.size()));

        sd::response response;
        bool keep_alive = false;
        bool answer = true;
        if (ec == bhttp::error::body_limit) {
            // As session::on_header: the more specific refusal wins, then 413.
            if (parser.is_header_done()) {
                const sd::request_head head = head_of(parser.get());
                if (f.handler.check_head(head, response)) sd::set_error(response, 413, "body_too_large", "too large");
            } else {
                sd::set_error(response, 413, "body_too_large", "too large");
            }
        } else if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
            sd::set_error(response, 431, "header_too_large", "request header too large");
        } else if (ec == bhttp::error::partial_message || ec == bhttp::error::end_of_stream) {
            answer = false;  // the peer went away: nothing to answer
        } else if (ec) {
            sd::set_error(response, 400, "bad_request", "malformed HTTP request (" + ec.message() + ")");
        } else {
            const sd::request_head head = head_of(parser.get());
            if (f.handler.check_head(head, response)) f.handler.handle(head, parser.get().body(), response);
            keep_alive = parser.get().keep_alive() && !response.close;
        }
        if (!answer) break;
        f.handler.counters().count_response(response.status);
        std::string wire;
        sd::serialize(wire, response, keep_alive, parser.get().version() == 10);
        check_response(response, wire);
        if (je_fuzz::verbose()) std::fprintf(stderr, "%u %s\n", response.status, response.body.c_str());
        if (!keep_alive) break;
    }
    return 0;
}
