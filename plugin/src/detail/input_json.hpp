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

/// Deepest nesting accepted in input JSON.
inline constexpr std::size_t max_input_depth = 256;

/// The JSON pointer of the first number Boost.JSON turned into infinity (e.g. 1e400), or
/// nullopt when every number is finite.
std::optional<std::string> non_finite_number(const boost::json::value& v);

/// Parses `text` as one JSON value into `storage`. On failure returns nullopt and sets
/// `problem` to e.g. "invalid JSON (syntax error)" or "/a/0: number out of range (...)".
std::optional<boost::json::value> parse_event_json(std::string_view text, std::string& problem,
                                                   boost::json::storage_ptr storage = {});

}  // namespace jupyter_events::detail
