// The example programs run with their output checked.
#include "test_support.hpp"

#include <gmock/gmock.h>

#include <regex>

using namespace je_test;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

run_result run(const std::string& command, const std::string& env = {}) {
    temp_dir io;
    const fs::path out = io.path / "stdout", err = io.path / "stderr";
    const int status = std::system((env + " " + command + " >'" + out.string() + "' 2>'" + err.string() + "'").c_str());
    run_result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read(out);
    r.err = read(err);
    return r;
}

TEST(examples, yaml_only_records_what_its_config_allows) {
    temp_dir dir;
    auto r = run(sq(JE_EXAMPLE_YAML_ONLY) + " " + sq(std::string(JE_SOURCE_DIR) + "/config/example.yaml"),
                 "EVENTS_DIR=" + sq(dir.path.string()));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("rejected as expected: record event: /status: \"hi\" is not one of [\"success\",\"failure\"]"));
    EXPECT_THAT(r.out, HasSubstr("recorded 3, rejected 1"));
    const auto written = lines(read(dir.path / "events.jsonl"));
    ASSERT_EQ(written.size(), 3u);
    EXPECT_THAT(written[2], HasSubstr("\"__schema__\":\"url.to.event.schema\""));
}

TEST(examples, existing_boost_log_setup_keeps_its_lines_and_the_events_apart) {
    temp_dir dir;
    const std::string src = JE_SOURCE_DIR;
    auto r = run(sq(JE_EXAMPLE_EXISTING) + " " + sq(src + "/examples/existing_boost_log/settings.ini") + " " +
                 sq(src + "/schemas/examples") + " " + sq(dir.path.string()));
    EXPECT_EQ(r.code, 0) << r.err;
    const std::string app = read(dir.path / "app.log");
    EXPECT_EQ(app,
              "[info] application started\n"
              "[warning] disk almost full\n"
              "[info] saved a.ipynb\n"
              "[info] application still logging after the plugin left\n");
    const auto events = lines(read(dir.path / "events.jsonl"));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_THAT(events[0], HasSubstr("\"__schema__\":\"https://events.example.org/file-save\""));
    // The console sink (std::clog) saw the warning only, no event.
    EXPECT_EQ(r.err, "app: disk almost full\n");
}

TEST(examples, native_macros_records_valid_events_once_and_reports_the_invalid_one) {
    temp_dir dir;
    auto r = run(sq(JE_EXAMPLE_NATIVE) + " " + sq(std::string(JE_SOURCE_DIR) + "/examples/native_macros/events.yaml"),
                 "EVENTS_DIR=" + sq(dir.path.string()));
    EXPECT_EQ(r.code, 0) << r.err;
    // The application's own lines on its own sink, the invalid event reported, nothing else.
    EXPECT_EQ(r.out,
              "[info] saving notebooks/analysis.ipynb\n"
              "reported: record event: /action: \"delete\" is not one of [\"save\",\"autosave\",\"rename\"] "
              "(schema https://events.example.org/file-save v1)\n"
              "[info] done\n"
              "recorded 1, rejected 1\n");
    EXPECT_EQ(r.err, "");
    // The valid event with its envelope, exactly once; no application line, no invalid event.
    const auto events = lines(read(dir.path / "events.jsonl"));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_TRUE(std::regex_match(
        events[0], std::regex(R"(\{"__timestamp__":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z",)"
                              R"("__schema__":"https://events\.example\.org/file-save","__schema_version__":"1",)"
                              R"("__metadata_version__":1,"path":"notebooks/analysis\.ipynb","action":"save",)"
                              R"("size":20480\})")))
        << events[0];
}

}  // namespace
