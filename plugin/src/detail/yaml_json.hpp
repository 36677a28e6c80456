// YAML or JSON text -> boost::json::value, remembering where each value was written so
// errors can say file:line:column. The only code besides config_loader that knows YAML.
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <unordered_map>

namespace jupyter_events::detail {

struct text_position {
    int line = 0;    // 1-based; 0 when unknown
    int column = 0;  // 1-based
};

/// A parsed document and the position of every value in it, keyed by JSON pointer.
struct located_json {
    boost::json::value value;
    std::string file;  // as given to the parser, e.g. "config/events.yaml" or "<text>"
    std::unordered_map<std::string, text_position> positions;

    /// "file:line:col" for `pointer`, or of its nearest ancestor with a known position;
    /// just "file" when nothing is known (and "" when file is empty too).
    std::string where(std::string_view pointer) const;
};

struct parse_limits {
    std::size_t max_depth = 256;       // nesting levels; deeper documents are rejected
    std::size_t max_nodes = 1000000;   // values after alias expansion ("billion laughs")
};

/// Parses YAML (1.2 core schema: plain true/false/null/numbers are typed, quoted scalars
/// are strings; duplicate keys are errors). Throws jupyter_events::error(errc::parse_error)
/// whose message starts with "file:line:col: ".
located_json parse_yaml(std::string_view text, std::string file, parse_limits limits = {});

/// Parses JSON with Boost.JSON (exact numbers), positions taken from a YAML read of the
/// same text when that succeeds. Throws like parse_yaml.
located_json parse_json(std::string_view text, std::string file, parse_limits limits = {});

/// JSON if the first non-blank character is '{' or '[', else YAML.
located_json parse_yaml_or_json(std::string_view text, std::string file, parse_limits limits = {});

/// A plain (unquoted) YAML scalar typed by the YAML 1.2 core schema: "1" -> 1,
/// "true" -> true, "null" -> null, anything else -> the string itself.
boost::json::value yaml_plain_scalar(const std::string& text);

/// Reads a whole file. Throws jupyter_events::error(errc::io_error) naming it.
std::string read_file(const std::string& path, std::string_view operation);

}  // namespace jupyter_events::detail
