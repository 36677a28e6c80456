// The event-aware settings formatter `%EventJson%` (see log_filters.hpp): the event line
// for event records, a JSON object with the message for every other record, so one
// JSON Lines file can hold both.
#pragma once

namespace jupyter_events::detail {

/// Registers the "EventJson" formatter factory with Boost.Log's settings parser.
/// Idempotent, thread-safe.
void register_event_formatter();

}  // namespace jupyter_events::detail
