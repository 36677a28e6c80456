// The jupyter-events command, tested by exit code, stdout and stderr.
#include "test_support.hpp"

#include <gmock/gmock.h>

using namespace je_test;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

const std::string schemas = std::string(JE_TESTS_DIR) + "/schemas";

const char* const login_schema = R"(
$id: https://example.org/login
version: "1"
type: object
properties:
  user: {type: string}
  status: {type: string, enum: [success, failure]}
required: [user, status]
)";

class cli_test : public ::testing::Test {
protected:
    temp_dir dir;
    fs::path out = dir.path / "out/events.jsonl";
    fs::path config;

    void SetUp() override {
        dir.write("schemas/login.yaml", login_schema);
        dir.write("schemas/other.yaml", "$id: https://example.org/other\nversion: 1\nproperties: {}\n");
        config = dir.write("events.yaml", R"(
EventLogger:
  schemas: [schemas/]
  allowed_schemas: [https://example.org/login]
  handlers:
    events:
      Destination: TextFile
      FileName: out/events.jsonl
)");
    }
};

TEST(cli, help_and_version) {
    auto r = run_cli("--help");
    EXPECT_EQ(r.code, 0);
    EXPECT_THAT(r.out, HasSubstr("usage: jupyter-events"));
    r = run_cli("--version");
    EXPECT_EQ(r.code, 0);
    EXPECT_THAT(r.out, StartsWith("jupyter-events 0."));
    for (const char* cmd : {"validate", "check-config", "record"}) {
        r = run_cli(std::string(cmd) + " --help");
        EXPECT_EQ(r.code, 0) << cmd;
        EXPECT_THAT(r.out, HasSubstr(std::string("usage: jupyter-events ") + cmd)) << cmd;
    }
    r = run_cli("frobnicate");
    EXPECT_EQ(r.code, 64);
    EXPECT_THAT(r.err, HasSubstr("unknown command frobnicate"));
    EXPECT_EQ(run_cli("").code, 64);
}

TEST(cli, validate_exit_codes) {
    auto r = run_cli("validate " + schemas + "/good/simple.yaml " + schemas + "/good/integer-version.yaml");
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("good/simple.yaml: This schema is valid"));
    EXPECT_THAT(r.out, HasSubstr("good/integer-version.yaml: This schema is valid"));

    r = run_cli("validate " + schemas + "/good/simple.yaml " + schemas + "/bad/type-typo.yaml");
    EXPECT_EQ(r.code, 1);
    EXPECT_THAT(r.err, HasSubstr("bad/type-typo.yaml:6:5: register schema: /properties/name/type:"));

    r = run_cli("validate " + schemas + "/bad/type-typo.yaml /nonexistent.yaml");
    EXPECT_EQ(r.code, 2);
    EXPECT_THAT(r.err, HasSubstr("/nonexistent.yaml: validate: cannot open file"));

    r = run_cli("validate " + schemas + "/bad/malformed.yaml");
    EXPECT_EQ(r.code, 2);
    r = run_cli("validate " + schemas + "/bad/not-a-mapping.yaml");
    EXPECT_EQ(r.code, 2);
    EXPECT_THAT(r.err, HasSubstr("not a mapping"));
    EXPECT_EQ(run_cli("validate").code, 64);
}

TEST_F(cli_test, check_config_ok_creates_nothing) {
    auto r = run_cli("check-config " + sq(config.string()));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("configuration is valid (2 schemas, 1 handlers)"));
    EXPECT_FALSE(fs::exists(out));
}

TEST_F(cli_test, check_config_errors_exit_78_located) {
    auto bad = dir.write("bad.yaml", "EventLogger:\n  handlers:\n    e:\n      Destination: TextFile\n      FileNmae: x\n");
    auto r = run_cli("check-config " + sq(bad.string()));
    EXPECT_EQ(r.code, 78);
    EXPECT_THAT(r.err, HasSubstr("bad.yaml:5:7: load config: /EventLogger/handlers/e/FileNmae: unknown key (FileNmae); did you mean \"FileName\"?"));
    // A layer fixes it; an override breaks it again.
    auto fix = dir.write("fix.yaml", "EventLogger:\n  handlers:\n    e: null\n");
    EXPECT_EQ(run_cli("check-config " + sq(bad.string()) + " " + sq(fix.string())).code, 0);
    r = run_cli("check-config " + sq(config.string()) + " --EventLogger.timestamp_format=iso");
    EXPECT_EQ(r.code, 78);
    EXPECT_THAT(r.err, HasSubstr("--EventLogger.timestamp_format: load config: /EventLogger/timestamp_format"));
    // A handler whose directory cannot be written.
    auto unwritable = dir.write("unwritable.yaml",
                                "EventLogger:\n  handlers:\n    e: {Destination: TextFile, FileName: /proc/self/x/y.jsonl}\n");
    r = run_cli("check-config " + sq(unwritable.string()));
    EXPECT_EQ(r.code, 78);
    EXPECT_THAT(r.err, HasSubstr("handler e: FileName:"));
}

TEST_F(cli_test, record_one_event) {
    auto r = run_cli("record --config " + sq(config.string()) +
                     " --schema https://example.org/login --version 1 --timestamp 2026-01-02T03:04:05Z " +
                     sq(R"({"user": "alice", "status": "success"})"));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(read(out),
              "{\"__timestamp__\":\"2026-01-02T03:04:05.000000Z\",\"__schema__\":\"https://example.org/login\","
              "\"__schema_version__\":\"1\",\"__metadata_version__\":1,\"user\":\"alice\",\"status\":\"success\"}\n");
    // Invalid: exit 1, located message, nothing written.
    r = run_cli("record --config " + sq(config.string()) + " --schema https://example.org/login " +
                sq(R"({"user": "alice", "status": "hi"})"));
    EXPECT_EQ(r.code, 1);
    EXPECT_THAT(r.err, HasSubstr(R"(/status: "hi" is not one of ["success","failure"] (schema https://example.org/login v1))"));
    EXPECT_EQ(lines(read(out)).size(), 1u);
}

TEST_F(cli_test, record_stdin_keeps_going_past_bad_lines) {
    const std::string input =
        R"({"schema": "https://example.org/login", "version": "1", "event": {"user": "a", "status": "success"}})" "\n"
        "not json\n"
        R"({"schema": "https://example.org/login", "version": 1, "event": {"user": "b", "status": "nope"}})" "\n"
        R"({"schema": "https://example.org/login", "version": "7", "event": {}})" "\n"
        R"({"schema": "https://example.org/other", "event": {}})" "\n"
        "\n"
        R"({"schema": "https://example.org/login", "event": {"user": "c", "status": "failure"}, "timestamp": "2026-01-02T03:04:05+01:00"})" "\n"
        R"({"event": {}})" "\n"
        R"({"schema": "https://example.org/login", "version": 1.0, "event": {}})" "\n";
    auto r = run_cli("record --verbose --config " + sq(config.string()), input);
    EXPECT_EQ(r.code, 1);
    const auto err = lines(r.err);
    EXPECT_THAT(r.err, HasSubstr("<stdin>:2: record: invalid JSON"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:3: record event: /status: \"nope\" is not one of"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:4: record event: schema is not registered ($id https://example.org/login, version 7); registered versions: 1"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:5: dropped: schema https://example.org/other is not in allowed_schemas"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:8: record: a line needs \"schema\""));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:9: record: /version: must be a string or an integer (1.0)"));
    const auto written = lines(read(out));
    ASSERT_EQ(written.size(), 2u);
    EXPECT_THAT(written[0], HasSubstr("\"user\":\"a\""));
    EXPECT_THAT(written[1], HasSubstr("\"__timestamp__\":\"2026-01-02T02:04:05.000000Z\""));
}

TEST_F(cli_test, record_hostile_input_lines) {
    const std::string deep(300, '[');
    const std::string input =
        std::string(R"({"schema": "https://example.org/login", "event": {"user": "a", "status": "success", "n": 1e400}})") + "\n" +
        R"({"schema": "https://example.org/login", "event": {"user": )" + deep + std::string(300, ']') + "}}\n" +
        "{\"schema\": \"https://example.org/login\", \"event\": {\"user\": \"\xff\", \"status\": \"success\"}}\n" +
        R"({"schema": "https://example.org/login", "event": "a string"})" "\n" +
        R"({"schema": "https://example.org/login", "event": {"user": "ok", "status": "success"}})" "\n";
    auto r = run_cli("record --config " + sq(config.string()), input);
    EXPECT_EQ(r.code, 1);
    EXPECT_THAT(r.err, HasSubstr("<stdin>:1: record: /event/n: number out of range"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:2: record: invalid JSON (nesting deeper than 256 levels)"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:3: record: invalid JSON"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:4: record event: an event must be a JSON object, not a string"));
    const auto written = lines(read(out));
    ASSERT_EQ(written.size(), 1u);  // only the last line, whole
    EXPECT_THAT(written[0], HasSubstr("\"user\":\"ok\""));
}

TEST_F(cli_test, record_exits_74_when_a_write_fails_only_at_the_final_flush) {
    auto full = dir.write("full.yaml", R"(
EventLogger:
  schemas: [schemas/]
  allowed_schemas: ["*"]
  handlers:
    events: {Destination: TextFile, FileName: /dev/full, AutoFlush: false}
)");
    const std::string line = R"({"schema": "https://example.org/login", "event": {"user": "a", "status": "success"}})";
    auto r = run_cli("record --config " + sq(full.string()), line + "\n");
    EXPECT_EQ(r.code, 74) << r.err;
    EXPECT_THAT(r.err, HasSubstr("handler events:"));
}

TEST_F(cli_test, record_usage_and_config_errors) {
    EXPECT_EQ(run_cli("record").code, 64);
    EXPECT_EQ(run_cli("record --config " + sq(config.string()) + " --schema x").code, 64);
    EXPECT_EQ(run_cli("record --config " + sq(config.string()) + " --bogus").code, 64);
    auto r = run_cli("record --config /nonexistent.yaml", "");
    EXPECT_EQ(r.code, 78);
    EXPECT_THAT(r.err, HasSubstr("/nonexistent.yaml: load config: cannot open file"));
    auto dup = dir.write("dup.yaml", "EventLogger:\n  schemas: [schemas/, schemas/login.yaml, dup/]\n");
    dir.write("dup/login-copy.yaml", login_schema);
    r = run_cli("record --config " + sq(dup.string()), "");
    EXPECT_EQ(r.code, 78);
    EXPECT_THAT(r.err, HasSubstr("already registered from"));
}

TEST_F(cli_test, example_in_readme_runs) {
    // The README's first command records examples/events.jsonl with config/example.yaml.
    const std::string root = JE_SOURCE_DIR;
    auto r = run_cli("record --config " + sq(root + "/config/example.yaml"), read(root + "/examples/events.jsonl"), {},
                     "EVENTS_DIR=" + sq((dir.path / "example").string()));
    EXPECT_EQ(r.code, 1);  // the last example line is invalid on purpose
    EXPECT_THAT(r.err, HasSubstr("<stdin>:5: record event: /status: \"hi\" is not one of [\"success\",\"failure\"]"));
    EXPECT_EQ(lines(read(dir.path / "example/events.jsonl")).size(), 4u);
}

}  // namespace
