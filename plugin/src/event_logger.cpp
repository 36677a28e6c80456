#include <jupyter_events/event_logger.hpp>

#include "detail/callbacks.hpp"
#include "detail/error_reporter.hpp"
#include "detail/json_writer.hpp"
#include "detail/redaction.hpp"
#include "detail/schema_impl.hpp"
#include "detail/schema_sources.hpp"
#include "detail/sinks.hpp"
#include "detail/timestamp.hpp"

#include <boost/json/serialize.hpp>
#include <boost/log/attributes/attribute_set.hpp>
#include <boost/log/attributes/constant.hpp>
#include <boost/log/attributes/value_extraction.hpp>
#include <boost/log/core.hpp>
#include <boost/log/trivial.hpp>

#include <atomic>
#include <optional>
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
    // Redaction settings per allowed id; an id's own entry wins over "*".
    std::map<std::string, detail::redaction_policy, std::less<>> policies;
    std::optional<detail::redaction_policy> star_policy;

    detail::error_reporter errors;
    detail::callback_registry callbacks;
    std::unique_ptr<detail::listener_pool> listeners = std::make_unique<detail::listener_pool>(1, 10000, errors);

    std::vector<detail::built_sink> sinks;
    bool sink_for_every_schema = false;               // some handler has no Schemas list
    std::set<std::string, std::less<>> sink_schemas;  // union of handlers' Schemas lists

    // Per-schema source attributes, built once: the record's filters see EventSchema
    // before anything is streamed into it (Boost.Log filters run when a record opens).
    mutable std::shared_mutex attrs_mutex;
    std::map<const void*, logging::attribute_set> attrs_cache;

    std::atomic<std::uint64_t> recorded{0}, rejected_invalid{0}, rejected_unregistered{0}, dropped_not_allowed{0},
        dropped_no_handler{0}, write_errors{0}, modifier_failures{0};

    void configure(const logger_config& cfg) {
        timestamp = cfg.timestamp;
        style = cfg.style;
        for (const auto& entry : cfg.allowed_schemas) {
            if (entry.id == "*") {
                allow_all = true;
                star_policy = detail::make_policy(entry);
            } else {
                allowed.insert(entry.id);
                policies[entry.id] = detail::make_policy(entry);
            }
        }
        listeners = std::make_unique<detail::listener_pool>(cfg.listener_threads, cfg.listener_queue_limit, errors);
        for (const auto& entry : cfg.schemas) detail::register_schema_entry(registry, entry);
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
        return sink_for_every_schema || (!sink_schemas.empty() && sink_schemas.count(schema_id) > 0) ||
               callbacks.has_listener_for(schema_id);
    }

    const detail::redaction_policy* policy_for(std::string_view schema_id) const noexcept {
        auto it = policies.find(schema_id);
        if (it != policies.end()) return &it->second;
        return star_policy ? &*star_policy : nullptr;
    }

    // Validation failure text: every failing pointer, then the schema.
    static std::string describe(const std::vector<validation_issue>& issues, const std::string& what,
                                const std::string& suffix) {
        std::string message = "record event: " + what;
        for (std::size_t i = 0; i < issues.size(); ++i)
            message += (i ? "; " : "") +
                       (issues[i].instance_pointer.empty() ? std::string() : issues[i].instance_pointer + ": ") +
                       issues[i].message;
        if (issues.empty()) message += "event does not validate";
        return message + suffix;
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
        // Modifiers run on a copy, in registration order; the caller's event is never changed.
        std::shared_ptr<json::object> modified;
        if (callbacks.any_modifiers()) {
            auto mods = callbacks.modifiers();
            for (const auto& m : *mods) {
                if (!m.schema_id.empty() && m.schema_id != schema_id) continue;
                if (!modified) modified = std::make_shared<json::object>(event.get_object());
                try {
                    m.fn(schema_id, *modified);
                } catch (const std::exception& e) {
                    modifier_failures.fetch_add(1, std::memory_order_relaxed);
                    return reject(errc::modifier_failed,
                                  std::string("record event: a modifier failed (") + e.what() + ")" + suffix);
                } catch (...) {
                    modifier_failures.fetch_add(1, std::memory_order_relaxed);
                    return reject(errc::modifier_failed, "record event: a modifier failed (unknown exception)" + suffix);
                }
            }
        }
        const json::object& final_event = modified ? *modified : event.get_object();
        const json::value* checked = &event;
        json::value modified_value;
        if (modified) {
            modified_value = json::value(*modified);  // validators walk json::value
            checked = &modified_value;
        }
        if (!schema->is_valid(*checked)) {
            rejected_invalid.fetch_add(1, std::memory_order_relaxed);
            std::vector<validation_issue> issues;
            schema->validate(*checked, issues);
            std::string message = describe(issues, modified ? "after modifiers: " : "", suffix);
            return reject(errc::validation_error, std::move(message), std::move(issues));
        }
        // As upstream: with an unmodified listener, the raw event must validate too.
        auto listener_list = callbacks.any_listeners() ? callbacks.listeners() : nullptr;
        bool unmodified_wanted = false, modified_wanted = false;
        if (listener_list) {
            for (const auto& l : *listener_list) {
                if (!l.schema_id.empty() && l.schema_id != schema_id) continue;
                (l.mode == listen::unmodified ? unmodified_wanted : modified_wanted) = true;
            }
        }
        if (unmodified_wanted && modified && !schema->is_valid(event)) {
            rejected_invalid.fetch_add(1, std::memory_order_relaxed);
            std::vector<validation_issue> issues;
            schema->validate(event, issues);
            std::string message = describe(issues, "unmodified event: ", suffix);
            return reject(errc::validation_error, std::move(message), std::move(issues));
        }
        // Redaction (jupyter_telemetry categories) for schemas that declare any.
        std::shared_ptr<const json::object> redacted;
        if (const auto& plan = schema->impl_->categories; plan && plan->has_categories()) {
            const detail::redaction_policy* policy = policy_for(schema_id);
            if (policy && !policy->off) redacted = std::make_shared<json::object>(detail::redact(final_event, *plan, *policy));
        }
        const json::object& written_event = redacted ? *redacted : final_event;
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
        if (!detail::write_event_line(line, stamp, schema->id(), schema->version(), written_event, style,
                                      bad_pointer)) {
            rejected_invalid.fetch_add(1, std::memory_order_relaxed);
            return reject(errc::invalid_event, "record event: " + bad_pointer +
                                                   ": not representable in JSON (invalid UTF-8 or a non-finite "
                                                   "number); send UTF-8 text and finite numbers" + suffix);
        }
        if (!sinks.empty()) {
            auto core = logging::core::get();
            logging::record rec = core->open_record(attributes_for(*schema));
            if (rec) {  // else every sink's Filter declined it
                static const logging::attribute_name message_name("Message");
                rec.attribute_values().insert(message_name, attrs::make_attribute_value(line));
                try {
                    core->push_record(boost::move(rec));
                } catch (const std::exception& e) {
                    write_errors.fetch_add(1, std::memory_order_relaxed);
                    return reject(errc::write_failed, std::string("record event: a handler failed to write (") +
                                                          e.what() + ")" + suffix);
                }
                out.written = true;
            }
        }
        recorded.fetch_add(1, std::memory_order_relaxed);
        if (modified_wanted || unmodified_wanted) {
            std::shared_ptr<const json::object> for_modified;
            if (modified_wanted)
                for_modified = redacted ? redacted
                               : modified ? std::shared_ptr<const json::object>(std::move(modified))
                                          : std::make_shared<const json::object>(event.get_object());
            std::shared_ptr<const json::object> for_unmodified =
                unmodified_wanted ? std::make_shared<const json::object>(event.get_object()) : nullptr;
            listeners->dispatch(std::move(listener_list), std::string(schema_id), std::move(for_modified),
                                std::move(for_unmodified));
        }
        return out;
    }
};

event_logger::event_logger() : impl_(std::make_unique<impl>()) {}

event_logger::event_logger(const config& cfg) : event_logger(cfg.event_logger) {}

event_logger::event_logger(const logger_config& cfg) : impl_(std::make_unique<impl>()) { impl_->configure(cfg); }

event_logger::~event_logger() {
    impl_->listeners->drain();
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

std::vector<event_schema> event_logger::register_schema_url(const std::string& url, const url_options& options) {
    return impl_->registry.register_schema_url(url, options);
}

std::vector<std::string> event_logger::registered_versions(std::string_view schema_id) const {
    return impl_->registry.versions(schema_id);
}

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

callback_id event_logger::add_modifier(std::string schema_id, modifier_fn fn) {
    return impl_->callbacks.add_modifier(std::move(schema_id), std::move(fn));
}

bool event_logger::remove_modifier(callback_id id) noexcept { return impl_->callbacks.remove(id); }

callback_id event_logger::add_listener(std::string schema_id, listener_fn fn, listen mode, std::string name) {
    return impl_->callbacks.add_listener(std::move(schema_id), std::move(fn), mode, std::move(name));
}

bool event_logger::remove_listener(callback_id id) noexcept { return impl_->callbacks.remove(id); }

void event_logger::set_error_handler(error_handler_fn fn) { impl_->errors.set_handler(std::move(fn)); }

bool event_logger::is_allowed(std::string_view schema_id) const noexcept {
    return impl_->allow_all || impl_->allowed.count(schema_id) > 0;
}

void event_logger::flush() noexcept {
    impl_->listeners->drain();
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
    s.modifier_failures = impl_->modifier_failures.load();
    s.listener_failures = impl_->listeners->failures();
    s.listener_dropped = impl_->listeners->dropped();
    return s;
}

unsigned event_logger::id() const noexcept { return impl_->id; }

}  // namespace jupyter_events
