// Writes event lines straight into a reused buffer (no intermediate json::object for the
// envelope). Two styles: compact UTF-8, and Python's json.dumps bytes.
#pragma once

#include <jupyter_events/config.hpp>

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace jupyter_events::detail {

/// Appends `v` as JSON. Returns false, with `bad_pointer` set to the JSON pointer of the
/// culprit, when a string is not valid UTF-8 or a number is not finite (JSON has neither);
/// `out` then holds a partial text the caller discards.
bool write_json(std::string& out, const boost::json::value& v, json_style style, std::string& bad_pointer);

/// Appends a JSON string literal of `s` (which must be valid UTF-8; false otherwise).
bool write_json_string(std::string& out, std::string_view s, json_style style);

/// Appends one event line without newline: envelope keys first, then the event's fields
/// in the caller's order. `timestamp` is the formatted __timestamp__ text.
bool write_event_line(std::string& out, std::string_view timestamp, std::string_view schema_id,
                      std::string_view version, const boost::json::object& event, json_style style,
                      std::string& bad_pointer);

/// Python's repr() of a float: shortest round-trip digits, "1.0", "1e+16", "1e-05".
void append_python_float(std::string& out, double d);

}  // namespace jupyter_events::detail
