#include <jupyter_events/event_logger.hpp>

#include "handler_support.hpp"
#include "test_support.hpp"

#include <boost/json/parse.hpp>

#include <gmock/gmock.h>

#include <regex>
#include <set>
#include <thread>

namespace je = jupyter_events;
namespace json = boost::json;
using namespace je_test;
using ::testing::HasSubstr;

namespace {

const char* const file_save_schema = R"(
$id: https://example.org/file-save
version: "1"
type: object
properties:
  path: {type: string}
  action: {type: string, enum: [save, autosave]}
  status: {type: string, enum: [success, failure]}
  user:
    type: object
    properties:
      email: {type: string}
    required: [email]
required: [path, action]
)";

// The schema the Python reference outputs (shared/reference) were recorded with.
const char* const app_action_schema = R"({
  "$id": "https://events.example.org/app/action", "version": "1", "title": "App Action",
  "type": "object",
  "properties": {
    "user": {"type": "string"}, "action": {"type": "string"}, "count": {"type": "integer"},
    "success": {"type": "boolean"},
    "level": {"type": "string", "enum": ["debug", "info", "warning", "error"]},
    "details": {"type": "object", "properties": {"path": {"type": "string"}, "size": {"type": "integer"}},
                "required": ["path"]}},
  "required": ["user", "action", "count"]})";

class event_logger_test : public boost_log_fixture {
protected:
    temp_dir dir;
    fs::path out = dir.path / "events.jsonl";
};

TEST_F(event_logger_test, seed_readme_example_works_as_written) {
    je::event_logger logger{file_logger(out, {"url.to.event.schema"})};
    logger.register_schema_file(fs::path(JE_SOURCE_DIR) / "schemas/examples/seed-example.json");
    json::value event = {{"name", "example event"}};
    logger.record_event("url.to.event.schema", 1, event);
    logger.flush();
    const auto written = lines(read(out));
    ASSERT_EQ(written.size(), 1u);
    EXPECT_TRUE(std::regex_match(
        written[0], std::regex(R"(\{"__timestamp__":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z","__schema__":"url\.to\.event\.schema",)"
                               R"("__schema_version__":"1","__metadata_version__":1,"name":"example event"\})")))
        << written[0];
}

TEST_F(event_logger_test, envelope_first_then_fields_in_caller_order) {
    je::event_logger logger{file_logger(out)};
    logger.register_schema_text(file_save_schema);
    logger.record_event("https://example.org/file-save", "1", {{"path", "a.ipynb"}, {"action", "save"}},
                        "2026-11-23T11:17:47.123456Z");
    json::object reversed;
    reversed["action"] = "save";
    reversed["path"] = "b.ipynb";
    logger.record_event("https://example.org/file-save", "", reversed, "2026-11-23T12:17:47.5+01:00");
    logger.flush();
    EXPECT_EQ(read(out),
              "{\"__timestamp__\":\"2026-11-23T11:17:47.123456Z\",\"__schema__\":\"https://example.org/file-save\","
              "\"__schema_version__\":\"1\",\"__metadata_version__\":1,\"path\":\"a.ipynb\",\"action\":\"save\"}\n"
              "{\"__timestamp__\":\"2026-11-23T11:17:47.500000Z\",\"__schema__\":\"https://example.org/file-save\","
              "\"__schema_version__\":\"1\",\"__metadata_version__\":1,\"action\":\"save\",\"path\":\"b.ipynb\"}\n");
}

TEST_F(event_logger_test, python_style_matches_reference_bytes) {
    auto cfg = file_logger(out);
    cfg.style = je::json_style::python;
    cfg.timestamp = je::timestamp_format::jupyter;
    je::event_logger logger{cfg};
    logger.register_schema_text(app_action_schema);
    const std::string id = "https://events.example.org/app/action";
    auto event = [](int count) {
        return json::parse(R"({"user": "alice", "action": "open", "count": )" + std::to_string(count) +
                           R"(, "success": true, "level": "info", "details": {"path": "/home/alice/notebook.ipynb", "size": 1024}})");
    };
    logger.record_event(id, "1", event(7), "2025-01-02T03:04:05.678901+00:00");
    logger.record_event(id, "1", event(8), "2025-01-02T03:04:05+00:00");
    logger.record_event(id, "1", event(9), "2025-01-02T03:04:05.123");
    logger.record_event(id, "1", json::parse(R"({"user": "b\u00e9a \u2603", "action": "x\"y\n", "count": -1})"),
                        "2025-01-02T03:04:05.678901+00:00");
    logger.flush();
    // Byte for byte what Python jupyter_events 0.12.1 wrote (shared/reference, section 1).
    const std::string tail =
        R"(, "__schema__": "https://events.example.org/app/action", "__schema_version__": "1", "__metadata_version__": 1, )";
    const std::string body = R"("user": "alice", "action": "open", "count": %d, "success": true, "level": "info", )"
                             R"("details": {"path": "/home/alice/notebook.ipynb", "size": 1024}})";
    auto with = [&](const std::string& ts, int count) {
        std::string b = body;
        b.replace(b.find("%d"), 2, std::to_string(count));
        return "{\"__timestamp__\": \"" + ts + "\"" + tail + b + "\n";
    };
    EXPECT_EQ(read(out), with("2025-01-02T03:04:05.678901+00:00Z", 7) + with("2025-01-02T03:04:05+00:00Z", 8) +
                             with("2025-01-02T03:04:05.123000Z", 9) +
                             "{\"__timestamp__\": \"2025-01-02T03:04:05.678901+00:00Z\"" + tail +
                             R"("user": "b\u00e9a \u2603", "action": "x\"y\n", "count": -1})" + "\n");
}

TEST_F(event_logger_test, python_style_matches_jupyter_events_test_lines) {
    auto cfg = file_logger(out);
    cfg.style = je::json_style::python;
    cfg.timestamp = je::timestamp_format::jupyter;
    je::event_logger logger{cfg};
    logger.register_schema_text(R"({"$id": "http://test/test", "version": 1, "properties": {"something": {"type": "string"}}})");
    logger.record_event("http://test/test", 1, {{"something", "blah"}}, "2024-01-02T03:04:05.678901+00:00");
    logger.record_event("http://test/test", 1, {{"something", "h\u00e9llo \u2713"}}, "2024-01-02T03:04:05.678901+00:00");
    logger.flush();
    EXPECT_EQ(read(out),
              R"({"__timestamp__": "2024-01-02T03:04:05.678901+00:00Z", "__schema__": "http://test/test", )"
              R"("__schema_version__": "1", "__metadata_version__": 1, "something": "blah"})" "\n"
              R"({"__timestamp__": "2024-01-02T03:04:05.678901+00:00Z", "__schema__": "http://test/test", )"
              R"("__schema_version__": "1", "__metadata_version__": 1, "something": "h\u00e9llo \u2713"})" "\n");
}

TEST_F(event_logger_test, invalid_event_lists_every_pointer_and_writes_nothing) {
    je::event_logger logger{file_logger(out)};
    logger.register_schema_text(file_save_schema);
    try {
        logger.record_event("https://example.org/file-save", "1",
                            {{"path", "a"}, {"action", "save"}, {"status", "hi"}, {"user", json::object()}});
        FAIL() << "expected a validation error";
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::validation_error);
        EXPECT_THAT(e.what(), HasSubstr(R"(/status: "hi" is not one of ["success","failure"])"));
        EXPECT_THAT(e.what(), HasSubstr("/user/email"));
        EXPECT_THAT(e.what(), HasSubstr("(schema https://example.org/file-save v1)"));
        ASSERT_EQ(e.issues().size(), 2u);
    }
    logger.flush();
    EXPECT_EQ(read(out), "");
    EXPECT_EQ(logger.stats().rejected_invalid, 1u);
}

TEST_F(event_logger_test, reserved_top_level_keys_are_rejected) {
    je::event_logger logger{file_logger(out)};
    logger.register_schema_text(file_save_schema);
    auto outcome = logger.try_record_event("https://example.org/file-save", "1",
                                           {{"path", "a"}, {"action", "save"}, {"__timestamp__", "hacked"}});
    EXPECT_EQ(outcome.code, je::errc::validation_error);
    EXPECT_THAT(outcome.message, HasSubstr("/__timestamp__"));
    // Nested "__" keys are ordinary data.
    EXPECT_TRUE(logger.try_record_event("https://example.org/file-save", "1",
                                        {{"path", "a"}, {"action", "save"}, {"user", {{"email", "x"}, {"__x", 1}}}}));
}

TEST_F(event_logger_test, pipeline_order_and_counters) {
    je::event_logger logger{file_logger(out, {"https://example.org/file-save"})};
    logger.register_schema_text(file_save_schema);
    logger.register_schema_text(R"({"$id": "https://example.org/other", "version": 1, "properties": {}})");
    // Registered but not allowed: dropped silently, counted.
    EXPECT_NO_THROW(logger.record_event("https://example.org/other", "1", json::object()));
    EXPECT_EQ(logger.stats().dropped_not_allowed, 1u);
    // Allowed but unregistered version.
    try {
        logger.record_event("https://example.org/file-save", "2", {{"path", "a"}, {"action", "save"}});
        FAIL();
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::unregistered_schema);
        EXPECT_THAT(e.what(), HasSubstr("registered versions: 1"));
    }
    auto not_object = logger.try_record_event("https://example.org/file-save", "1", json::array{1, 2});
    EXPECT_EQ(not_object.code, je::errc::invalid_event);
    EXPECT_THAT(not_object.message, HasSubstr("must be a JSON object, not an array"));
    auto bad_time = logger.try_record_event("https://example.org/file-save", "1", {{"path", "a"}, {"action", "save"}},
                                            "yesterday");
    EXPECT_EQ(bad_time.code, je::errc::invalid_argument);
    EXPECT_TRUE(logger.try_record_event("https://example.org/file-save", "1", {{"path", "a"}, {"action", "save"}}).written);
    EXPECT_EQ(logger.stats().recorded, 1u);
}

TEST_F(event_logger_test, invalid_utf8_is_rejected_with_its_pointer) {
    je::event_logger logger{file_logger(out)};
    logger.register_schema_text(file_save_schema);
    auto outcome = logger.try_record_event("https://example.org/file-save", "1",
                                           {{"path", "a\xff"}, {"action", "save"}});
    EXPECT_EQ(outcome.code, je::errc::invalid_event);
    EXPECT_THAT(outcome.message, HasSubstr("/path: not representable in JSON"));
    logger.flush();
    EXPECT_EQ(read(out), "");
}

TEST_F(event_logger_test, fast_path_when_no_handler_pushes_nothing) {
    // No sinks at all in the core: a pushed record would reach Boost.Log's default sink
    // and appear on stdout.
    je::event_logger logger;
    logger.register_schema_text(file_save_schema);
    testing::internal::CaptureStdout();
    for (int i = 0; i < 10; ++i)
        logger.record_event("https://example.org/file-save", "1", {{"path", "a"}, {"action", "save"}});
    EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
    EXPECT_EQ(logger.stats().dropped_no_handler, 10u);
}

TEST_F(event_logger_test, handler_schemas_list_routes_events) {
    auto cfg = file_logger(out);
    cfg.handlers[0].schemas = {"https://example.org/other"};
    je::event_logger logger{cfg};
    logger.register_schema_text(file_save_schema);
    logger.register_schema_text(R"({"$id": "https://example.org/other", "version": "1", "properties": {}})");
    logger.record_event("https://example.org/file-save", "1", {{"path", "a"}, {"action", "save"}});
    logger.record_event("https://example.org/other", "1", json::object());
    logger.flush();
    EXPECT_THAT(read(out), HasSubstr("https://example.org/other"));
    EXPECT_EQ(lines(read(out)).size(), 1u);
    EXPECT_EQ(logger.stats().dropped_no_handler, 1u);
}

TEST_F(event_logger_test, filter_and_format_strings_use_boost_log_syntax) {
    auto cfg = file_logger(out);
    cfg.handlers[0].filter = "%EventSchemaVersion% = \"2\"";
    cfg.handlers[0].settings["Format"] = {"%EventSchema% v%EventSchemaVersion%: %Message%", ""};
    je::event_logger logger{cfg};
    for (const char* v : {"1", "2"})
        logger.register_schema_text(std::string(R"({"$id": "https://example.org/f", "properties": {}, "version": ")") + v + "\"}");
    logger.record_event("https://example.org/f", "1", json::object(), "2026-01-01T00:00:00Z");
    logger.record_event("https://example.org/f", "2", json::object(), "2026-01-01T00:00:00Z");
    logger.flush();
    EXPECT_EQ(read(out), "https://example.org/f v2: {\"__timestamp__\":\"2026-01-01T00:00:00.000000Z\",\"__schema__\":"
                         "\"https://example.org/f\",\"__schema_version__\":\"2\",\"__metadata_version__\":1}\n");
    auto bad = file_logger(out);
    bad.handlers[0].filter = "%EventSchema% ==== x";
    try {
        je::event_logger broken{bad};
        FAIL();
    } catch (const je::error& e) {
        EXPECT_THAT(e.what(), HasSubstr("handler events: Filter: invalid Boost.Log filter (%EventSchema% ==== x)"));
    }
}

TEST_F(event_logger_test, coexists_with_application_sinks_and_removes_only_its_own) {
    capture_sink app;
    {
        je::event_logger logger{file_logger(out)};
        logger.register_schema_text(file_save_schema);
        logger.record_event("https://example.org/file-save", "1", {{"path", "a"}, {"action", "save"}});
    }
    // The application's sink is still attached and saw the event (no filter of its own).
    EXPECT_THAT(app.text(), HasSubstr("\"path\":\"a\""));
    boost::log::core::get()->flush();
    EXPECT_EQ(lines(read(out)).size(), 1u);
}

TEST_F(event_logger_test, two_loggers_never_write_into_each_other) {
    const fs::path out2 = dir.path / "second.jsonl";
    je::event_logger first{file_logger(out)};
    je::event_logger second{file_logger(out2)};
    first.register_schema_text(file_save_schema);
    second.register_schema_text(file_save_schema);
    first.record_event("https://example.org/file-save", "1", {{"path", "first"}, {"action", "save"}});
    second.record_event("https://example.org/file-save", "1", {{"path", "second"}, {"action", "save"}});
    first.flush();
    second.flush();
    EXPECT_EQ(lines(read(out)).size(), 1u);
    EXPECT_THAT(read(out), HasSubstr("first"));
    EXPECT_EQ(lines(read(out2)).size(), 1u);
    EXPECT_THAT(read(out2), HasSubstr("second"));
}

TEST_F(event_logger_test, eight_threads_write_every_event_exactly_once) {
    je::event_logger logger{file_logger(out)};
    logger.register_schema_text(R"({"$id": "https://example.org/t", "version": "1", "type": "object",
        "properties": {"thread": {"type": "integer"}, "seq": {"type": "integer"}}, "required": ["thread", "seq"]})");
    constexpr int threads = 8, per_thread = 2000;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) logger.record_event("https://example.org/t", "1", {{"thread", t}, {"seq", i}});
        });
    for (auto& th : pool) th.join();
    logger.flush();
    std::set<std::pair<std::int64_t, std::int64_t>> seen;
    const auto written = lines(read(out));
    ASSERT_EQ(written.size(), static_cast<std::size_t>(threads * per_thread));
    for (const auto& line : written) {
        const auto v = json::parse(line).as_object();  // every line is whole JSON
        EXPECT_TRUE(seen.emplace(v.at("thread").as_int64(), v.at("seq").as_int64()).second) << line;
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(threads * per_thread));
}

TEST_F(event_logger_test, highest_version_when_version_is_empty) {
    je::event_logger logger{file_logger(out)};
    for (const char* v : {"2", "10", "9"})
        logger.register_schema_text(std::string(R"({"$id": "https://example.org/v", "properties": {}, "version": ")") + v + "\"}");
    logger.record_event("https://example.org/v", "", json::object());
    logger.flush();
    EXPECT_THAT(read(out), HasSubstr("\"__schema_version__\":\"10\""));
}

TEST_F(event_logger_test, unknown_destination_is_a_located_config_error) {
    auto cfg = file_logger(out);
    je::handler_config bad;
    bad.name = "bad";
    bad.destination = "NoSuchSink";
    bad.where = "events.yaml:7:5";
    cfg.handlers.push_back(bad);
    try {
        je::event_logger logger{cfg};
        FAIL();
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::config_error);
        EXPECT_THAT(e.what(), HasSubstr("events.yaml:7:5: handler bad: Destination: unsupported (NoSuchSink)"));
    }
}

}  // namespace
