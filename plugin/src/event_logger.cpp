#include <jupyter_events/event_logger.hpp>

#include "detail/json_writer.hpp"
#include "detail/sinks.hpp"
#include "detail/timestamp.hpp"

#include <boost/json/serialize.hpp>
#include <boost/log/attributes/attribute_set.hpp>
#include <boost/log/attributes/constant.hpp>
#include <boost/log/attributes/value_extraction.hpp>
#include <boost/log/core.hpp>
#include <boost/log/trivial.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>

namespace jupyter_events {
namespace {

namespace logging = boost::log;
namespace attrs = boost::log::attributes;
namespace json = boost::json;

std::atomic<unsigned> next_logger_id{1};

std::string kind_name(const json::value& v) {
    switch (v.kind()) {
        case json::kind::array: return "an array";
        case json::kind::string: return "a string";
        case json::kind::null: return "null";
        case json::kind::bool_: return "a boolean";
        default: return "a number";
    }
}

}  // namespace

struct event_logger::impl {
    unsigned id = next_logger_id.fetch_add(1);
    schema_registry registry;
    timestamp_format timestamp = timestamp_format::rfc3339;
    json_style style = json_style::compact;

    bool allow_all = false;
    std::set<std::string, std::less<>> allowed;

    std::vector<detail::built_sink> sinks;
    bool sink_for_every_schema = false;               // some handler has no Schemas list
    std::set<std::string, std::less<>> sink_schemas;  // union of handlers' Schemas lists

    // Per-schema source attributes, built once: the record's filters see EventSchema
    // before anything is streamed into it (Boost.Log filters run when a record opens).
    mutable std::shared_mutex attrs_mutex;
    std::map<const void*, logging::attribute_set> attrs_cache;

    std::atomic<std::uint64_t> recorded{0}, rejected_invalid{0}, rejected_unregistered{0}, dropped_not_allowed{0},
        dropped_no_handler{0}, write_errors{0};

    void configure(const logger_config& cfg) {
        timestamp = cfg.timestamp;
        style = cfg.style;
        for (const auto& entry : cfg.allowed_schemas) {
            if (entry.id == "*") allow_all = true;
            else allowed.insert(entry.id);
        }
        for (const auto& path : cfg.schemas) registry.register_schema_file(path);
        std::vector<detail::built_sink> built;
        for (const auto& handler : cfg.handlers) built.push_back(detail::build_sink(handler, id, true));
        // Attach only once every handler built: a failing config leaves Boost.Log untouched.
        for (auto& s : built) {
            if (s.schemas.empty()) sink_for_every_schema = true;
            sink_schemas.insert(s.schemas.begin(), s.schemas.end());
            logging::core::get()->add_sink(s.sink);
        }
        sinks = std::move(built);
    }

    bool wanted(std::string_view schema_id) const noexcept {
        return sink_for_every_schema || (!sink_schemas.empty() && sink_schemas.count(schema_id) > 0);
    }

    const logging::attribute_set& attributes_for(const event_schema& schema) {
        const void* key = &schema.json();
        {
            std::shared_lock lock(attrs_mutex);
            auto it = attrs_cache.find(key);
            if (it != attrs_cache.end()) return it->second;
        }
        std::unique_lock lock(attrs_mutex);
        auto [it, inserted] = attrs_cache.try_emplace(key);
        if (inserted) {
            auto& set = it->second;
            set.insert("Channel", attrs::constant<std::string>("jupyter_events"));
            set.insert("Severity", attrs::constant<logging::trivial::severity_level>(logging::trivial::info));
            set.insert("EventLoggerId", attrs::constant<unsigned>(id));
            set.insert("EventSchema", attrs::constant<std::string>(schema.id()));
            set.insert("EventSchemaVersion", attrs::constant<std::string>(schema.version()));
        }
        return it->second;
    }

    record_outcome reject(errc code, std::string message, std::vector<validation_issue> issues = {}) {
        record_outcome out;
        out.code = code;
        out.message = std::move(message);
        out.issues = std::move(issues);
        return out;
    }

    record_outcome record(std::string_view schema_id, std::string_view version, const json::value& event,
                          std::string_view timestamp_text) {
        record_outcome out;
        if (!wanted(schema_id)) {  // fast path: nothing validated, nothing allocated
            dropped_no_handler.fetch_add(1, std::memory_order_relaxed);
            return out;
        }
        if (!allow_all && !allowed.count(schema_id)) {
            dropped_not_allowed.fetch_add(1, std::memory_order_relaxed);
            out.code = errc::not_allowed;
            return out;
        }
        const event_schema* schema = registry.find(schema_id, version);
        if (!schema) {
            rejected_unregistered.fetch_add(1, std::memory_order_relaxed);
            std::string known;
            for (const auto& v : registry.versions(schema_id)) known += (known.empty() ? "" : ", ") + v;
            return reject(errc::unregistered_schema,
                          "record event: schema is not registered ($id " + std::string(schema_id) +
                              (version.empty() ? "" : ", version " + std::string(version)) + "); " +
                              (known.empty() ? "register it first (EventLogger.schemas or register_schema_file)"
                                             : "registered versions: " + known));
        }
        const std::string suffix = " (schema " + schema->id() + " v" + schema->version() + ")";
        if (!event.is_object()) {
            rejected_invalid.fetch_add(1, std::memory_order_relaxed);
            return reject(errc::invalid_event,
                          "record event: an event must be a JSON object, not " + kind_name(event) + suffix);
        }
        if (!schema->is_valid(event)) {
            rejected_invalid.fetch_add(1, std::memory_order_relaxed);
            std::vector<validation_issue> issues;
            schema->validate(event, issues);
            std::string message = "record event: ";
            for (std::size_t i = 0; i < issues.size(); ++i)
                message += (i ? "; " : "") + (issues[i].instance_pointer.empty() ? std::string()
                                                                                : issues[i].instance_pointer + ": ") +
                           issues[i].message;
            if (issues.empty()) message += "event does not validate";
            return reject(errc::validation_error, message + suffix, std::move(issues));
        }
        detail::event_time when;
        if (timestamp_text.empty()) {
            when = detail::now();
        } else if (auto parsed = detail::parse_timestamp(timestamp_text)) {
            when = *parsed;
        } else {
            rejected_invalid.fetch_add(1, std::memory_order_relaxed);
            return reject(errc::invalid_argument, "record event: invalid timestamp (" + std::string(timestamp_text) +
                                                      "); use RFC 3339, e.g. 2026-11-23T11:17:47.123456Z");
        }
        // Per-thread buffers: no allocation per event once warmed up.
        thread_local std::string stamp, line, bad_pointer;
        stamp.clear();
        line.clear();
        detail::append_timestamp(stamp, when, timestamp);
        if (!detail::write_event_line(line, stamp, schema->id(), schema->version(), event.get_object(), style,
                                      bad_pointer)) {
            rejected_invalid.fetch_add(1, std::memory_order_relaxed);
            return reject(errc::invalid_event, "record event: " + bad_pointer +
                                                   ": not representable in JSON (invalid UTF-8 or a non-finite "
                                                   "number); send UTF-8 text and finite numbers" + suffix);
        }
        auto core = logging::core::get();
        logging::record rec = core->open_record(attributes_for(*schema));
        if (!rec) return out;  // every sink's Filter declined it
        static const logging::attribute_name message_name("Message");
        rec.attribute_values().insert(message_name, attrs::make_attribute_value(line));
        try {
            core->push_record(boost::move(rec));
        } catch (const std::exception& e) {
            write_errors.fetch_add(1, std::memory_order_relaxed);
            return reject(errc::write_failed, std::string("record event: a handler failed to write (") + e.what() +
                                                  ")" + suffix);
        }
        recorded.fetch_add(1, std::memory_order_relaxed);
        out.written = true;
        return out;
    }
};

event_logger::event_logger() : impl_(std::make_unique<impl>()) {}

event_logger::event_logger(const config& cfg) : event_logger(cfg.event_logger) {}

event_logger::event_logger(const logger_config& cfg) : impl_(std::make_unique<impl>()) { impl_->configure(cfg); }

event_logger::~event_logger() {
    auto core = logging::core::get();
    for (auto& s : impl_->sinks) {
        try {
            s.sink->flush();
        } catch (...) {
        }
        core->remove_sink(s.sink);
    }
}

schema_registry& event_logger::registry() noexcept { return impl_->registry; }

event_schema event_logger::register_schema(const json::value& schema) { return impl_->registry.register_schema(schema); }

event_schema event_logger::register_schema_text(std::string_view text, const std::string& source_name) {
    return impl_->registry.register_schema_text(text, source_name);
}

std::vector<event_schema> event_logger::register_schema_file(const std::filesystem::path& path) {
    return impl_->registry.register_schema_file(path);
}

void event_logger::record_event(std::string_view schema_id, schema_version version, const json::value& event,
                                std::string_view timestamp) {
    record_outcome out = try_record_event(schema_id, version, event, timestamp);
    if (!out) throw error(out.code, out.message, std::move(out.issues));
}

record_outcome event_logger::try_record_event(std::string_view schema_id, schema_version version,
                                              const json::value& event, std::string_view timestamp) noexcept {
    try {
        return impl_->record(schema_id, version.str(), event, timestamp);
    } catch (const std::exception& e) {
        record_outcome out;
        out.code = errc::write_failed;
        try {
            out.message = std::string("record event: ") + e.what();
        } catch (...) {
        }
        return out;
    }
}

bool event_logger::is_allowed(std::string_view schema_id) const noexcept {
    return impl_->allow_all || impl_->allowed.count(schema_id) > 0;
}

void event_logger::flush() noexcept {
    for (auto& s : impl_->sinks) {
        try {
            s.sink->flush();
        } catch (...) {
        }
    }
}

logger_stats event_logger::stats() const noexcept {
    logger_stats s;
    s.recorded = impl_->recorded.load();
    s.rejected_invalid = impl_->rejected_invalid.load();
    s.rejected_unregistered = impl_->rejected_unregistered.load();
    s.dropped_not_allowed = impl_->dropped_not_allowed.load();
    s.dropped_no_handler = impl_->dropped_no_handler.load();
    s.write_errors = impl_->write_errors.load();
    return s;
}

unsigned event_logger::id() const noexcept { return impl_->id; }

}  // namespace jupyter_events
