/// \file event_logger.hpp
/// The event logger: validates events and emits them as Boost.Log records (port of
/// jupyter_events' `logger.py`).
#pragma once

#include <jupyter_events/config.hpp>
#include <jupyter_events/error.hpp>
#include <jupyter_events/event_schema.hpp>
#include <jupyter_events/export.hpp>
#include <jupyter_events/schema_registry.hpp>

#include <boost/json/value.hpp>

#include <charconv>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace jupyter_events {

namespace detail {
struct logger_access;
}

/// A schema version as callers write it: "1", std::string, or an integer (the seed
/// README records with `version=1`). Cheap to copy; holds no heap memory.
class schema_version {
public:
    schema_version() noexcept = default;
    schema_version(const char* s) noexcept : view_(s) {}
    schema_version(std::string_view s) noexcept : view_(s) {}
    schema_version(const std::string& s) noexcept : view_(s) {}
    template <typename Int, typename = std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>>>
    schema_version(Int n) noexcept {
        auto r = std::to_chars(digits_, digits_ + sizeof digits_, n);
        size_ = static_cast<std::size_t>(r.ptr - digits_);
        is_number_ = true;
    }
    schema_version(const schema_version& o) noexcept { *this = o; }
    schema_version& operator=(const schema_version& o) noexcept {
        view_ = o.view_;
        is_number_ = o.is_number_;
        size_ = o.size_;
        std::copy(o.digits_, o.digits_ + sizeof digits_, digits_);
        return *this;
    }
    /// The version text; empty means "the highest registered version".
    std::string_view str() const noexcept { return is_number_ ? std::string_view(digits_, size_) : view_; }

private:
    std::string_view view_;
    char digits_[24] = {};
    std::size_t size_ = 0;
    bool is_number_ = false;
};

/// Which event a listener receives.
enum class listen {
    modified,    ///< after the modifiers ran (and redaction was applied), as written
    unmodified,  ///< as the caller gave it (it is then validated too, as upstream)
};

/// Changes an event before it is validated and written; runs on a copy, in registration
/// order. A throwing modifier fails the event (errc::modifier_failed), nothing is written.
using modifier_fn = std::function<void(std::string_view schema_id, boost::json::object& event)>;
/// Receives recorded events, after they are written, off the recording thread. A throwing
/// listener is reported through the error handler and affects nothing else.
using listener_fn = std::function<void(std::string_view schema_id, const boost::json::object& event)>;
/// Receives logging-path failure messages (one line each, rate-limited).
using error_handler_fn = std::function<void(std::string_view message)>;
/// Identifies a modifier or listener for removal.
using callback_id = std::uint64_t;

/// What happened to one event (the result of `try_record_event`).
struct record_outcome {
    errc code = errc::ok;  ///< ok: written (or nobody listens); not_allowed: dropped; else rejected
    std::string message;   ///< located message when rejected, "" otherwise
    std::vector<validation_issue> issues;  ///< each failing JSON pointer (validation_error)
    bool written = false;  ///< a Boost.Log record was pushed
    explicit operator bool() const noexcept { return code == errc::ok || code == errc::not_allowed; }
};

/// Counters since construction. Read with `event_logger::stats()`.
struct logger_stats {
    std::uint64_t recorded = 0;               ///< events written
    std::uint64_t rejected_invalid = 0;       ///< failed validation
    std::uint64_t rejected_unregistered = 0;  ///< unknown ($id, version)
    std::uint64_t dropped_not_allowed = 0;    ///< not in allowed_schemas
    std::uint64_t dropped_no_handler = 0;     ///< nobody listens (fast path)
    std::uint64_t write_errors = 0;           ///< a sink threw while writing
    std::uint64_t modifier_failures = 0;      ///< events failed by a throwing modifier
    std::uint64_t listener_failures = 0;      ///< listener calls that threw
    std::uint64_t listener_dropped = 0;       ///< listener calls dropped (queue full)
};

/// One handler's counters (see event_logger::handlers()).
struct handler_status {
    std::string name;                        ///< the handler's name in the config
    std::uint64_t write_errors = 0;          ///< records or flushes that failed to write
    std::uint64_t dropped_queue_full = 0;    ///< Overflow: drop, queue was full
    std::uint64_t queue_depth = 0;           ///< records waiting (Asynchronous only)
};

/// Validates events against registered schemas and records the allowed ones as
/// Boost.Log records on channel "jupyter_events", written by its handlers' sinks as JSON
/// Lines. It adds its own sinks to `boost::log::core` (filtered to its own records) and
/// removes exactly those on destruction; it never touches other sinks or the core filter.
/// Thread-safe: many threads may record at once.
///
/// Example:
///     auto cfg = jupyter_events::load_config({"config/events.yaml"});
///     jupyter_events::event_logger logger{cfg};
///     logger.record_event("https://example.org/file-save", "1",
///                         {{"path", "a.ipynb"}, {"action", "save"}});
class JUPYTER_EVENTS_EXPORT event_logger {
public:
    /// A logger with no handlers and nothing allowed (records nothing until configured).
    event_logger();
    /// Registers `cfg.event_logger.schemas`, builds every handler and adds the sinks.
    /// Throws `error` (config_error, io_error, parse_error, invalid_schema, duplicate_schema);
    /// on failure nothing is left attached to Boost.Log.
    explicit event_logger(const config& cfg);
    /// The same from the `EventLogger` section alone.
    explicit event_logger(const logger_config& cfg);
    /// Flushes and removes exactly this logger's sinks. Never throws.
    ~event_logger();
    event_logger(const event_logger&) = delete;
    event_logger& operator=(const event_logger&) = delete;

    /// The schemas this logger validates against.
    schema_registry& registry() noexcept;
    /// Shorthands for `registry().register_schema*`.
    event_schema register_schema(const boost::json::value& schema);
    event_schema register_schema_text(std::string_view yaml_or_json, const std::string& source_name = "<text>");
    std::vector<event_schema> register_schema_file(const std::filesystem::path& path);
    std::vector<event_schema> register_schema_url(const std::string& url, const url_options& options = {});
    /// Every registered version of `schema_id`, lowest first.
    std::vector<std::string> registered_versions(std::string_view schema_id) const;

    /// Records one event: validates it against (`schema_id`, `version`) and writes it with
    /// the Jupyter envelope. A schema not in allowed_schemas, or one no handler wants, is
    /// dropped silently (counted). `timestamp` (RFC 3339) replaces "now" when non-empty.
    /// Throws `error`: unregistered_schema, validation_error (with issues()), invalid_event,
    /// invalid_argument (bad timestamp), write_failed.
    void record_event(std::string_view schema_id, schema_version version, const boost::json::value& event,
                      std::string_view timestamp = {});

    /// The same, never throwing: the outcome says what happened.
    record_outcome try_record_event(std::string_view schema_id, schema_version version,
                                    const boost::json::value& event, std::string_view timestamp = {}) noexcept;

    /// Adds a modifier for `schema_id` ("" = every schema). Thread-safe.
    ///
    /// Example:
    ///     logger.add_modifier("https://example.org/login",
    ///         [](std::string_view, boost::json::object& e) { e["user"] = "anonymous"; });
    callback_id add_modifier(std::string schema_id, modifier_fn fn);
    /// Removes a modifier; false if there is none with that id.
    bool remove_modifier(callback_id id) noexcept;

    /// Adds a listener for `schema_id` ("" = every schema; a schema registered later
    /// counts too). `name` identifies it in error reports. Thread-safe.
    callback_id add_listener(std::string schema_id, listener_fn fn, listen mode = listen::modified,
                             std::string name = {});
    /// Removes a listener; false if there is none with that id.
    bool remove_listener(callback_id id) noexcept;

    /// Where logging-path failures are reported (default: a line on stderr); an empty
    /// function restores the default. Reports are rate-limited. Thread-safe.
    void set_error_handler(error_handler_fn fn);

    /// True if `schema_id` is listed in allowed_schemas (or "*" is).
    bool is_allowed(std::string_view schema_id) const noexcept;

    /// Swaps in a new configuration (allowed schemas, formats, handlers) while other threads
    /// keep recording: no event is lost or written twice. All or nothing: if the new
    /// configuration fails to build, the one in force stays and `error` is thrown. Schemas
    /// are only ever added (files already registered are skipped). The library installs no
    /// signal handler: call it from yours (e.g. on SIGHUP). Listener settings stay.
    void reload(const config& cfg);
    void reload(const logger_config& cfg);

    /// Closes and reopens every handler's files (and sockets) with the configuration in
    /// force, without losing an event: for logrotate's postrotate. Throws like reload.
    void reopen();

    /// Each handler's counters, in configuration order.
    std::vector<handler_status> handlers() const;

    /// Flushes every sink of this logger and waits until every queued listener call ran.
    void flush() noexcept;

    /// A snapshot of the counters.
    logger_stats stats() const noexcept;

    /// The value of this logger's `EventLoggerId` attribute (its sinks filter on it).
    unsigned id() const noexcept;

    struct JUPYTER_EVENTS_NO_EXPORT impl;

private:
    friend struct detail::logger_access;  // the native bridge reports through errors
    std::unique_ptr<impl> impl_;
};

}  // namespace jupyter_events
