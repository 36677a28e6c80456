#include <jupyter_events/config_loader.hpp>

#include <jupyter_events/error.hpp>

#include "detail/metaschema.hpp"
#include "detail/validator.hpp"
#include "test_support.hpp"

#include <boost/json/parse.hpp>

#include <gmock/gmock.h>

#include <cstdlib>

namespace je = jupyter_events;
using namespace je_test;
using ::testing::HasSubstr;

namespace {

const fs::path fixtures = fs::path(JE_TESTS_DIR) / "config";

std::string expected_fragment(const fs::path& file) {
    std::string first = lines(read(file)).at(0);
    const std::string prefix = "# expect: ";
    return first.rfind(prefix, 0) == 0 ? first.substr(prefix.size()) : first;
}

std::string relative_message(const je::error& e) {
    std::string message = e.what();
    const std::string root = fixtures.string() + "/";
    for (auto pos = message.find(root); pos != std::string::npos; pos = message.find(root)) message.erase(pos, root.size());
    return message;
}

std::vector<fs::path> yaml_files(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".yaml") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// Editors load the shipped config schema as draft-07: it must itself be a valid draft-07
// schema, and the strict parts must be strict.
TEST(config_loader, shipped_config_schema_is_valid_draft_07) {
    const auto schema = boost::json::parse(read(fs::path(JE_SOURCE_DIR) / "schemas/jupyter-events-config.schema.json"));
    const auto meta = jupyter_events::detail::resolve_embedded("http://json-schema.org/draft-07/schema");
    ASSERT_TRUE(meta);
    auto compiled_meta =
        jupyter_events::detail::compiled_schema::compile(*meta, "http://json-schema.org/draft-07/schema",
                                                         jupyter_events::detail::resolve_embedded);
    std::vector<je::validation_issue> issues;
    EXPECT_TRUE(compiled_meta.validate(schema, issues));
    for (const auto& i : issues) ADD_FAILURE() << i.instance_pointer << ": " << i.message;
    EXPECT_NO_THROW(jupyter_events::detail::compiled_schema::compile(schema, "", jupyter_events::detail::resolve_embedded));
    EXPECT_EQ(schema.at("additionalProperties"), boost::json::value(false));
    EXPECT_EQ(schema.at_pointer("/properties/EventLogger/additionalProperties"), boost::json::value(false));
    EXPECT_EQ(schema.at_pointer("/properties/EventServer/additionalProperties"), boost::json::value(false));
}

TEST(config_loader, every_good_fixture_loads) {
    for (const auto& file : yaml_files(fixtures / "good")) EXPECT_NO_THROW(je::load_config({file})) << file;
}

TEST(config_loader, every_shipped_sample_loads) {
    ::setenv("EVENTS_TOKEN", "test-token", 1);
    for (const auto& file : yaml_files(fs::path(JE_SOURCE_DIR) / "config")) {
        je::load_options all;
        all.resolve_all = true;
        EXPECT_NO_THROW(je::load_config({file}, {}, all)) << file;
        // Every sample opens with the editor modeline pointing at the shipped schema.
        EXPECT_EQ(lines(read(file)).at(0), "# yaml-language-server: $schema=../schemas/jupyter-events-config.schema.json")
            << file;
    }
}

TEST(config_loader, every_bad_fixture_fails_with_its_message) {
    ::unsetenv("JE_TEST_SURELY_UNSET");
    for (const auto& file : yaml_files(fixtures / "bad")) {
        try {
            je::load_config({file});
            ADD_FAILURE() << file << " loaded";
        } catch (const je::error& e) {
            EXPECT_THAT(relative_message(e), HasSubstr(expected_fragment(file))) << file;
        }
    }
}

TEST(config_loader, full_fixture_fills_every_field) {
    ::unsetenv("JE_TEST_LOG_DIR");
    ::setenv("JE_TEST_ROTATION", "65536", 1);
    je::config cfg = je::load_config({fixtures / "good/full.yaml"});
    ::unsetenv("JE_TEST_ROTATION");
    const auto& el = cfg.event_logger;
    ASSERT_EQ(el.schemas.size(), 1u);
    EXPECT_EQ(el.schemas[0], (fs::path(JE_TESTS_DIR) / "schemas/good/simple.yaml").lexically_normal().string());
    ASSERT_EQ(el.allowed_schemas.size(), 2u);
    EXPECT_EQ(el.allowed_schemas[0].id, "https://example.org/simple");
    EXPECT_FALSE(el.allowed_schemas[0].allowed_categories);
    EXPECT_EQ(el.allowed_schemas[1].allowed_categories, (std::vector<std::string>{"user-identifier"}));
    EXPECT_EQ(el.allowed_schemas[1].allowed_properties, (std::vector<std::string>{"tags"}));
    EXPECT_EQ(el.timestamp, je::timestamp_format::jupyter);
    EXPECT_EQ(el.style, je::json_style::python);
    ASSERT_EQ(el.handlers.size(), 2u);
    const auto& h = el.handlers[0];
    EXPECT_EQ(h.name, "events");
    EXPECT_EQ(h.destination, "TextFile");
    // Relative to the config file's directory, not the working directory.
    EXPECT_EQ(h.settings.at("FileName").value, (fixtures / "good/logs/events_%N.jsonl").string());
    EXPECT_EQ(h.settings.at("RotationSize").value, "65536");  // ${...} took the number's type
    EXPECT_EQ(h.settings.at("Append").value, "false");
    EXPECT_EQ(h.settings.at("Mode").value, "0640");
    EXPECT_THAT(h.settings.at("FileName").where, HasSubstr("full.yaml:15:7"));
    EXPECT_EQ(h.schemas, (std::vector<std::string>{"https://example.org/simple"}));
    EXPECT_EQ(h.filter, "%EventSchemaVersion% = \"1\"");
    EXPECT_EQ(el.handlers[1].destination, "Console");
    // EventServer is not resolved unless asked for; its defaults stay.
    EXPECT_EQ(cfg.event_server.max_body_bytes, 1024u);
}

TEST(config_loader, layers_merge_key_by_key_and_lists_replace) {
    temp_dir dir;
    auto base = dir.write("base.yaml", R"(
EventLogger:
  allowed_schemas: [a, b]
  json_style: python
  handlers:
    events: {Destination: TextFile, FileName: base.jsonl, AutoFlush: true}
    console: {Destination: Console}
)");
    auto over = dir.write("site/override.yaml", R"(
EventLogger:
  allowed_schemas: [c]
  handlers:
    events: {FileName: site.jsonl}
    console: null
)");
    je::config cfg = je::load_config({base, over});
    const auto& el = cfg.event_logger;
    ASSERT_EQ(el.allowed_schemas.size(), 1u);
    EXPECT_EQ(el.allowed_schemas[0].id, "c");
    EXPECT_EQ(el.style, je::json_style::python);
    ASSERT_EQ(el.handlers.size(), 1u);
    EXPECT_EQ(el.handlers[0].settings.at("AutoFlush").value, "true");
    // The later file wrote FileName, so it resolves against the later file's directory.
    EXPECT_EQ(el.handlers[0].settings.at("FileName").value, (dir.path / "site/site.jsonl").string());
    EXPECT_THAT(el.handlers[0].settings.at("FileName").where, HasSubstr("override.yaml:5:"));
    EXPECT_EQ(cfg.files.size(), 2u);
}

TEST(config_loader, a_replaced_variable_is_never_resolved) {
    temp_dir dir;
    ::unsetenv("JE_TEST_SURELY_UNSET");
    auto base = dir.write("base.yaml", "EventLogger:\n  handlers:\n    e: {Destination: TextFile, FileName: \"${JE_TEST_SURELY_UNSET}\"}\n");
    auto over = dir.write("over.yaml", "EventLogger:\n  handlers:\n    e: {FileName: fixed.jsonl}\n");
    EXPECT_NO_THROW(je::load_config({base, over}));
    EXPECT_THROW(je::load_config({base}), je::error);
}

TEST(config_loader, command_line_overrides_win) {
    temp_dir dir;
    auto base = dir.write("base.yaml", "EventLogger:\n  json_style: python\n  allowed_schemas: [a]\n");
    je::config cfg = je::load_config({base}, {"EventLogger.json_style=compact", "EventLogger.allowed_schemas=[x, y]"});
    EXPECT_EQ(cfg.event_logger.style, je::json_style::compact);
    ASSERT_EQ(cfg.event_logger.allowed_schemas.size(), 2u);
    try {
        je::load_config({base}, {"EventLogger.json_styl=compact"});
        FAIL();
    } catch (const je::error& e) {
        EXPECT_THAT(e.what(), HasSubstr("--EventLogger.json_styl: load config: /EventLogger/json_styl: unknown key"));
        EXPECT_THAT(e.what(), HasSubstr("did you mean \"json_style\""));
    }
}

TEST(config_loader, every_unresolvable_variable_is_reported) {
    temp_dir dir;
    ::unsetenv("JE_TEST_SURELY_UNSET");
    ::unsetenv("JE_TEST_ALSO_UNSET");
    auto file = dir.write("c.yaml", "EventLogger:\n  allowed_schemas: [\"${JE_TEST_SURELY_UNSET}\"]\nEventServer:\n  token: ${JE_TEST_ALSO_UNSET}\n");
    je::load_options all;
    all.resolve_all = true;
    try {
        je::load_config({file}, {}, all);
        FAIL();
    } catch (const je::error& e) {
        EXPECT_THAT(e.what(), HasSubstr("c.yaml:2:21: load config: /EventLogger/allowed_schemas/0: environment variable JE_TEST_SURELY_UNSET"));
        EXPECT_THAT(e.what(), HasSubstr("c.yaml:4:3: load config: /EventServer/token: environment variable JE_TEST_ALSO_UNSET"));
    }
    // Without resolve_all, EventServer's variables are left alone.
    EXPECT_THROW(je::load_config({file}), je::error);
    ::setenv("JE_TEST_SURELY_UNSET", "ok", 1);
    EXPECT_NO_THROW(je::load_config({file}));
    ::unsetenv("JE_TEST_SURELY_UNSET");
}

TEST(config_loader, unquoted_variable_in_flow_collection_gets_a_hint) {
    temp_dir dir;
    auto file = dir.write("c.yaml", "EventLogger:\n  allowed_schemas: [${X}]\n");
    try {
        je::load_config({file});
        FAIL();
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::parse_error);
        EXPECT_THAT(e.what(), HasSubstr("c.yaml:2:"));
        EXPECT_THAT(e.what(), HasSubstr("quote values that contain ${...}"));
    }
}

TEST(config_loader, missing_and_directory_files) {
    try {
        je::load_config({"/nonexistent/events.yaml"});
        FAIL();
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::io_error);
        EXPECT_THAT(e.what(), HasSubstr("/nonexistent/events.yaml: load config: cannot open file"));
    }
    temp_dir dir;
    EXPECT_THROW(je::load_config({dir.path}), je::error);
    EXPECT_THROW(je::load_config({}), je::error);
}

TEST(config_loader, escaped_dollar_and_embedded_variables) {
    temp_dir dir;
    ::setenv("JE_TEST_PART", "mid", 1);
    auto file = dir.write("c.yaml", "EventLogger:\n  allowed_schemas: [\"a-${JE_TEST_PART}-b\", \"$${LITERAL}\"]\n");
    auto cfg = je::load_config({file});
    ::unsetenv("JE_TEST_PART");
    EXPECT_EQ(cfg.event_logger.allowed_schemas[0].id, "a-mid-b");
    EXPECT_EQ(cfg.event_logger.allowed_schemas[1].id, "${LITERAL}");
}

}  // namespace
