// Messages, pointers, references, compile errors and robustness of the draft-7 validator.
// Conformance to the specification itself is json_schema_suite_test's job.
#include "detail/validator.hpp"

#include "detail/formats.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <thread>
#include <vector>

// Counts heap allocations so a test can prove the fast path makes none. GCC 12 at -O2
// inlines the replaced operators and then flags malloc/free pairs it sees through them
// (-Wmismatched-new-delete), although every new here is paired with its own delete.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
std::atomic<long> allocation_count{0};
}  // namespace

void* operator new(std::size_t size) {
    ++allocation_count;
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using jupyter_events::errc;
using jupyter_events::error;
using jupyter_events::validation_issue;
using jupyter_events::detail::compile_options;
using jupyter_events::detail::compiled_schema;
using jupyter_events::detail::json_equal;
using jupyter_events::detail::schema_resolver;
namespace json = boost::json;

compiled_schema compile(std::string_view schema, const schema_resolver& resolve = {},
                        compile_options options = {}) {
    return compiled_schema::compile(json::parse(schema), "", resolve, options);
}

std::vector<validation_issue> issues_of(const compiled_schema& schema, std::string_view instance) {
    std::vector<validation_issue> issues;
    const bool valid = schema.validate(json::parse(instance), issues);
    EXPECT_EQ(valid, issues.empty());
    EXPECT_EQ(schema.is_valid(json::parse(instance)), valid) << "is_valid disagrees with validate";
    return issues;
}

// The one issue a (schema, instance) pair must produce.
validation_issue only_issue(std::string_view schema, std::string_view instance) {
    const auto issues = issues_of(compile(schema), instance);
    EXPECT_EQ(issues.size(), 1u);
    return issues.empty() ? validation_issue{} : issues.front();
}

std::string compile_error(std::string_view schema, const schema_resolver& resolve = {}) {
    try {
        compile(schema, resolve);
    } catch (const error& e) {
        EXPECT_EQ(e.kind(), errc::invalid_schema);
        return e.what();
    }
    ADD_FAILURE() << "compiled without error: " << schema;
    return {};
}

#define EXPECT_ISSUE(issue, instance_ptr, schema_ptr, text) \
    do {                                                    \
        const validation_issue i_ = (issue);                \
        EXPECT_EQ(i_.instance_pointer, instance_ptr);       \
        EXPECT_EQ(i_.schema_pointer, schema_ptr);           \
        EXPECT_EQ(i_.message, text);                        \
    } while (false)

TEST(validator, enum_message_lists_the_allowed_values) {
    EXPECT_ISSUE(only_issue(R"({"properties": {"level": {"enum": ["success", "failure"]}}})",
                            R"({"level": "hi"})"),
                 "/level", "/properties/level/enum", R"("hi" is not one of ["success","failure"])");
}

TEST(validator, every_failing_property_is_reported) {
    const auto schema =
        compile(R"({"properties": {"a": {"type": "string"}, "b": {"minimum": 3}}})");
    const auto issues = issues_of(schema, R"({"a": 1, "b": 2})");
    ASSERT_EQ(issues.size(), 2u);
    EXPECT_ISSUE(issues[0], "/a", "/properties/a/type", R"(1 is not of type "string")");
    EXPECT_ISSUE(issues[1], "/b", "/properties/b/minimum", "2 is less than the minimum 3");
}

TEST(validator, missing_required_property_is_reported_where_it_would_be) {
    EXPECT_ISSUE(
        only_issue(R"({"properties": {"user": {"type": "object", "required": ["email"]}}})",
                   R"({"user": {"name": "x"}})"),
        "/user/email", "/properties/user/required", "required property is missing");
}

TEST(validator, type_messages) {
    EXPECT_EQ(only_issue(R"({"type": "integer"})", R"("three")").message,
              R"("three" is not of type "integer")");
    EXPECT_EQ(only_issue(R"({"type": ["string", "null"]})", "5").message,
              R"(5 is not of type "string" or "null")");
    EXPECT_EQ(only_issue(R"({"type": ["string", "null", "array"]})", "5.5").message,
              R"(5.5 is not of type "string", "null" or "array")");
    EXPECT_TRUE(compile(R"({"type": "integer"})").is_valid(json::parse("1.0")));
    EXPECT_FALSE(compile(R"({"type": "integer"})").is_valid(json::parse("1.5")));
}

TEST(validator, string_number_and_array_messages) {
    EXPECT_EQ(only_issue(R"({"minLength": 5})", R"("abc")").message,
              R"("abc" is shorter than 5 characters)");
    EXPECT_EQ(only_issue(R"({"maxLength": 2})", R"("abc")").message,
              R"("abc" is longer than 2 characters)");
    EXPECT_EQ(only_issue(R"({"maximum": 5})", "7").message, "7 is greater than the maximum 5");
    EXPECT_EQ(only_issue(R"({"exclusiveMaximum": 5})", "5").message,
              "5 is greater than or equal to the exclusive maximum 5");
    EXPECT_EQ(only_issue(R"({"exclusiveMinimum": 0.5})", "0.5").message,
              "0.5 is less than or equal to the exclusive minimum 0.5");
    EXPECT_EQ(only_issue(R"({"multipleOf": 3})", "7").message, "7 is not a multiple of 3");
    EXPECT_EQ(only_issue(R"({"pattern": "^a"})", R"("x")").message,
              R"("x" does not match pattern "^a")");
    EXPECT_EQ(only_issue(R"({"format": "date"})", R"("2020-13-01")").message,
              R"("2020-13-01" is not a valid "date")");
    EXPECT_EQ(only_issue(R"({"minItems": 2})", "[1]").message, "[1] has fewer than 2 items");
    EXPECT_EQ(only_issue(R"({"uniqueItems": true})", "[1, 2, 1.0]").message,
              "[1,2,1] has non-unique items (0 and 2)");
    EXPECT_EQ(only_issue(R"({"contains": {"const": 5}})", "[1]").message,
              "[1] does not contain a matching item");
    EXPECT_EQ(only_issue(R"({"const": 5})", R"("a")").message,
              R"("a" does not equal the const value 5)");
}

TEST(validator, combinator_messages_are_one_issue_each) {
    EXPECT_ISSUE(only_issue(R"({"anyOf": [{"type": "string"}, {"minimum": 10}]})", "3"), "",
                 "/anyOf", "3 is not valid under any of the schemas in anyOf");
    EXPECT_ISSUE(only_issue(R"({"oneOf": [{"type": "integer"}, {"minimum": 1}]})", "3"), "",
                 "/oneOf", "3 is valid under more than one of the schemas in oneOf");
    EXPECT_EQ(only_issue(R"({"oneOf": [{"type": "string"}, {"minimum": 10}]})", "3").message,
              "3 is not valid under any of the schemas in oneOf");
    EXPECT_ISSUE(only_issue(R"({"not": {"type": "integer"}})", "3"), "", "/not",
                 R"(3 must not be valid against the schema in "not")");
    // allOf reports what failed inside it, with the inner keyword's pointer.
    EXPECT_ISSUE(only_issue(R"({"allOf": [true, {"maximum": 1}]})", "3"), "", "/allOf/1/maximum",
                 "3 is greater than the maximum 1");
    EXPECT_ISSUE(only_issue(R"({"if": {"type": "string"}, "then": {"minLength": 2}})", R"("a")"),
                 "", "/then/minLength", R"("a" is shorter than 2 characters)");
}

TEST(validator, object_keyword_messages) {
    EXPECT_ISSUE(only_issue(R"({"properties": {"a": true}, "additionalProperties": false})",
                            R"({"a": 1, "b/c": 2})"),
                 "/b~1c", "/additionalProperties", "additional property is not allowed");
    EXPECT_ISSUE(only_issue(R"({"properties": {"a": false}})", R"({"a": 1})"), "/a",
                 "/properties/a", "false schema allows nothing");
    EXPECT_ISSUE(only_issue(R"({"dependencies": {"card": ["billing"]}})", R"({"card": 1})"),
                 "/billing", "/dependencies/card",
                 R"(required property is missing (required by "card"))");
    EXPECT_ISSUE(only_issue(R"({"propertyNames": {"pattern": "^[a-z]+$"}})", R"({"Ab": 1})"), "/Ab",
                 "/propertyNames/pattern",
                 R"(property name "Ab" does not match pattern "^[a-z]+$")");
    EXPECT_ISSUE(only_issue(R"({"propertyNames": false})", R"({"Ab": 1})"), "/Ab", "/propertyNames",
                 R"(property name "Ab": false schema allows nothing)");
    EXPECT_ISSUE(only_issue(R"({"items": [true], "additionalItems": false})", "[1, 2]"), "/1",
                 "/additionalItems", "additional item is not allowed");
    EXPECT_EQ(only_issue(R"({"minProperties": 2})", R"({"a": 1})").message,
              R"({"a":1} has fewer than 2 properties)");
}

TEST(validator, long_values_are_truncated_in_messages) {
    const std::string long_string(200, 'x');
    const auto issue = only_issue(R"({"type": "number"})", "\"" + long_string + "\"");
    EXPECT_EQ(issue.message, "\"" + std::string(76, 'x') + "... is not of type \"number\"");
}

TEST(validator, numbers_compare_exactly) {
    // 2^53 + 1 is not representable as a double; a double comparison would call it equal.
    EXPECT_FALSE(
        compile(R"({"maximum": 9007199254740992})").is_valid(json::parse("9007199254740993")));
    EXPECT_TRUE(compile(R"({"maximum": 18446744073709551615})")
                    .is_valid(json::parse("18446744073709551615")));
    EXPECT_FALSE(compile(R"({"minimum": 0})").is_valid(json::parse("-9223372036854775808")));
    EXPECT_FALSE(compile(R"({"multipleOf": 2})").is_valid(json::parse("4611686018427387905")));
    EXPECT_TRUE(compile(R"({"multipleOf": 0.01})").is_valid(json::parse("19.99")));
    EXPECT_FALSE(compile(R"({"multipleOf": 0.01})").is_valid(json::parse("19.991")));
}

TEST(validator, json_equal_compares_numbers_by_value_and_objects_by_members) {
    EXPECT_TRUE(json_equal(json::parse("1"), json::parse("1.0")));
    EXPECT_TRUE(json_equal(json::parse(R"({"a": 1, "b": [1, 2]})"),
                           json::parse(R"({"b": [1.0, 2], "a": 1})")));
    EXPECT_FALSE(json_equal(json::parse("[1, 2]"), json::parse("[2, 1]")));
    EXPECT_FALSE(json_equal(json::parse("9007199254740993"), json::parse("9007199254740992.0")));
    EXPECT_FALSE(json_equal(json::parse("true"), json::parse("1")));
    EXPECT_FALSE(json_equal(json::parse(R"({"a": 1})"), json::parse(R"({"a": 1, "b": 2})")));
}

TEST(validator, recursive_ref) {
    const auto schema = compile(R"({
        "definitions": {"node": {"type": "object", "properties": {
            "value": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#/definitions/node"}}}}},
        "$ref": "#/definitions/node"})");
    EXPECT_TRUE(schema.is_valid(
        json::parse(R"({"value": 1, "children": [{"value": 2, "children": []}]})")));
    EXPECT_ISSUE(
        only_issue(R"({
        "definitions": {"node": {"type": "object", "properties": {
            "value": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#/definitions/node"}}}}},
        "$ref": "#/definitions/node"})",
                   R"({"value": 1, "children": [{"value": 2, "children": [{"value": "x"}]}]})"),
        "/children/0/children/0/value", "/definitions/node/properties/value/type",
        R"("x" is not of type "integer")");
}

TEST(validator, ref_ignores_sibling_keywords) {
    const auto schema = compile(R"({"definitions": {"s": {"type": "string"}},
        "properties": {"a": {"$ref": "#/definitions/s", "maxLength": 1}}})");
    EXPECT_TRUE(schema.is_valid(json::parse(R"({"a": "long"})")));
}

TEST(validator, ref_into_another_document_through_the_resolver) {
    std::vector<std::string> asked;
    const schema_resolver resolve =
        [&asked](std::string_view uri) -> std::shared_ptr<const json::value> {
        asked.emplace_back(uri);
        if (uri == "https://example.org/common") {
            return std::make_shared<const json::value>(
                json::parse(R"({"definitions": {"name": {"type": "string", "minLength": 1}}})"));
        }
        return nullptr;
    };
    const auto schema = compiled_schema::compile(
        json::parse(R"({"properties": {"who": {"$ref": "common#/definitions/name"}}})"),
        "https://example.org/event", resolve);
    EXPECT_EQ(asked, std::vector<std::string>{"https://example.org/common"});
    EXPECT_TRUE(schema.is_valid(json::parse(R"({"who": "me"})")));
    std::vector<validation_issue> issues;
    EXPECT_FALSE(schema.validate(json::parse(R"({"who": ""})"), issues));
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_ISSUE(issues[0], "/who", "https://example.org/common#/definitions/name/minLength",
                 R"("" is shorter than 1 character)");
}

TEST(validator, scheme_less_ids_resolve_as_written) {
    // Registries key schemas by `$id` as written; `url.to.event.schema` resolved against
    // another id would be a path next to it, so the verbatim ref is asked for too.
    const schema_resolver resolve = [](std::string_view uri) -> std::shared_ptr<const json::value> {
        if (uri == "url.to.event.schema") {
            return std::make_shared<const json::value>(json::parse(R"({"type": "object"})"));
        }
        return nullptr;
    };
    const auto schema = compiled_schema::compile(json::parse(R"({"$ref": "url.to.event.schema"})"),
                                                 "https://example.org/a/b", resolve);
    EXPECT_FALSE(schema.is_valid(json::parse("1")));
}

TEST(validator, draft07_meta_schema_is_built_in) {
    const auto meta = compile(R"({"$ref": "http://json-schema.org/draft-07/schema#"})");
    EXPECT_TRUE(meta.is_valid(json::parse(R"({"type": "string", "minLength": 1})")));
    EXPECT_FALSE(meta.is_valid(json::parse(R"({"type": "strnig"})")));
    EXPECT_FALSE(meta.is_valid(json::parse(R"({"minLength": -1})")));
}

TEST(validator, compile_errors_name_the_keyword) {
    EXPECT_EQ(compile_error(R"({"properties": {"name": {"type": "strnig"}}})"),
              "compile schema: /properties/name/type: unknown type (\"strnig\"); expected one of "
              "null, boolean, integer, number, string, array, object");
    EXPECT_EQ(
        compile_error(R"({"properties": {"name": {"pattern": "a("}}})"),
        "compile schema: /properties/name/pattern: invalid regular expression (\"a(\"); missing )");
    EXPECT_EQ(compile_error(R"({"patternProperties": {"[": true}})"),
              "compile schema: /patternProperties/[: invalid regular expression (\"[\"); "
              "unterminated character class");
    EXPECT_EQ(compile_error(R"({"minLength": -1})"),
              "compile schema: /minLength: must be a non-negative integer (-1)");
    EXPECT_EQ(compile_error(R"({"items": [1]})"),
              "compile schema: /items/0: a schema must be an object or a boolean (1)");
    EXPECT_EQ(compile_error(R"({"$ref": "#"})"),
              "compile schema: /$ref: circular $ref that never reaches a schema");
}

TEST(validator, unresolvable_refs_are_compile_errors) {
    const schema_resolver nothing = [](std::string_view) {
        return std::shared_ptr<const json::value>();
    };
    EXPECT_EQ(
        compile_error(R"({"properties": {"x": {"$ref": "https://nowhere.example/x.json#/a"}}})",
                      nothing),
        "compile schema: /properties/x/$ref: cannot resolve $ref "
        "(\"https://nowhere.example/x.json#/a\"); "
        "no schema is known as \"https://nowhere.example/x.json\"");
    EXPECT_EQ(compile_error(R"({"allOf": [{"$ref": "#/definitions/missing"}]})"),
              "compile schema: /allOf/0/$ref: cannot resolve $ref (\"#/definitions/missing\"); "
              "\"\" has nothing at \"/definitions/missing\"");
    EXPECT_EQ(compile_error(R"({"$ref": "#nowhere"})"),
              "compile schema: /$ref: cannot resolve $ref (\"#nowhere\"); no subschema has "
              "\"$id\": \"#nowhere\"");
}

TEST(validator, unknown_keywords_and_formats_are_ignored) {
    const auto schema =
        compile(R"({"flavour": "vanilla", "format": "postal-code", "categories": ["x"]})");
    EXPECT_TRUE(schema.is_valid(json::parse(R"("anything")")));
}

TEST(validator, formats_can_be_annotations_only) {
    compile_options annotations;
    annotations.assert_formats = false;
    EXPECT_TRUE(
        compile(R"({"format": "date"})", {}, annotations).is_valid(json::parse(R"("nope")")));
    EXPECT_FALSE(compile(R"({"format": "date"})").is_valid(json::parse(R"("nope")")));
    EXPECT_TRUE(compile(R"({"format": "date"})").is_valid(json::parse("12")));
}

json::value nested_arrays(std::size_t depth) {
    json::value v = json::array();
    for (std::size_t i = 0; i < depth; ++i) {
        json::array outer;
        outer.push_back(std::move(v));
        v = std::move(outer);
    }
    return v;
}

// Evaluation recurses with the schema, so only recursive schemas recurse with the
// instance; those stop with an issue past 1024 nested schema applications instead of
// exhausting the stack.
TEST(validator, deep_instance_against_recursive_schema_is_bounded) {
    const json::value deep = nested_arrays(10000);
    const auto schema = compile(R"({"type": "array", "items": {"$ref": "#"}})");
    EXPECT_FALSE(schema.is_valid(deep));
    std::vector<validation_issue> issues;
    EXPECT_FALSE(schema.validate(deep, issues));
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].message, "nesting deeper than 1024 levels of schemas");
    EXPECT_EQ(issues[0].instance_pointer.substr(0, 6), "/0/0/0");

    // Well below the bound, the same schema validates.
    EXPECT_TRUE(schema.is_valid(nested_arrays(300)));
}

TEST(validator, deep_instance_against_flat_schema_does_not_recurse) {
    const json::value deep = nested_arrays(10000);
    EXPECT_TRUE(compile(R"({"type": "array", "minItems": 1})").is_valid(deep));
    EXPECT_FALSE(compile(R"({"const": 1})").is_valid(deep));
    EXPECT_FALSE(compile(R"({"enum": [[1]]})").is_valid(deep));
}

TEST(validator, ref_loops_without_progress_stop) {
    const auto schema = compile(R"({"allOf": [{"$ref": "#"}]})");
    EXPECT_FALSE(schema.is_valid(json::parse("1")));
}

TEST(validator, long_string_against_patterns) {
    const std::string text(1 << 20, 'a');
    const json::value instance(text);
    EXPECT_TRUE(compile(R"({"pattern": "^a+$"})").is_valid(instance));
    EXPECT_TRUE(compile(R"({"pattern": "^[a-z]*$", "maxLength": 2000000})").is_valid(instance));
    EXPECT_FALSE(compile(R"({"pattern": "b"})").is_valid(instance));
    // Exponential backtracking: boost::regex gives up rather than hang or crash; that
    // counts as a failed match and says so.
    const auto hard = compile(R"({"pattern": "^(a|aa)*b$"})");
    EXPECT_FALSE(hard.is_valid(instance));
    std::vector<validation_issue> issues;
    EXPECT_FALSE(hard.validate(instance, issues));
    ASSERT_EQ(issues.size(), 1u);
}

TEST(validator, patterns_use_ecma262_semantics) {
    EXPECT_FALSE(compile(R"({"pattern": "^abc$"})").is_valid(json::parse(R"("abc\n")")));
    EXPECT_TRUE(compile(R"({"pattern": "^.$"})").is_valid(json::parse(R"("é")")));
    EXPECT_TRUE(compile(R"({"pattern": "^[à-ÿ]+$"})").is_valid(json::parse(R"("éü")")));
    EXPECT_FALSE(compile(R"({"pattern": "^[^à-ÿ]$"})").is_valid(json::parse(R"("é")")));
    EXPECT_TRUE(compile(R"({"pattern": "^\\u00e9$"})").is_valid(json::parse(R"("é")")));
    const auto email_like = compile(R"({"pattern": "^[^@\\s]+@[^@\\s]+$"})");
    EXPECT_TRUE(email_like.is_valid(json::parse(R"("jö@example.org")")));
    EXPECT_FALSE(email_like.is_valid(json::parse(R"("j\u00a0@example.org")")));
    const auto named = compile(R"({"pattern": "^(?<y>\\d{4})-\\k<y>$"})");
    EXPECT_TRUE(named.is_valid(json::parse(R"("2020-2020")")));
    EXPECT_FALSE(named.is_valid(json::parse(R"("2020-2021")")));
    EXPECT_EQ(
        compile_error(R"({"pattern": "(?i)abc"})"),
        "compile schema: /pattern: invalid regular expression (\"(?i)abc\"); unsupported group "
        "syntax (?i; ECMA 262 has (?:, (?=, (?!, (?<=, (?<! and (?<name>");
}

TEST(validator, is_valid_allocates_nothing_on_success) {
    const auto schema = compile(R"({
        "type": "object",
        "required": ["path", "action", "count"],
        "additionalProperties": false,
        "properties": {
            "path": {"type": "string", "minLength": 1, "maxLength": 4096},
            "action": {"enum": ["save", "load"]},
            "count": {"type": "integer", "minimum": 0, "maximum": 1000, "multipleOf": 1},
            "ratio": {"type": "number", "exclusiveMaximum": 1},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
            "when": {"anyOf": [{"type": "null"}, {"const": "now"}]},
            "mode": {"if": {"const": "x"}, "then": true, "else": {"not": {"type": "object"}}},
            "meta": {"oneOf": [{"type": "object"}, {"type": "null"}], "allOf": [true]}
        }})");
    const json::value event = json::parse(R"({"path": "a.ipynb", "action": "save", "count": 3,
        "ratio": 0.5, "tags": ["x", "y"], "when": "now", "mode": "y", "meta": null})");
    const long before = allocation_count.load();
    const bool valid = schema.is_valid(event);
    const long after = allocation_count.load();
    EXPECT_TRUE(valid);
    EXPECT_EQ(after - before, 0);

    // The counter does see allocations: reporting an issue makes some.
    std::vector<validation_issue> issues;
    const long before_report = allocation_count.load();
    EXPECT_FALSE(schema.validate(json::parse(R"({"path": ""})"), issues));
    EXPECT_GT(allocation_count.load(), before_report);
}

TEST(validator, concurrent_validation_shares_one_schema) {
    const auto schema = compile(R"({"properties": {"n": {"type": "integer", "maximum": 10}}})");
    const json::value good = json::parse(R"({"n": 3})");
    const json::value bad = json::parse(R"({"n": 30})");
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 2000; ++i) {
                std::vector<validation_issue> issues;
                if (!schema.is_valid(good) || schema.validate(bad, issues) || issues.size() != 1) {
                    ++wrong;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(wrong.load(), 0);
}

TEST(validator, append_pointer_token_escapes) {
    std::string out = "/a";
    jupyter_events::detail::append_pointer_token(out, "b/c~d");
    EXPECT_EQ(out, "/ab~1c~0d");
}

TEST(formats, checkers_by_name) {
    using namespace jupyter_events::detail;
    EXPECT_EQ(find_format_checker("postal-code"), nullptr);
    ASSERT_NE(find_format_checker("date-time"), nullptr);
    EXPECT_TRUE(is_date_time("2026-11-23T11:17:47.123456Z"));
    EXPECT_TRUE(is_date_time("1998-12-31T23:59:60Z"));
    EXPECT_FALSE(is_date_time("2026-11-23 11:17:47Z"));
    EXPECT_TRUE(is_uri_reference("url.to.event.schema"));
    EXPECT_FALSE(is_uri_reference("has space"));
    EXPECT_TRUE(is_email("joe@example.com"));
    EXPECT_TRUE(is_hostname("example.org"));
    EXPECT_TRUE(is_ipv6("::ffff:10.0.0.1"));
    EXPECT_TRUE(is_regex("^[a-z]+(?:-[a-z]+)*$"));
    EXPECT_FALSE(is_regex("(?i)abc"));
}

// The formats users asked for (Python needs optional extras for them), through a schema.
TEST(formats, event_formats_are_checked_in_schemas) {
    struct sample {
        const char* format;
        const char* good;
        const char* bad;
    };
    const sample samples[] = {
        {"date-time", "2026-11-23T11:17:47+06:00", "2026-11-23T25:17:47Z"},
        {"date", "2024-02-29", "2023-02-29"},
        {"time", "11:17:47.5Z", "11:17"},
        {"email", "a.b@example.org", "a@@example.org"},
        {"uri", "https://example.org/x?y#z", "not a uri"},
        {"uuid", "6e8bc430-9C3A-11d9-9669-0800200c9a66", "6e8bc430-9c3a-11d9-9669-0800200c9a6"},
        {"ipv4", "192.168.0.1", "192.168.0.256"},
        {"ipv6", "2001:db8::1", "2001:db8:::1"},
    };
    for (const auto& s : samples) {
        const auto schema = boost::json::value{{"type", "string"}, {"format", s.format}};
        auto compiled = compiled_schema::compile(schema, "", {});
        EXPECT_TRUE(compiled.is_valid(boost::json::value(s.good))) << s.format << " " << s.good;
        std::vector<validation_issue> issues;
        EXPECT_FALSE(compiled.validate(boost::json::value(s.bad), issues)) << s.format << " " << s.bad;
        ASSERT_EQ(issues.size(), 1u);
        EXPECT_EQ(issues[0].message, std::string("\"") + s.bad + "\" is not a valid \"" + s.format + "\"");
    }
}

}  // namespace
