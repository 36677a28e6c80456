// A JSON Schema draft-7 validator compiled once per schema and run directly on
// boost::json::value. Why our own: valijson 1.0 (Debian) costs ~2.2 us per 5-property
// event and rebuilds a std::regex on every date/time format check (~0.5 ms per event);
// the event budget is below 1 us (issue 8). Conformance is held by the official
// JSON Schema Test Suite (tests/json_schema_suite_test.cpp).
#pragma once

#include <jupyter_events/error.hpp>

#include <boost/json/value.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace jupyter_events::detail {

/// Looks up a schema document by absolute URI without fragment (e.g. another registered
/// event schema's `$id`, or the draft-07 meta-schema). Returns nullptr when unknown.
using schema_resolver =
    std::function<std::shared_ptr<const boost::json::value>(std::string_view uri)>;

struct compile_options {
    bool assert_formats = true;  // check `format` (date-time, email, ...) and contentEncoding/
                                 // contentMediaType (base64, application/json); default true
};

class compiled_schema_impl;

/// An immutable, thread-safe compiled schema. Copies are cheap (shared state).
class compiled_schema {
public:
    /// Compiles `root`, whose base URI is `base_uri` (its `$id` resolved, may be empty).
    /// `$ref`s to other documents go through `resolve`. Throws jupyter_events::error
    /// (errc::invalid_schema) naming the JSON pointer of the bad keyword, e.g. an
    /// unresolvable `$ref` or an invalid `pattern` regex.
    static compiled_schema compile(const boost::json::value& root, std::string_view base_uri,
                                   const schema_resolver& resolve, compile_options options = {});

    /// True iff `instance` validates. Stops at the first failure; allocates nothing on the
    /// success path for the common keywords.
    bool is_valid(const boost::json::value& instance) const noexcept;

    /// Validates and appends one issue per failing location (all of them, not just the
    /// first) to `issues`. Returns true iff valid.
    bool validate(const boost::json::value& instance, std::vector<validation_issue>& issues) const;

    compiled_schema() = default;

private:
    std::shared_ptr<const compiled_schema_impl> impl_;
};

/// JSON equality as JSON Schema defines it: numbers compare by value (1 == 1.0),
/// objects ignore key order.
bool json_equal(const boost::json::value& a, const boost::json::value& b) noexcept;

/// Appends `s` escaped as a JSON pointer reference token (~ -> ~0, / -> ~1).
void append_pointer_token(std::string& out, std::string_view s);

/// The text of one JSON pointer reference token (~1 -> /, ~0 -> ~).
std::string unescape_pointer_token(std::string_view token);

}  // namespace jupyter_events::detail
