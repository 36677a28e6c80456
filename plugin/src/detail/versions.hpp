// Ordering of schema versions, for "the highest registered version" (DESIGN section 10).
#pragma once

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace jupyter_events::detail {

/// <0, 0, >0 like strcmp. Integers compare numerically; SchemaVer `M-R-A` and dotted
/// numbers part by part numerically (`.` and `-` alike, so 1.10 > 1.2); anything else
/// lexicographically.
int compare_versions(std::string_view a, std::string_view b) noexcept;

/// A version given as JSON (string or integer) as its string form; nullopt for other
/// types (a float such as 1.0 is not a version: it would not match "1").
std::optional<std::string> version_string(const boost::json::value& v);

}  // namespace jupyter_events::detail
