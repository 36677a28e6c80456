// The official JSON Schema Test Suite (draft 7, required and optional), one GoogleTest per
// test group. Every test checks that both entry points, is_valid and validate, agree with
// the suite's "valid". Skipped when shared/json-schema-test-suite is absent.
#include "detail/validator.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using jupyter_events::validation_issue;
using jupyter_events::detail::compiled_schema;

const fs::path suite_dir = fs::path(JE_SHARED_DIR) / "json-schema-test-suite";

// What we deliberately do not support, with why. `test` empty means the whole group.
struct skip_entry {
    std::string_view file;
    std::string_view group;
    std::string_view test;
    std::string_view reason;
};

constexpr std::string_view no_unicode_properties =
    "Unicode property escapes (\\p{...}) need Unicode tables that boost::regex without ICU "
    "lacks; such patterns are rejected when the schema is compiled";

constexpr skip_entry skip_list[] = {
    {"optional/cross-draft.json", "refs to future drafts are processed as future drafts", "",
     "a draft-7 validator: draft 2019-09 keywords (dependentRequired) are unknown and ignored"},
    {"optional/ecmascript-regex.json", "patterns always use unicode semantics with pattern", "",
     no_unicode_properties},
    {"optional/ecmascript-regex.json", "pattern with non-ASCII digits", "", no_unicode_properties},
    {"optional/ecmascript-regex.json",
     "patterns always use unicode semantics with patternProperties", "", no_unicode_properties},
    {"optional/ecmascript-regex.json", "patternProperties with non-ASCII digits", "",
     no_unicode_properties},
    {"optional/format/ecmascript-regex.json",
     "ECMA 262 lookbehind is valid, including variable width", "",
     "boost::regex supports fixed-width lookbehind only"},
};

const skip_entry* find_skip(std::string_view file, std::string_view group, std::string_view test) {
    for (const auto& s : skip_list) {
        if (s.file == file && s.group == group && (s.test.empty() || s.test == test)) {
            return &s;
        }
    }
    return nullptr;
}

struct suite_group {
    std::string file;  // relative to tests/draft7; empty for the "suite missing" placeholder
    std::string name;  // the GoogleTest name
    std::shared_ptr<const boost::json::value> group;
};

// Names the group in failure messages instead of dumping the struct's bytes.
void PrintTo(const suite_group& group, std::ostream* os) {
    *os << (group.file.empty() ? std::string("(suite not found)") : group.file + ": " + group.name);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string test_name(std::string_view file, std::size_t index, std::string_view description) {
    std::string out;
    const auto append = [&out](std::string_view text, std::size_t max) {
        const std::size_t start = out.size();
        for (char c : text) {
            if (out.size() - start >= max) {
                break;
            }
            const bool alnum =
                (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (alnum) {
                out.push_back(c);
            } else if (!out.empty() && out.back() != '_') {
                out.push_back('_');
            }
        }
        while (!out.empty() && out.back() == '_') {
            out.pop_back();
        }
    };
    append(file.substr(0, file.size() - 5), 64);  // without ".json"
    out += (index < 10 ? "_0" : "_") + std::to_string(index) + "_";
    append(description, 60);
    return out;
}

std::vector<suite_group> load_groups() {
    const fs::path tests = suite_dir / "tests" / "draft7";
    std::vector<suite_group> out;
    if (!fs::is_directory(tests)) {
        out.push_back({"", "suite_not_found", nullptr});
        return out;
    }
    std::vector<std::string> files;
    for (const char* sub : {"", "optional", "optional/format"}) {
        const fs::path dir = tests / sub;
        if (!fs::is_directory(dir)) {
            continue;
        }
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (entry.is_regular_file() && entry.path().extension() == ".json") {
                files.push_back(fs::relative(entry.path(), tests).generic_string());
            }
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        const auto doc = boost::json::parse(read_file(tests / file));
        std::size_t index = 0;
        for (const auto& group : doc.as_array()) {
            out.push_back({file, test_name(file, index, group.at("description").as_string()),
                           std::make_shared<const boost::json::value>(group)});
            ++index;
        }
    }
    return out;
}

// The suite's remotes are meant to be served at http://localhost:1234/; read them from
// disk instead.
std::shared_ptr<const boost::json::value> load_remote(std::string_view uri) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const boost::json::value>, std::less<>> cache;
    constexpr std::string_view prefix = "http://localhost:1234/";
    if (uri.substr(0, prefix.size()) != prefix) {
        return nullptr;
    }
    const std::lock_guard<std::mutex> lock(mutex);
    if (const auto it = cache.find(uri); it != cache.end()) {
        return it->second;
    }
    const fs::path path = suite_dir / "remotes" / std::string(uri.substr(prefix.size()));
    std::shared_ptr<const boost::json::value> doc;
    if (fs::is_regular_file(path)) {
        doc = std::make_shared<const boost::json::value>(boost::json::parse(read_file(path)));
    }
    cache.emplace(std::string(uri), doc);
    return doc;
}

std::string describe(const std::vector<validation_issue>& issues) {
    std::string out;
    for (const auto& i : issues) {
        out += "\n  " + i.instance_pointer + " (" + i.schema_pointer + "): " + i.message;
    }
    return out;
}

class json_schema_suite : public testing::TestWithParam<suite_group> {};

TEST_P(json_schema_suite, group) {
    const suite_group& param = GetParam();
    if (param.file.empty()) {
        GTEST_SKIP() << "JSON Schema Test Suite not found at " << suite_dir;
    }
    const auto& group = param.group->as_object();
    const std::string_view group_description = group.at("description").as_string();
    if (const auto* skip = find_skip(param.file, group_description, "")) {
        GTEST_SKIP() << skip->reason;
    }
    compiled_schema schema;
    try {
        schema = compiled_schema::compile(group.at("schema"), "", load_remote);
    } catch (const std::exception& e) {
        FAIL() << "compile failed: " << e.what();
    }
    std::size_t skipped = 0;
    for (const auto& test_value : group.at("tests").as_array()) {
        const auto& test = test_value.as_object();
        const std::string_view description = test.at("description").as_string();
        if (const auto* skip = find_skip(param.file, group_description, description)) {
            std::cout << "[  SKIP    ] " << description << ": " << skip->reason << "\n";
            ++skipped;
            continue;
        }
        const boost::json::value& data = test.at("data");
        const bool expected = test.at("valid").as_bool();
        SCOPED_TRACE(std::string(description) + ", data " + boost::json::serialize(data));
        EXPECT_EQ(schema.is_valid(data), expected) << "is_valid";
        std::vector<validation_issue> issues;
        EXPECT_EQ(schema.validate(data, issues), expected) << "validate" << describe(issues);
        EXPECT_EQ(issues.empty(), expected) << "issues" << describe(issues);
    }
    RecordProperty("skipped_tests", static_cast<int>(skipped));
}

INSTANTIATE_TEST_SUITE_P(draft7, json_schema_suite, testing::ValuesIn(load_groups()),
                         [](const testing::TestParamInfo<suite_group>& test_info) {
                             return test_info.param.name;
                         });

}  // namespace
