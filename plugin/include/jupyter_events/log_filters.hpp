/// \file log_filters.hpp
/// For programs with their own Boost.Log setup: tell event records from the rest, and
/// let settings files (init_from_settings) filter on the plugin's attributes.
#pragma once

#include <jupyter_events/export.hpp>

#include <boost/log/expressions.hpp>

#include <string>

namespace jupyter_events {

/// A Boost.Log filter expression, true for event records (Channel "jupyter_events").
/// Combine it like any expression:
///
/// Example:
///     app_sink->set_filter(!jupyter_events::is_event_record);          // keep events out
///     audit_sink->set_filter(jupyter_events::is_event_record &&
///                            boost::log::expressions::attr<std::string>("EventSchema") ==
///                                "https://example.org/user-login");
///
/// In a settings file the equivalent is `Filter="not (%Channel% = jupyter_events)"`.
/// (`%Channel% != jupyter_events` would be false for records without a Channel and drop
/// the application's own lines.)
inline const auto is_event_record = boost::log::expressions::attr<std::string>("Channel") == "jupyter_events";

/// True for the records an event_logger wrote: validated events with their envelope
/// (EventSchema is set when they open). Unlike `is_event_record`, it skips the
/// application's own records that carry an event on its way to a native_bridge
/// (native.hpp): their Message is empty, a sink routing events in would write blank lines.
/// In a settings file: `Filter="%Channel% = jupyter_events and %EventSchema%"`.
///
/// Example:
///     events_sink->set_filter(jupyter_events::is_validated_event);
inline const auto is_validated_event = is_event_record && boost::log::expressions::has_attr("EventSchema");

/// Registers Boost.Log settings filter factories for the plugin's own attributes
/// (EventSchema, EventSchemaVersion as strings; EventLoggerId as unsigned), so settings
/// files can say `Filter="%EventSchema% = \"https://...\""`, and the formatter
/// `%EventJson%`: for a record an event_logger wrote, the event's JSON line (like
/// `%Message%`); for any other record, `{"message":"<its Message>"}` (invalid UTF-8 as
/// U+FFFD), so one JSON Lines file can hold both. Never touches Severity, Channel or
/// TimeStamp, which belong to the application. Idempotent, thread-safe.
/// Call it before boost::log::init_from_settings.
///
/// Example (INI):
///     [Sinks.Audit]
///     Destination=TextFile
///     FileName="audit.jsonl"
///     Filter="%EventSchema% = \"https://example.org/user-login\""
///     Format="%EventJson%"
JUPYTER_EVENTS_EXPORT void register_log_factories();

}  // namespace jupyter_events
