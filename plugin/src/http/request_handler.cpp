#include "http/request_handler.hpp"

#include "detail/input_json.hpp"
#include "detail/json_writer.hpp"
#include "detail/versions.hpp"

#include <boost/json/monotonic_resource.hpp>

#include <cstdio>
#include <cstring>
#include <ctime>

namespace jupyter_events::server_detail {
namespace {

namespace json = boost::json;

enum class route { unknown, eventlog, events, health, metrics };

route route_of(std::string_view target) noexcept {
    const auto query = target.find('?');
    if (query != std::string_view::npos) target = target.substr(0, query);
    if (target == "/api/eventlog") return route::eventlog;
    if (target == "/api/events") return route::events;
    if (target == "/api/eventlog/health") return route::health;
    if (target == "/metrics") return route::metrics;
    return route::unknown;
}

const char* method_name(method m) noexcept {
    switch (m) {
        case method::get: return "GET";
        case method::head: return "HEAD";
        case method::post: return "POST";
        case method::other: break;
    }
    return "this method";
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

bool iends_with(std::string_view s, std::string_view suffix) noexcept {
    return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

// Time depends on the configured token's length only, never on where the strings differ.
bool constant_time_equal(std::string_view given, std::string_view expected) noexcept {
    volatile unsigned diff = given.size() == expected.size() ? 0u : 1u;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
        diff = diff | static_cast<unsigned>(g ^ static_cast<unsigned char>(expected[i]));
    }
    return diff == 0;
}

bool is_json_media_type(std::string_view content_type) noexcept {
    std::string_view type = trim(content_type.substr(0, content_type.find(';')));
    if (iequals(type, "application/json")) return true;
    return type.size() > 17 && iequals(type.substr(0, 12), "application/") && iends_with(type, "+json");
}

// Client-supplied text shown in a message: at most `limit` bytes, cut on a UTF-8 boundary.
std::string clip(std::string_view s, std::size_t limit = 200) {
    if (s.size() <= limit) return std::string(s);
    std::size_t n = limit;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return std::string(s.substr(0, n)) + "...";
}

std::string shown(const json::value& v) {
    std::string text, ignored;
    detail::write_json(text, v, json_style::compact, ignored);
    return clip(text, 80);
}

const char* reason_phrase(unsigned status) noexcept {
    switch (status) {
        case 200: return "OK";
        case 204: return "No Content";
        case 400: return "Bad Request";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 413: return "Payload Too Large";
        case 415: return "Unsupported Media Type";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Unknown";
    }
}

// RFC 7231 IMF-fixdate, rebuilt at most once a second per thread.
void append_date(std::string& out) {
    static const char* const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    thread_local std::time_t cached_second = -1;
    thread_local char cached[32] = {};
    const std::time_t now = std::time(nullptr);
    if (now != cached_second) {
        std::tm tm{};
        ::gmtime_r(&now, &tm);
        std::snprintf(cached, sizeof cached, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
                      months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
        cached_second = now;
    }
    out += cached;
}

}  // namespace

void set_error(response& out, unsigned status, std::string_view reason, std::string_view message) {
    out.status = status;
    out.content_type = "application/json";
    out.body.clear();
    out.body += "{\"message\":";
    if (!detail::write_json_string(out.body, message, json_style::compact)) {
        out.body.resize(std::strlen("{\"message\":"));
        out.body += "\"(message not valid UTF-8)\"";
    }
    out.body += ",\"reason\":\"";
    out.body += reason;
    out.body += "\"}";
}

void serialize(std::string& out, const response& r, bool keep_alive, bool http10) {
    out += "HTTP/1.1 ";
    out += std::to_string(r.status);
    out += ' ';
    out += reason_phrase(r.status);
    out += "\r\nDate: ";
    append_date(out);
    out += "\r\n";
    if (!r.content_type.empty()) {
        out += "Content-Type: ";
        out += r.content_type;
        out += "\r\n";
    }
    if (r.status != 204) {
        out += "Content-Length: ";
        out += std::to_string(r.body.size());
        out += "\r\n";
    }
    if (!r.allow.empty()) {
        out += "Allow: ";
        out += r.allow;
        out += "\r\n";
    }
    if (r.retry_after) out += "Retry-After: 1\r\n";
    if (!keep_alive) out += "Connection: close\r\n";
    else if (http10) out += "Connection: keep-alive\r\n";
    out += "\r\n";
    out += r.body;
}

request_handler::request_handler(event_logger& logger, const server_config& options, server_counters& counters)
    : logger_(logger), token_(options.token), counters_(counters) {}

bool request_handler::token_ok(std::optional<std::string_view> authorization) const noexcept {
    if (token_.empty()) return true;
    if (!authorization) return false;
    const std::string_view value = trim(*authorization);
    const auto space = value.find_first_of(" \t");
    if (space == std::string_view::npos) return false;
    const std::string_view scheme = value.substr(0, space);
    if (!iequals(scheme, "token") && !iequals(scheme, "bearer")) return false;
    return constant_time_equal(trim(value.substr(space)), token_);
}

bool request_handler::check_head(const request_head& head, response& out) const {
    const route r = route_of(head.target);
    if (r == route::unknown) {
        set_error(out, 404, "not_found",
                  "no such endpoint (" + clip(head.target) +
                      "); use POST /api/eventlog, POST /api/events, GET /api/eventlog/health or GET /metrics");
        return false;
    }
    const bool post_route = r == route::eventlog || r == route::events;
    const method wanted = post_route ? method::post : method::get;
    if (head.verb != wanted) {
        set_error(out, 405, "method_not_allowed",
                  std::string(method_name(head.verb)) + " is not allowed on " + clip(head.target) + "; use " +
                      method_name(wanted));
        out.allow = post_route ? "POST" : "GET";
        return false;
    }
    if (r != route::health && !token_ok(head.authorization)) {
        set_error(out, 403, "forbidden",
                  head.authorization ? "invalid token; send \"Authorization: token TOKEN\" or \"Bearer TOKEN\" with "
                                       "the EventServer.token"
                                     : "a token is required; send \"Authorization: token TOKEN\" or \"Bearer TOKEN\"");
        return false;
    }
    if (post_route && head.content_type && !is_json_media_type(*head.content_type)) {
        set_error(out, 415, "unsupported_media_type",
                  "unsupported content type (" + clip(*head.content_type) + "); send Content-Type: application/json");
        return false;
    }
    return true;
}

void request_handler::handle(const request_head& head, std::string_view body, response& out) {
    switch (route_of(head.target)) {
        case route::eventlog: return record(true, body, out);
        case route::events: return record(false, body, out);
        case route::health:
            out.status = 200;
            out.content_type = "application/json";
            out.body = "{\"status\":\"ok\"}";
            return;
        case route::metrics:
            out.status = 200;
            out.content_type = "text/plain; version=0.0.4; charset=utf-8";
            out.body.clear();
            counters_.write_text(out.body, logger_);
            return;
        case route::unknown: break;
    }
    set_error(out, 404, "not_found", "no such endpoint (" + clip(head.target) + ")");
}

void request_handler::reject(response& out, reject_reason reason, std::string_view schema_id, unsigned status,
                             std::string_view message) {
    counters_.for_schema(schema_id).rejected[static_cast<std::size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
    set_error(out, status, reason_name(reason), message);
}

void request_handler::record(bool notebook_form, std::string_view body, response& out) {
    const std::string schema_key = notebook_form ? "schema" : "schema_id";
    const std::string data_key = notebook_form ? "event" : "data";
    const char* const shape = notebook_form ? "; send {\"schema\": ID, \"version\": V, \"event\": {...}}"
                                            : "; send {\"schema_id\": ID, \"version\": V, \"data\": {...}}";
    const auto bad = [&](const std::string& message) {
        reject(out, reject_reason::bad_request, {}, 400, "record event: " + message);
    };

    // Small events parse into the stack; the value never outlives this call (the logger
    // copies what it keeps).
    unsigned char buffer[4096];
    json::monotonic_resource resource(buffer, sizeof buffer);
    std::string problem;
    std::optional<json::value> parsed = detail::parse_event_json(body, problem, &resource);
    if (!parsed) return bad(problem + shape);
    const json::object* obj = parsed->if_object();
    if (!obj) return bad("the body must be a JSON object, not " + shown(*parsed) + shape);

    const json::value* schema = obj->if_contains(schema_key);
    if (!schema || schema->is_null()) return bad("/" + schema_key + ": missing" + shape);
    if (!schema->is_string()) return bad("/" + schema_key + ": must be a string (" + shown(*schema) + ")");
    const std::string_view id(schema->get_string().data(), schema->get_string().size());

    const json::value* version_value = obj->if_contains("version");
    if (!version_value || version_value->is_null())
        return bad("/version: missing; HTTP requests name the schema version" + std::string(shape));
    const std::optional<std::string> version = detail::version_string(*version_value);
    if (!version) return bad("/version: must be a string or an integer (" + shown(*version_value) + ")");
    if (version->empty()) return bad("/version: must not be empty; HTTP requests name the schema version");

    const json::value* data = obj->if_contains(data_key);
    if (!data) return bad("/" + data_key + ": missing" + shape);

    std::string_view timestamp;
    if (const json::value* ts = obj->if_contains("timestamp"); ts && !ts->is_null()) {
        if (!ts->is_string()) return bad("/timestamp: must be an RFC 3339 string (" + shown(*ts) + ")");
        timestamp = std::string_view(ts->get_string().data(), ts->get_string().size());
    }

    // An unknown ($id, version) is the client's mistake even when the schema is not
    // allowed (the library itself drops not-allowed events before looking them up).
    if (!logger_.registry().find(id, *version)) {
        const std::vector<std::string> known = logger_.registry().versions(id);
        if (known.empty())
            return reject(out, reject_reason::unregistered, id, 400,
                          "record event: /" + schema_key + ": schema is not registered ($id " + clip(id) +
                              "); add it to EventLogger.schemas");
        std::string list;
        for (const auto& v : known) list += (list.empty() ? "" : ", ") + v;
        return reject(out, reject_reason::unregistered, id, 400,
                      "record event: /version: schema version is not registered ($id " + clip(id) + ", version " +
                          clip(*version) + "); registered versions: " + list);
    }

    record_outcome outcome = logger_.try_record_event(id, *version, *data, timestamp);
    switch (outcome.code) {
        case errc::ok:
            if (outcome.written) counters_.for_schema(id).recorded.fetch_add(1, std::memory_order_relaxed);
            out.status = 204;
            return;
        case errc::not_allowed: out.status = 204; return;
        case errc::validation_error:
        case errc::invalid_event: return reject(out, reject_reason::invalid, id, 400, outcome.message);
        case errc::invalid_argument: {
            // The only argument a client controls besides the event is the timestamp.
            std::string message = outcome.message;
            const std::string prefix = "record event: ";
            if (message.rfind(prefix, 0) == 0) message.insert(prefix.size(), "/timestamp: ");
            return reject(out, reject_reason::bad_request, id, 400, message);
        }
        case errc::unregistered_schema: return reject(out, reject_reason::unregistered, id, 400, outcome.message);
        case errc::write_failed:
            reject(out, reject_reason::write_failed, id, 503, outcome.message + "; retry later");
            out.retry_after = true;
            return;
        default: set_error(out, 500, "internal_error", "record event: " + outcome.message); return;
    }
}

}  // namespace jupyter_events::server_detail
