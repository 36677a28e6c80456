/// \file log_filters.hpp
/// For programs with their own Boost.Log setup: tell event records from the rest, and
/// let settings files (init_from_settings) filter on the plugin's attributes.
#pragma once

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

/// Registers Boost.Log settings filter factories for the plugin's own attributes
/// (EventSchema, EventSchemaVersion as strings; EventLoggerId as unsigned), so settings
/// files can say `Filter="%EventSchema% = \"https://...\""`. Never touches Severity,
/// Channel or TimeStamp, which belong to the application. Idempotent, thread-safe.
/// Call it before boost::log::init_from_settings.
void register_log_factories();

}  // namespace jupyter_events
