// Parsing event JSON that comes from outside (command-line arguments, stdin lines, HTTP
// bodies): bounded nesting, and numbers that must fit a double. Shared by the CLI and the
// event server so both refuse the same inputs with the same words.
#pragma once

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace jupyter_events::detail {

/// Deepest nesting of arrays and objects accepted in an event (input JSON, and values
/// given to record_event); deeper ones are rejected before anything walks them.
inline constexpr std::size_t max_input_depth = 256;

/// The JSON pointer of the first array or object nested deeper than `max_depth` levels
/// in `v` (v itself being level 1), or nullopt. Recurses at most `max_depth` levels.
std::optional<std::string> nested_deeper_than(const boost::json::value& v, std::size_t max_depth);
std::optional<std::string> nested_deeper_than(const boost::json::object& obj, std::size_t max_depth);

/// The JSON pointer of the first number Boost.JSON turned into infinity (e.g. 1e400), or
/// nullopt when every number is finite.
std::optional<std::string> non_finite_number(const boost::json::value& v);

/// Parses `text` as one JSON value into `storage`. On failure returns nullopt and sets
/// `problem` to e.g. "invalid JSON (syntax error at byte 12)" or "/a/0: number out of
/// range (...)".
std::optional<boost::json::value> parse_event_json(std::string_view text, std::string& problem,
                                                   boost::json::storage_ptr storage = {});

}  // namespace jupyter_events::detail
