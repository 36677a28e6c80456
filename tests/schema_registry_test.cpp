#include <jupyter_events/schema_registry.hpp>

#include "test_support.hpp"

#include <gmock/gmock.h>

#include <thread>
#include <unistd.h>

namespace je = jupyter_events;
namespace json = boost::json;
using namespace je_test;
using ::testing::HasSubstr;

namespace {

const fs::path fixtures = fs::path(JE_TESTS_DIR) / "schemas";

// The message fragment a bad fixture must produce: its "# expect: " first line, or a
// FILE.expect file beside it (JSON has no comments).
std::string expected_fragment(const fs::path& file) {
    fs::path sidecar = file;
    sidecar += ".expect";
    std::string text = fs::exists(sidecar) ? read(sidecar) : lines(read(file)).at(0);
    const std::string prefix = "# expect: ";
    if (text.rfind(prefix, 0) == 0) text = text.substr(prefix.size());
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() != ".expect") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

TEST(schema_registry, every_good_fixture_registers) {
    for (const auto& file : files_in(fixtures / "good")) {
        je::schema_registry registry;
        EXPECT_NO_THROW(registry.register_schema_file(file)) << file;
    }
}

TEST(schema_registry, every_bad_fixture_fails_with_its_message) {
    for (const auto& file : files_in(fixtures / "bad")) {
        je::schema_registry registry;
        try {
            registry.register_schema_file(file);
            ADD_FAILURE() << file << " registered";
        } catch (const je::error& e) {
            std::string message = e.what();
            const std::string root = fixtures.string() + "/";
            for (auto pos = message.find(root); pos != std::string::npos; pos = message.find(root))
                message.erase(pos, root.size());
            EXPECT_THAT(message, HasSubstr(expected_fragment(file))) << file;
        }
        EXPECT_TRUE(registry.schemas().empty()) << file << " left partial state";
    }
}

TEST(schema_registry, integer_version_is_stored_as_string) {
    je::schema_registry registry;
    auto s = registry.register_schema_file(fixtures / "good/integer-version.yaml").at(0);
    EXPECT_EQ(s.id(), "url.to.event.schema");
    EXPECT_EQ(s.version(), "1");
    EXPECT_EQ(s.json().at("version"), json::value("1"));
    EXPECT_NE(registry.find("url.to.event.schema", "1"), nullptr);
    EXPECT_EQ(registry.find("url.to.event.schema", "1.0"), nullptr);
}

TEST(schema_registry, several_versions_and_highest) {
    je::schema_registry registry;
    for (const char* v : {"1.2", "1.10", "1.9"})
        registry.register_schema(json::value{{"$id", "https://example.org/v"}, {"version", v}, {"properties", json::object()}});
    EXPECT_EQ(registry.find("https://example.org/v")->version(), "1.10");
    EXPECT_EQ(registry.versions("https://example.org/v"), (std::vector<std::string>{"1.2", "1.9", "1.10"}));
}

TEST(schema_registry, duplicate_pair_is_rejected_and_names_both_sources) {
    temp_dir dir;
    const std::string text = "$id: https://example.org/d\nversion: '1'\nproperties: {}\n";
    auto a = dir.write("a.yaml", text);
    auto b = dir.write("b.yaml", text);
    je::schema_registry registry;
    registry.register_schema_file(a);
    try {
        registry.register_schema_file(b);
        FAIL();
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::duplicate_schema);
        EXPECT_THAT(e.what(), HasSubstr(b.string()));
        EXPECT_THAT(e.what(), HasSubstr("already registered from " + a.string()));
    }
    // The same file twice (by name, then through its directory) registers once... but
    // b.yaml in that directory is a duplicate of a.yaml, so the directory fails whole.
    EXPECT_THROW(registry.register_schema_file(dir.path), je::error);
    EXPECT_EQ(registry.schemas().size(), 1u);
}

TEST(schema_registry, directory_registers_sorted_and_skips_files_seen) {
    temp_dir dir;
    dir.write("b.yaml", "$id: https://example.org/b\nversion: '1'\nproperties: {x: {$ref: 'https://example.org/a'}}\n");
    dir.write("a.json", R"({"$id": "https://example.org/a", "version": "1", "properties": {}, "type": "object"})");
    dir.write("notes.txt", "not a schema");
    je::schema_registry registry;
    registry.register_schema_file(dir.path / "a.json");
    auto added = registry.register_schema_file(dir.path);
    ASSERT_EQ(added.size(), 1u);  // a.json was already registered by name
    EXPECT_EQ(added[0].id(), "https://example.org/b");
    // b refers to a: the $ref resolved to the registered schema.
    std::vector<je::validation_issue> issues;
    EXPECT_FALSE(registry.find("https://example.org/b")->validate(json::value{{"x", 5}}, issues));
}

TEST(schema_registry, a_directory_registers_all_or_nothing) {
    temp_dir dir;
    dir.write("a.yaml", "$id: https://example.org/a\nversion: '1'\nproperties: {}\n");
    dir.write("b.yaml", "$id: https://example.org/b\nversion: 1.5\nproperties: {}\n");
    je::schema_registry registry;
    EXPECT_THROW(registry.register_schema_file(dir.path), je::error);
    EXPECT_TRUE(registry.schemas().empty());
}

TEST(schema_registry, missing_file_and_unreadable_directory) {
    je::schema_registry registry;
    try {
        registry.register_schema_file("/nonexistent/schema.yaml");
        FAIL();
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::io_error);
        EXPECT_THAT(e.what(), HasSubstr("/nonexistent/schema.yaml: register schema: file not found"));
    }
    if (::geteuid() != 0) {  // root reads anything
        temp_dir dir;
        dir.write("sub/a.yaml", "x: 1\n");
        fs::permissions(dir.path / "sub", fs::perms::none);
        EXPECT_THROW(registry.register_schema_file(dir.path / "sub"), je::error);
    }
}

TEST(schema_registry, text_and_json_sources) {
    je::schema_registry registry;
    EXPECT_EQ(registry.register_schema_text(R"({"$id": "https://example.org/j", "version": "1", "properties": {}})").id(),
              "https://example.org/j");
    EXPECT_EQ(registry.register_schema_text("$id: https://example.org/y\nversion: '1'\nproperties: {}\n").id(),
              "https://example.org/y");
    try {
        registry.register_schema_text("$id: https://example.org/z\nversion: '1'\nproperties:\n  n: {type: strnig}\n",
                                      "inline");
        FAIL();
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::invalid_schema);
        EXPECT_THAT(e.what(), HasSubstr("inline:4:"));
        EXPECT_THAT(e.what(), HasSubstr("($id https://example.org/z)"));
    }
}

TEST(schema_registry, concurrent_registration_and_lookup) {
    je::schema_registry registry;
    std::vector<std::thread> pool;
    for (int t = 0; t < 4; ++t)
        pool.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                registry.register_schema(json::value{{"$id", "https://example.org/c" + std::to_string(t)},
                                                     {"version", i},
                                                     {"properties", json::object()}});
                EXPECT_NE(registry.find("https://example.org/c" + std::to_string(t)), nullptr);
            }
        });
    for (auto& th : pool) th.join();
    EXPECT_EQ(registry.schemas().size(), 200u);
    EXPECT_EQ(registry.find("https://example.org/c0")->version(), "49");
}

}  // namespace
