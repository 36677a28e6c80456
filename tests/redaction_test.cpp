// Redaction by category, jupyter_telemetry's semantics (its test cases reproduced).
#include <jupyter_events/event_logger.hpp>

#include "test_support.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace je = jupyter_events;
namespace json = boost::json;
using namespace je_test;

namespace {

const char* const flat_schema = R"({
  "$id": "test.event", "version": 1, "type": "object",
  "properties": {
    "nothing-exciting": {"categories": ["unrestricted"], "type": "string"},
    "id": {"categories": ["user-identifier"], "type": "string"},
    "email": {"categories": ["user-identifiable-information"], "type": "string"}}})";

const char* const nested_schema = R"({
  "$id": "test.nested", "version": 1, "type": "object",
  "properties": {
    "nothing-exciting": {"categories": ["unrestricted"], "type": "string"},
    "user": {"categories": ["user-identifier"], "type": "object",
             "properties": {"email": {"categories": ["user-identifiable-information"], "type": "string"},
                            "id": {"categories": ["user-identifier"], "type": "string"},
                            "plain": {"type": "string"}}}}})";

const char* const array_schema = R"({
  "$id": "test.array", "version": 1, "type": "object",
  "properties": {
    "nothing-exciting": {"categories": ["unrestricted"], "type": "string"},
    "users": {"categories": ["user-identifier"], "type": "array",
              "items": {"type": "object",
                        "properties": {"email": {"categories": ["user-identifiable-information"]},
                                       "id": {"categories": ["user-identifier"]}}}}}})";

const char* const ref_schema = R"({
  "$id": "test.ref", "version": 1, "type": "object",
  "definitions": {"person": {"type": "object", "properties": {
      "email": {"categories": ["user-identifiable-information"]}, "id": {"categories": ["user-identifier"]}}}},
  "properties": {
    "nothing-exciting": {"categories": ["unrestricted"]},
    "user": {"allOf": [{"categories": ["user-identifier"]}, {"$ref": "#/definitions/person"}]},
    "friend": {"$ref": "test.person.shared"}}})";

const char* const shared_person = R"({
  "$id": "test.person.shared", "version": 1, "categories": ["user-identifier"], "type": "object",
  "properties": {"email": {"categories": ["user-identifiable-information"]}}})";

struct redaction_case {
    const char* name;
    const char* schema_id;
    const char* allowed;  // YAML-ish JSON of the allowed_schemas entry's extra keys
    const char* event;
    const char* expected;  // the event part of the written line
};

const redaction_case cases[] = {
    {"no_categories_allowed", "test.event", R"({"allowed_categories": []})",
     R"({"nothing-exciting": "hello, world", "id": "test id", "email": "test@testemail.com"})",
     R"({"nothing-exciting":"hello, world","id":null,"email":null})"},
    {"plain_entry_means_no_categories", "test.event", "{}",
     R"({"nothing-exciting": "hello, world", "id": "test id", "email": "test@testemail.com"})",
     R"({"nothing-exciting":"hello, world","id":null,"email":null})"},
    {"user_identifier", "test.event", R"({"allowed_categories": ["user-identifier"]})",
     R"({"nothing-exciting": "hello, world", "id": "test id", "email": "test@testemail.com"})",
     R"({"nothing-exciting":"hello, world","id":"test id","email":null})"},
    {"user_identifiable_information", "test.event", R"({"allowed_categories": ["user-identifiable-information"]})",
     R"({"nothing-exciting": "hello, world", "id": "test id", "email": "test@testemail.com"})",
     R"({"nothing-exciting":"hello, world","id":null,"email":"test@testemail.com"})"},
    {"both_categories", "test.event",
     R"({"allowed_categories": ["user-identifier", "user-identifiable-information"]})",
     R"({"nothing-exciting": "hello, world", "id": "test id", "email": "test@testemail.com"})",
     R"({"nothing-exciting":"hello, world","id":"test id","email":"test@testemail.com"})"},
    {"allowed_property", "test.event", R"({"allowed_categories": [], "allowed_properties": ["id"]})",
     R"({"nothing-exciting": "hello, world", "id": "test id", "email": "test@testemail.com"})",
     R"({"nothing-exciting":"hello, world","id":"test id","email":null})"},
    {"star_turns_redaction_off", "test.event", R"({"allowed_categories": ["*"]})",
     R"({"nothing-exciting": "x", "id": "i", "email": "e"})", R"({"nothing-exciting":"x","id":"i","email":"e"})"},
    {"undeclared_top_level_key_is_null", "test.event", R"({"allowed_categories": ["user-identifier"]})",
     R"({"id": "i", "extra": {"a": 1}})", R"({"id":"i","extra":null})"},
    {"nested_parent_hides_children", "test.nested", R"({"allowed_categories": ["user-identifiable-information"]})",
     R"({"nothing-exciting": "hello", "user": {"email": "e", "id": "i"}})", R"({"nothing-exciting":"hello","user":null})"},
    {"nested_child_redacted", "test.nested", R"({"allowed_categories": ["user-identifier"]})",
     R"({"nothing-exciting": "hello", "user": {"email": "e", "id": "i", "plain": "p", "undeclared": 1}})",
     R"({"nothing-exciting":"hello","user":{"email":null,"id":"i","plain":"p","undeclared":1}})"},
    {"nested_both", "test.nested", R"({"allowed_categories": ["user-identifier", "user-identifiable-information"]})",
     R"({"user": {"email": "e", "id": "i"}})", R"({"user":{"email":"e","id":"i"}})"},
    {"array_items_one_by_one", "test.array", R"({"allowed_categories": ["user-identifier"]})",
     R"({"nothing-exciting": "hello", "users": [{"email": "a", "id": "1"}, {"email": "b", "id": "2"}]})",
     R"({"nothing-exciting":"hello","users":[{"email":null,"id":"1"},{"email":null,"id":"2"}]})"},
    {"array_parent_hidden", "test.array", R"({"allowed_categories": []})",
     R"({"users": [{"email": "a", "id": "1"}]})", R"({"users":null})"},
    {"through_ref_and_allof", "test.ref", R"({"allowed_categories": ["user-identifier"]})",
     R"({"nothing-exciting": "x", "user": {"email": "e", "id": "i"}, "friend": {"email": "f"}})",
     R"({"nothing-exciting":"x","user":{"email":null,"id":"i"},"friend":{"email":null}})"},
    {"through_ref_parent_hidden", "test.ref", R"({"allowed_categories": ["user-identifiable-information"]})",
     R"({"user": {"email": "e", "id": "i"}, "friend": {"email": "f"}})", R"({"user":null,"friend":null})"},
};

class redaction_test : public boost_log_fixture, public ::testing::WithParamInterface<redaction_case> {};

TEST_P(redaction_test, writes_only_what_the_policy_allows) {
    const redaction_case& c = GetParam();
    temp_dir dir;
    je::logger_config cfg;
    je::allowed_schema entry;
    entry.id = c.schema_id;
    const json::object extra = json::parse(c.allowed).as_object();
    if (const auto* cats = extra.if_contains("allowed_categories")) {
        entry.allowed_categories.emplace();
        for (const auto& v : cats->as_array()) entry.allowed_categories->emplace_back(v.as_string());
    }
    if (const auto* props = extra.if_contains("allowed_properties"))
        for (const auto& v : props->as_array()) entry.allowed_properties.emplace_back(v.as_string());
    cfg.allowed_schemas.push_back(entry);
    je::handler_config h;
    h.name = "events";
    h.settings["FileName"] = {(dir.path / "e.jsonl").string(), ""};
    cfg.handlers.push_back(h);
    je::event_logger logger{cfg};
    for (const char* s : {flat_schema, nested_schema, array_schema, shared_person, ref_schema}) logger.register_schema_text(s);
    const json::value event = json::parse(c.event);
    const json::value original = event;
    logger.record_event(c.schema_id, "1", event);
    logger.flush();
    const std::string line = read(dir.path / "e.jsonl");
    const std::string marker = "\"__metadata_version__\":1,";
    const auto at = line.find(marker);
    ASSERT_NE(at, std::string::npos) << line;
    EXPECT_EQ("{" + line.substr(at + marker.size()), std::string(c.expected) + "\n");
    EXPECT_EQ(event, original);  // the caller's event is never changed
}

INSTANTIATE_TEST_SUITE_P(jupyter_telemetry_cases, redaction_test, ::testing::ValuesIn(cases),
                         [](const ::testing::TestParamInfo<redaction_case>& param_info) { return std::string(param_info.param.name); });

TEST(redaction, own_entry_wins_over_star_and_schemas_without_categories_are_untouched) {
    temp_dir dir;
    je::logger_config cfg;
    cfg.allowed_schemas.push_back({"*", std::vector<std::string>{"*"}, {}});
    cfg.allowed_schemas.push_back({"test.event", std::vector<std::string>{}, {}});
    je::handler_config h;
    h.name = "events";
    h.settings["FileName"] = {(dir.path / "e.jsonl").string(), ""};
    cfg.handlers.push_back(h);
    {
        je::event_logger logger{cfg};
        logger.register_schema_text(flat_schema);
        logger.register_schema_text(R"({"$id": "test.plain", "version": 1, "properties": {"a": {}}})");
        logger.register_schema_text(nested_schema);
        logger.record_event("test.event", 1, {{"id", "i"}, {"email", "e"}});
        logger.record_event("test.plain", 1, {{"a", 1}, {"b", 2}});
        logger.record_event("test.nested", 1, {{"user", {{"id", "i"}}}});
    }
    const auto written = lines(read(dir.path / "e.jsonl"));
    ASSERT_EQ(written.size(), 3u);
    EXPECT_NE(written[0].find("\"id\":null,\"email\":null"), std::string::npos) << written[0];
    EXPECT_NE(written[1].find("\"a\":1,\"b\":2"), std::string::npos) << written[1];
    EXPECT_NE(written[2].find("\"user\":{\"id\":\"i\"}"), std::string::npos) << written[2];
}

}  // namespace
