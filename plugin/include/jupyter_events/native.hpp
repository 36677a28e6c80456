/// \file native.hpp
/// Recording events through the application's own Boost.Log loggers and macros: the
/// `event` manipulator puts an event into an ordinary record, and a `native_bridge`
/// validates such records and records them through an event_logger, with the same
/// envelope, format, redaction and handlers as `record_event`.
///
/// Example:
///     namespace src = boost::log::sources;
///     jupyter_events::event_logger logger{jupyter_events::load_config({"events.yaml"})};
///     jupyter_events::native_bridge bridge{logger};  // detached again when it goes
///     src::severity_channel_logger_mt<boost::log::trivial::severity_level> lg(
///         boost::log::keywords::channel = "jupyter_events");
///     BOOST_LOG_SEV(lg, boost::log::trivial::info)
///         << jupyter_events::event("https://example.org/file-save", 1, R"({"path":"a.ipynb","action":"save"})");
///
/// Boost.Log runs sink filters when a record opens, before anything is streamed into it,
/// so no filter can see the event. The bridge is therefore a sink: its filter selects
/// candidate records by what is known when they open (by default the Channel
/// "jupyter_events"), and it validates the event when the record is pushed. A record
/// whose event does not validate is counted in the logger's stats and reported through
/// its error handler; nothing is ever thrown out of the logging statement.
#pragma once

#include <jupyter_events/event_logger.hpp>
#include <jupyter_events/export.hpp>

#include <boost/json/value.hpp>
#include <boost/log/expressions/filter.hpp>
#include <boost/log/sources/record_ostream.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace jupyter_events {

/// One event to stream into a Boost.Log record: schema id, version and payload (a JSON
/// object, given as a value or as JSON text), and optionally its timestamp (RFC 3339,
/// empty means the time the bridge records it). Streaming it attaches it to the record
/// as the attribute value "JupyterEvent" and writes nothing into the message. One event
/// per record: a second one streamed into the same record is ignored (and reported).
///
/// Example:
///     BOOST_LOG_SEV(lg, info) << jupyter_events::event("https://example.org/n", 1, R"({"a":1})");
///     BOOST_LOG_SEV(lg, info) << jupyter_events::event("https://example.org/n", "1", {{"a", 1}});
class JUPYTER_EVENTS_EXPORT event {
public:
    /// An event whose payload is JSON text, parsed when the bridge receives the record (a
    /// payload that is not JSON is rejected there like an invalid event).
    event(std::string_view schema_id, schema_version version, std::string_view json_text,
          std::string_view timestamp = {});
    /// The same for a C string (without it, a literal would be ambiguous).
    event(std::string_view schema_id, schema_version version, const char* json_text, std::string_view timestamp = {})
        : event(schema_id, version, std::string_view(json_text), timestamp) {}
    /// An event whose payload is a JSON value (an object, or it is rejected as invalid).
    event(std::string_view schema_id, schema_version version, boost::json::value payload,
          std::string_view timestamp = {});

    /// The schema's `$id`.
    const std::string& schema_id() const noexcept { return schema_id_; }
    /// The version as given; empty means the highest registered version.
    const std::string& version() const noexcept { return version_; }
    /// The timestamp as given; empty means "now".
    const std::string& timestamp() const noexcept { return timestamp_; }
    /// True if the payload was given as JSON text (`json_text()`), else it is `payload()`.
    bool is_text() const noexcept { return is_text_; }
    /// The payload text (empty unless is_text()).
    const std::string& json_text() const noexcept { return text_; }
    /// The payload value (null if is_text()).
    const boost::json::value& payload() const noexcept { return payload_; }

private:
    std::string schema_id_, version_, timestamp_, text_;
    boost::json::value payload_;
    bool is_text_ = false;
};

/// Attaches `e` to the record being written (see `event`). When native bridges are
/// attached but none of them took this record (it opened for other sinks only, e.g. it is
/// on another channel), the lost event is reported through their loggers' error
/// handlers. A record no sink opens at all never runs this: nothing can report it.
/// Never throws.
JUPYTER_EVENTS_EXPORT boost::log::basic_record_ostream<char>& operator<<(boost::log::basic_record_ostream<char>& strm,
                                                                         const event& e);
/// The same, moving the event into the record.
JUPYTER_EVENTS_EXPORT boost::log::basic_record_ostream<char>& operator<<(boost::log::basic_record_ostream<char>& strm,
                                                                         event&& e);

/// How a native_bridge selects records.
struct bridge_options {
    /// The records the bridge receives, decided when a record opens, before the event is
    /// streamed in. Empty (default): records whose Channel is "jupyter_events", so an
    /// application's `not (%Channel% = jupyter_events)` sinks skip them too. Records the
    /// plugin itself writes are never selected. A wider selector only costs: records it
    /// selects that carry no event are opened and formatted, then ignored.
    std::optional<boost::log::filter> selector;
};

/// Connects an application's own Boost.Log records to an event_logger: a sink that takes
/// the selected records carrying an `event`, validates each against the logger's allowed,
/// registered schemas and records it through the logger's pipeline (modifiers,
/// validation, redaction, envelope, handlers, listeners), exactly as `try_record_event`
/// would: one enveloped record on channel "jupyter_events", written by the logger's
/// handlers. The original record stays what it is for the application's sinks (its
/// message has no event text). Invalid, unregistered or unparsable events are counted
/// in the logger's stats and reported through its error handler; not-allowed ones are
/// dropped and counted, like record_event.
///
/// The bridge adds exactly one sink of its own to `boost::log::core` and removes exactly
/// that one; it never touches the application's sinks, filters or the core filter.
/// Records the application's core filter rejects never open, so their events cannot be
/// seen. At most one bridge per logger (a second would record every event again). A
/// logger destroyed first detaches its bridge.
/// Thread-safe: any thread may log through it; detach while others log is safe (a record
/// in flight at that moment may be dropped, never recorded twice).
///
/// Example:
///     jupyter_events::event_logger logger{cfg};
///     jupyter_events::native_bridge bridge{logger};
///     BOOST_LOG_SEV(lg, info) << jupyter_events::event("https://example.org/n", 1, R"({"a":1})");
class JUPYTER_EVENTS_EXPORT native_bridge {
public:
    /// Attaches a bridge to `logger` (adds its sink to the core).
    /// Throws `error` (invalid_argument) if `logger` already has an attached bridge.
    explicit native_bridge(event_logger& logger, bridge_options options = {});
    /// Detaches. Never throws.
    ~native_bridge();
    native_bridge(native_bridge&& other) noexcept;
    native_bridge& operator=(native_bridge&& other) noexcept;
    native_bridge(const native_bridge&) = delete;
    native_bridge& operator=(const native_bridge&) = delete;

    /// Removes the bridge's sink from the core and waits until no thread is recording
    /// through it. Idempotent; never throws.
    void detach() noexcept;
    /// False once detached (or moved from).
    bool attached() const noexcept;

    struct JUPYTER_EVENTS_NO_EXPORT impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace jupyter_events
