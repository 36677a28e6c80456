#include <jupyter_events/event_logger.hpp>

#include "detail/callbacks.hpp"
#include "detail/error_reporter.hpp"
#include "detail/input_json.hpp"
#include "detail/json_writer.hpp"
#include "detail/logger_access.hpp"
#include "detail/logger_state.hpp"
#include "detail/native_bridges.hpp"
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
#include <thread>

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
    // Held, not looked up per record: core::get() copies a shared_ptr (two atomic updates
    // every threads shares), and holding it keeps the core alive for a logger destroyed
    // after Boost.Log's own statics (e.g. a function-local static logger).
    const boost::shared_ptr<logging::core> core = logging::core::get();
    unsigned id = next_logger_id.fetch_add(1);
    schema_registry registry;

    detail::error_reporter errors;
    detail::callback_registry callbacks;
    std::unique_ptr<detail::listener_pool> listeners = std::make_unique<detail::listener_pool>(1, 10000, errors);

    // The configuration in force. States are never freed before the logger: a recording
    // thread may still read the one it loaded just before a reload (reads only the
    // immutable parts; the write path is guarded by in_flight).
    std::atomic<const detail::logger_state*> current{nullptr};
    std::vector<std::unique_ptr<detail::logger_state>> states;
    std::mutex reload_mutex;
    // Guards the sink lists that handlers() and flush() read against retire() emptying them.
    mutable std::mutex sinks_mutex;
    logger_config last_config;
    unsigned next_generation = 1;

    // Bumped by every recording thread: striped so threads do not contend on them.
    detail::striped_counter<> recorded, rejected_invalid, rejected_unregistered, dropped_not_allowed,
        dropped_no_handler, write_errors, modifier_failures;

    impl() { install(std::make_unique<detail::logger_state>()); }

    detail::sink_options sink_settings() {
        detail::sink_options options;
        options.report = [this](std::string_view message) { errors.report(message); };
        // A failing handler must not stop Boost.Log from feeding the application's sinks;
        // the failure is picked up right after push_record instead.
        options.throw_on_write_error = false;
        options.gate = std::make_shared<detail::write_gate>();
        return options;
    }

    // Builds the state of `cfg` for the next generation; its file sinks wait for its gate.
    std::unique_ptr<detail::logger_state> build(const logger_config& cfg) {
        auto options = sink_settings();
        auto next = detail::build_state(cfg, id, next_generation, options);
        next->gate = options.gate;
        return next;
    }

    // Makes `next` current and retires the previous state without losing or duplicating a
    // record: the new sinks only accept the new generation, the old ones only the old, and
    // the old ones leave the core only once no thread is inside the old write path.
    // The new file sinks write nothing until the old ones have closed their files: two
    // generations appending to one file would interleave their buffers and cut lines.
    void install(std::unique_ptr<detail::logger_state> next) {
        for (auto& s : next->sinks) core->add_sink(s.sink);
        const std::shared_ptr<detail::write_gate> gate = next->gate;
        const detail::logger_state* old = current.exchange(next.get(), std::memory_order_seq_cst);
        states.push_back(std::move(next));
        if (old) {
            while (old->in_flight.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
            retire(*const_cast<detail::logger_state*>(old));
        }
        if (gate) gate->open();
    }

    void retire(detail::logger_state& st) noexcept {
        for (auto& s : st.sinks) {
            try {
                s.sink->flush();  // asynchronous sinks drain here
            } catch (...) {
            }
            core->remove_sink(s.sink);
        }
        std::vector<detail::built_sink> closing;
        {
            std::lock_guard lock(sinks_mutex);
            closing.swap(st.sinks);
        }
        closing.clear();  // closes files; the state shell stays for late readers
    }

    void configure(const logger_config& cfg) {
        listeners = std::make_unique<detail::listener_pool>(cfg.listener_threads, cfg.listener_queue_limit, errors);
        reload(cfg);
    }

    void reload(const logger_config& cfg) {
        std::lock_guard lock(reload_mutex);
        // Build everything first: a configuration that fails changes nothing in force.
        // (Schemas are only ever added: files already registered are skipped.)
        auto next = build(cfg);
        for (const auto& entry : cfg.schemas) detail::register_schema_entry(registry, entry);
        ++next_generation;
        install(std::move(next));
        last_config = cfg;
    }

    bool wanted(const detail::logger_state& st, std::string_view schema_id) const noexcept {
        return st.sink_wants(schema_id) || callbacks.has_listener_for(schema_id);
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

    record_outcome reject(errc code, std::string message, std::vector<validation_issue> issues = {}) {
        record_outcome out;
        out.code = code;
        out.message = std::move(message);
        out.issues = std::move(issues);
        return out;
    }

    record_outcome record(std::string_view schema_id, std::string_view version, const json::value& event,
                          std::string_view timestamp_text) {
        for (;;) {
            const detail::logger_state* st = current.load(std::memory_order_acquire);
            if (!wanted(*st, schema_id)) {  // fast path: nothing validated, nothing allocated
                dropped_no_handler.add();
                return {};
            }
            if (!st->allows(schema_id)) {
                dropped_not_allowed.add();
                record_outcome out;
                out.code = errc::not_allowed;
                return out;
            }
            // Enter the state's write path; if a reload swapped it meanwhile, use the new one.
            st->in_flight.add(1, std::memory_order_seq_cst);
            if (current.load(std::memory_order_seq_cst) != st) {
                st->in_flight.sub(1, std::memory_order_seq_cst);
                continue;
            }
            struct leave {
                const detail::logger_state* st;
                ~leave() { st->in_flight.sub(1, std::memory_order_seq_cst); }
            } guard{st};
            return record_with(*st, schema_id, version, event, timestamp_text);
        }
    }

    record_outcome record_with(const detail::logger_state& st, std::string_view schema_id, std::string_view version,
                               const json::value& event, std::string_view timestamp_text) {
        record_outcome out;
        const event_schema* schema = registry.find(schema_id, version);
        if (!schema) {
            rejected_unregistered.add();
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
            rejected_invalid.add();
            return reject(errc::invalid_event,
                          "record event: an event must be a JSON object, not " + kind_name(event) + suffix);
        }
        // Copying, redacting and writing walk the whole event recursively: bound the depth
        // before any of them runs (the validator only follows the schema).
        if (auto pointer = detail::nested_deeper_than(event, detail::max_input_depth)) {
            rejected_invalid.add();
            return reject(errc::invalid_event,
                          "record event: " + pointer->substr(0, pointer->find('/', 1)) +
                              ": nesting deeper than " + std::to_string(detail::max_input_depth) +
                              " levels of arrays and objects; flatten the event" + suffix);
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
                    modifier_failures.add();
                    return reject(errc::modifier_failed,
                                  std::string("record event: a modifier failed (") + e.what() + ")" + suffix);
                } catch (...) {
                    modifier_failures.add();
                    return reject(errc::modifier_failed, "record event: a modifier failed (unknown exception)" + suffix);
                }
            }
        }
        if (modified) {  // a modifier may have nested deeper
            if (auto pointer = detail::nested_deeper_than(*modified, detail::max_input_depth)) {
                modifier_failures.add();
                return reject(errc::modifier_failed,
                              "record event: after modifiers: " + pointer->substr(0, pointer->find('/', 1)) +
                                  ": nesting deeper than " + std::to_string(detail::max_input_depth) +
                                  " levels of arrays and objects" + suffix);
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
            rejected_invalid.add();
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
            rejected_invalid.add();
            std::vector<validation_issue> issues;
            schema->validate(event, issues);
            std::string message = describe(issues, "unmodified event: ", suffix);
            return reject(errc::validation_error, std::move(message), std::move(issues));
        }
        // Redaction (jupyter_telemetry categories) for schemas that declare any.
        std::shared_ptr<const json::object> redacted;
        if (const auto& plan = schema->impl_->categories; plan && plan->has_categories()) {
            const detail::redaction_policy* policy = st.policy_for(schema_id);
            if (policy && !policy->off) redacted = std::make_shared<json::object>(detail::redact(final_event, *plan, *policy));
        }
        const json::object& written_event = redacted ? *redacted : final_event;
        detail::event_time when;
        if (timestamp_text.empty()) {
            when = detail::now();
        } else if (auto parsed = detail::parse_timestamp(timestamp_text)) {
            when = *parsed;
        } else {
            rejected_invalid.add();
            return reject(errc::invalid_argument, "record event: invalid timestamp (" + std::string(timestamp_text) +
                                                      "); use RFC 3339, e.g. 2026-11-23T11:17:47.123456Z");
        }
        // Per-thread buffers: no allocation per event once warmed up.
        thread_local std::string stamp, line, bad_pointer;
        stamp.clear();
        line.clear();
        detail::append_timestamp(stamp, when, st.timestamp);
        if (!detail::write_event_line(line, stamp, schema->id(), schema->version(), written_event, st.style,
                                      bad_pointer)) {
            rejected_invalid.add();
            return reject(errc::invalid_event, "record event: " + bad_pointer +
                                                   ": not representable in JSON (invalid UTF-8 or a non-finite "
                                                   "number); send UTF-8 text and finite numbers" + suffix);
        }
        if (!st.sinks.empty()) {
            logging::record rec = core->open_record(st.attributes_for(*schema));
            if (rec) {  // else every sink's Filter declined it
                static const logging::attribute_name message_name("Message");
                rec.attribute_values().insert(message_name, attrs::make_attribute_value(line));
                std::optional<std::string> failure;
                try {
                    core->push_record(boost::move(rec));
                    failure = detail::take_write_failure();
                } catch (const std::exception& e) {
                    failure = e.what();  // an application sink threw through the core
                }
                if (failure) {
                    write_errors.add();
                    return reject(errc::write_failed,
                                  "record event: a handler failed to write (" + *failure + ")" + suffix);
                }
                out.written = true;
            }
        }
        recorded.add();
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
    detail::detach_native_bridges(impl_->id);  // a bridge left attached must not forward here
    impl_->listeners->drain();
    for (auto& st : impl_->states) impl_->retire(*st);
}

void event_logger::reload(const config& cfg) { reload(cfg.event_logger); }

void event_logger::reload(const logger_config& cfg) { impl_->reload(cfg); }

void event_logger::reopen() {
    std::lock_guard lock(impl_->reload_mutex);
    auto next = impl_->build(impl_->last_config);
    ++impl_->next_generation;
    impl_->install(std::move(next));
}

std::vector<handler_status> event_logger::handlers() const {
    std::vector<handler_status> out;
    std::lock_guard lock(impl_->sinks_mutex);  // a reload may be retiring the state read here
    const detail::logger_state* st = impl_->current.load(std::memory_order_acquire);
    for (const auto& s : st->sinks)
        out.push_back({s.name, s.stats->write_errors.load(), s.stats->dropped_queue_full.load(),
                       s.stats->queue_depth.load()});
    return out;
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
    return impl_->current.load(std::memory_order_acquire)->allows(schema_id);
}

void event_logger::flush() noexcept {
    impl_->listeners->drain();
    std::vector<boost::shared_ptr<logging::sinks::sink>> sinks;
    try {
        std::lock_guard lock(impl_->sinks_mutex);  // a reload may be retiring the state read here
        for (auto& s : impl_->current.load(std::memory_order_acquire)->sinks) sinks.push_back(s.sink);
    } catch (...) {
        return;
    }
    for (auto& sink : sinks) {
        try {
            sink->flush();
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

void detail::logger_access::report(event_logger& logger, std::string_view message) noexcept {
    logger.impl_->errors.report(message);
}

}  // namespace jupyter_events
