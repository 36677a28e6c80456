// The compiled form of a draft-7 schema, shared by the compiler (validator_compile.cpp)
// and the evaluator (validator.cpp). Private to the validator.
#pragma once

#include "detail/formats.hpp"
#include "detail/validator.hpp"

#include <boost/json/value.hpp>
#include <boost/regex.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace jupyter_events::detail {

// One bit per JSON Schema type name; "integer" is its own bit so `type: integer` is one test.
namespace type_bit {
inline constexpr std::uint8_t null = 1;
inline constexpr std::uint8_t boolean = 2;
inline constexpr std::uint8_t integer = 4;
inline constexpr std::uint8_t number = 8;
inline constexpr std::uint8_t string = 16;
inline constexpr std::uint8_t array = 32;
inline constexpr std::uint8_t object = 64;
}  // namespace type_bit

// Evaluation stops with an issue past this many nested schema applications (subschema or
// $ref hops). It bounds the stack for recursive schemas against deep instances and ends
// $ref cycles that make no progress in the instance, e.g. {"allOf": [{"$ref": "#"}]}.
inline constexpr unsigned max_evaluation_depth = 1024;

inline constexpr std::size_t no_limit = std::numeric_limits<std::size_t>::max();

struct schema_node;

struct compiled_pattern {
    std::string source;  // as written in the schema, for messages
    boost::regex regex;  // translated from ECMA 262 (detail/ecma_regex.hpp)
};

struct named_subschema {
    std::string name;
    const schema_node* schema = nullptr;
};

/// The order of `schema_node::properties`: by length, then bytes, so that a lookup
/// mostly compares lengths instead of calling memcmp.
inline bool property_name_less(std::string_view a, std::string_view b) noexcept {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

struct pattern_subschema {
    compiled_pattern pattern;
    const schema_node* schema = nullptr;
};

struct dependency {
    std::string name;
    std::vector<std::string> required;    // array form
    const schema_node* schema = nullptr;  // schema form
};

// A fat node: every keyword has a slot, empty when absent. Keywords are grouped by the
// instance type they apply to, and a per-group flag lets evaluation skip a group at once.
struct schema_node {
    enum class node_kind : std::uint8_t { accept_all, reject_all, reference, keywords };
    node_kind kind = node_kind::keywords;
    const schema_node* target = nullptr;  // reference: where $ref points (siblings ignored)

    // Where the node is, as issues print it: a JSON pointer into the root schema, or
    // "<uri>#<pointer>" inside another document.
    std::string location;

    bool has_type = false;
    std::uint8_t types = 0;
    std::string type_text;  // `"string" or "null"`, ready for messages

    const boost::json::array* enum_values = nullptr;
    std::string enum_text;  // the array as compact JSON, truncated
    const boost::json::value* const_value = nullptr;

    std::vector<const schema_node*> all_of;
    std::vector<const schema_node*> any_of;
    std::vector<const schema_node*> one_of;
    const schema_node* not_schema = nullptr;
    const schema_node* if_schema = nullptr;
    const schema_node* then_schema = nullptr;
    const schema_node* else_schema = nullptr;

    bool has_number_checks = false;
    const boost::json::value* minimum = nullptr;
    const boost::json::value* maximum = nullptr;
    const boost::json::value* exclusive_minimum = nullptr;
    const boost::json::value* exclusive_maximum = nullptr;
    const boost::json::value* multiple_of = nullptr;

    bool has_string_checks = false;
    std::size_t min_length = 0;
    std::size_t max_length = no_limit;
    std::unique_ptr<compiled_pattern> pattern;
    format_checker format = nullptr;
    std::string format_name;
    bool content_base64 = false;  // contentEncoding: base64
    bool content_json = false;    // contentMediaType: application/json

    bool has_array_checks = false;
    const schema_node* items = nullptr;         // items as one schema
    std::vector<const schema_node*> item_list;  // items as an array of schemas
    bool items_is_list = false;
    const schema_node* additional_items = nullptr;
    std::size_t min_items = 0;
    std::size_t max_items = no_limit;
    bool unique_items = false;
    const schema_node* contains = nullptr;

    bool has_object_checks = false;
    std::vector<named_subschema> properties;  // sorted by property_name_less
    std::vector<pattern_subschema> pattern_properties;
    const schema_node* additional_properties = nullptr;
    std::vector<std::string> required;
    std::vector<dependency> dependencies;
    const schema_node* property_names = nullptr;
    std::size_t min_properties = 0;
    std::size_t max_properties = no_limit;
};

class compiled_schema_impl {
public:
    // A deque so node addresses stay put while the compiler adds nodes that refer to
    // each other (recursive schemas).
    std::deque<schema_node> nodes;
    // Every document nodes point into (enum/const/limit values are not copied).
    std::vector<std::shared_ptr<const boost::json::value>> documents;
    const schema_node* root = nullptr;
};

/// Compiles into `impl` (defined in validator_compile.cpp). Throws error(invalid_schema).
void compile_schema_into(compiled_schema_impl& impl, std::shared_ptr<const boost::json::value> root,
                         std::string_view base_uri, const schema_resolver& resolve,
                         const compile_options& options);

/// -1, 0 or 1 as number `a` is less than, equal to or greater than number `b`, exactly,
/// whatever mix of int64, uint64 and double they are stored as.
int compare_numbers(const boost::json::value& a, const boost::json::value& b) noexcept;

/// True iff number `v` is an integer multiple of number `divisor` (> 0).
bool is_multiple_of(const boost::json::value& v, const boost::json::value& divisor) noexcept;

/// True iff `s` is padded base64; the bytes go to `out` when it is not null.
bool base64_decode(std::string_view s, std::string* out);

/// The type bits `v` satisfies: 1.0 is an integer, as JSON Schema defines it.
inline std::uint8_t type_bits(const boost::json::value& v) noexcept {
    switch (v.kind()) {
        case boost::json::kind::null: return type_bit::null;
        case boost::json::kind::bool_: return type_bit::boolean;
        case boost::json::kind::int64:
        case boost::json::kind::uint64: return type_bit::integer | type_bit::number;
        case boost::json::kind::double_: {
            const double d = v.get_double();
            return std::isfinite(d) && std::trunc(d) == d ? type_bit::integer | type_bit::number
                                                          : type_bit::number;
        }
        case boost::json::kind::string: return type_bit::string;
        case boost::json::kind::array: return type_bit::array;
        case boost::json::kind::object: return type_bit::object;
    }
    return 0;
}

/// Unicode code points in UTF-8 `s` (what minLength/maxLength count).
inline std::size_t count_code_points(std::string_view s) noexcept {
    std::size_t n = 0;
    for (char c : s) {
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }
    return n;
}

/// Compact JSON of `v`, cut to about `limit` bytes with "..." (never inside a UTF-8
/// sequence). Used for every value a message quotes.
std::string render_json(const boost::json::value& v, std::size_t limit = 80);

/// `s` as a JSON string literal, for messages that quote schema text (patterns, names).
std::string quote_string(std::string_view s);

}  // namespace jupyter_events::detail
