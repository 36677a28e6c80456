#include "http/metrics.hpp"

#include <jupyter_events/schema_registry.hpp>

#include <mutex>

namespace jupyter_events::server_detail {
namespace {

// The codes the server answers with; anything else lands in the last slot as "other".
constexpr std::array<unsigned, 12> known_codes = {200, 204, 400, 403, 404, 405, 408, 413, 415, 431, 500, 503};

std::size_t code_slot(unsigned status) noexcept {
    for (std::size_t i = 0; i < known_codes.size(); ++i)
        if (known_codes[i] == status) return i;
    return known_codes.size();
}

// Prometheus label values escape backslash, double quote and newline.
void append_label(std::string& out, std::string_view value) {
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
}

void append_family(std::string& out, const char* name, const char* type, const char* help) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void append_value(std::string& out, std::uint64_t v) {
    out += ' ';
    out += std::to_string(v);
    out += '\n';
}

// One sample `series{...,handler="name"} value`; `series` ends where the handler label
// goes (e.g. `x_total{handler="` or `x_total{reason="queue_full",handler="`).
void append_handler_sample(std::string& out, std::string_view series, std::string_view handler, std::uint64_t v) {
    out += series;
    append_label(out, handler);
    out += "\"}";
    append_value(out, v);
}

}  // namespace

const char* reason_name(reject_reason r) noexcept {
    switch (r) {
        case reject_reason::invalid: return "invalid";
        case reject_reason::unregistered: return "unregistered";
        case reject_reason::bad_request: return "bad_request";
        case reject_reason::write_failed: return "write_failed";
    }
    return "bad_request";
}

server_counters::server_counters(const schema_registry& registry) : registry_(registry) {
    for (const auto& schema : registry.schemas())
        if (!schemas_.count(schema.id())) schemas_.emplace(schema.id(), std::make_unique<schema_counters>());
}

schema_counters& server_counters::for_schema(std::string_view schema_id) {
    {
        std::shared_lock lock(mutex_);
        auto it = schemas_.find(schema_id);
        if (it != schemas_.end()) return *it->second;
    }
    // Registered through the API after the server started, or unknown to the registry.
    if (schema_id.empty() || registry_.versions(schema_id).empty()) return unknown_;
    std::unique_lock lock(mutex_);
    auto [it, inserted] = schemas_.try_emplace(std::string(schema_id));
    if (inserted) it->second = std::make_unique<schema_counters>();
    return *it->second;
}

void server_counters::count_response(unsigned status) noexcept {
    responses_[code_slot(status)].fetch_add(1, std::memory_order_relaxed);
}

void server_counters::write_text(std::string& out, const event_logger& logger) const {
    const logger_stats stats = logger.stats();
    const std::vector<handler_status> handlers = logger.handlers();  // as configured now (reload may change them)
    std::shared_lock lock(mutex_);

    append_family(out, "jupyter_events_recorded_total", "counter",
                  "Events received over HTTP and written, by schema $id.");
    for (const auto& [id, c] : schemas_) {
        out += "jupyter_events_recorded_total{schema=\"";
        append_label(out, id);
        out += "\"}";
        append_value(out, c->recorded.load(std::memory_order_relaxed));
    }

    append_family(out, "jupyter_events_rejected_total", "counter",
                  "Events refused over HTTP (400, or 503 for write_failed), by schema $id (\"\" when the $id "
                  "is unknown or missing) and reason.");
    auto rejected = [&](std::string_view id, const schema_counters& c) {
        for (std::size_t r = 0; r < reject_reason_count; ++r) {
            out += "jupyter_events_rejected_total{schema=\"";
            append_label(out, id);
            out += "\",reason=\"";
            out += reason_name(static_cast<reject_reason>(r));
            out += "\"}";
            append_value(out, c.rejected[r].load(std::memory_order_relaxed));
        }
    };
    for (const auto& [id, c] : schemas_) rejected(id, *c);
    rejected("", unknown_);

    append_family(out, "jupyter_events_dropped_total", "counter",
                  "Events not written by design: not in allowed_schemas, no handler wants the schema, or a "
                  "handler's queue was full.");
    out += "jupyter_events_dropped_total{reason=\"not_allowed\"}";
    append_value(out, stats.dropped_not_allowed);
    out += "jupyter_events_dropped_total{reason=\"no_handler\"}";
    append_value(out, stats.dropped_no_handler);
    if (handlers.empty()) {
        out += "jupyter_events_dropped_total{reason=\"queue_full\"}";
        append_value(out, 0);
    }
    for (const auto& h : handlers) {
        append_handler_sample(out, "jupyter_events_dropped_total{reason=\"queue_full\",handler=\"", h.name,
                              h.dropped_queue_full);
    }

    append_family(out, "jupyter_events_queue_depth", "gauge", "Records waiting in a handler's queue.");
    for (const auto& h : handlers) {
        append_handler_sample(out, "jupyter_events_queue_depth{handler=\"", h.name, h.queue_depth);
    }
    append_family(out, "jupyter_events_write_errors_total", "counter", "Records a handler failed to write.");
    if (handlers.empty()) {  // a logger without handlers: its sinks are the application's
        out += "jupyter_events_write_errors_total";
        append_value(out, stats.write_errors);
    }
    for (const auto& h : handlers) {
        append_handler_sample(out, "jupyter_events_write_errors_total{handler=\"", h.name, h.write_errors);
    }

    append_family(out, "jupyter_events_http_responses_total", "counter", "HTTP responses sent, by status code.");
    for (std::size_t i = 0; i <= known_codes.size(); ++i) {
        out += "jupyter_events_http_responses_total{code=\"";
        out += i < known_codes.size() ? std::to_string(known_codes[i]) : std::string("other");
        out += "\"}";
        append_value(out, responses_[i].load(std::memory_order_relaxed));
    }
    append_family(out, "jupyter_events_http_connections", "gauge", "Open HTTP connections.");
    out += "jupyter_events_http_connections";
    append_value(out, connections_open.load(std::memory_order_relaxed));
    append_family(out, "jupyter_events_http_connections_accepted_total", "counter", "HTTP connections accepted.");
    out += "jupyter_events_http_connections_accepted_total";
    append_value(out, connections_accepted.load(std::memory_order_relaxed));
}

}  // namespace jupyter_events::server_detail
