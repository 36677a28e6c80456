// Event timestamps: parsing what callers give, writing __timestamp__ (DESIGN section 10).
#pragma once

#include <jupyter_events/config.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jupyter_events::detail {

struct event_time {
    std::int64_t unix_micros = 0;  // the instant, UTC
    int offset_minutes = 0;        // the offset it was written with
    bool has_offset = true;        // false: written without an offset (taken as UTC)
};

/// Now, as UTC with an offset of +00:00 (what Python's datetime.now(timezone.utc) gives).
event_time now() noexcept;

/// Parses RFC 3339 (`Z` or an offset, 0-9 fraction digits, truncated to microseconds),
/// Python's `...+06:00Z` form, and no offset (UTC). nullopt when malformed.
std::optional<event_time> parse_timestamp(std::string_view text) noexcept;

/// Appends the __timestamp__ text: rfc3339 converts to UTC with 6 fraction digits;
/// jupyter writes Python's isoformat() + "Z" (offset kept, fraction omitted when zero).
void append_timestamp(std::string& out, const event_time& t, timestamp_format format);

}  // namespace jupyter_events::detail
