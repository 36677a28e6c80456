// Fuzzes schema registration from YAML and JSON text: parsing with positions, the
// meta-schema checks, compiling the draft-7 validator (regexes, formats, $ref), the
// category plan; then validation of a few instances against what registered.
//
// Input: one or more schema documents separated by lines `#==schema==` (at most 4),
// registered in order into a fresh registry that already holds a base schema
// (https://fuzz.example/base, version 1) so `$ref`s to a registered id resolve. A JSON
// document (first non-blank byte `{`) is also registered from Boost.JSON's parse through
// register_schema(json::value) into a second registry.
#include "fuzz_support.hpp"

#include <jupyter_events/error.hpp>
#include <jupyter_events/schema_registry.hpp>

#include <boost/json/parse.hpp>

namespace {

namespace je = jupyter_events;
namespace json = boost::json;

constexpr const char* base_schema = R"($id: https://fuzz.example/base
version: "1"
type: object
definitions:
  word: {type: string, pattern: "^[a-z]+$"}
properties:
  word: {$ref: "#/definitions/word"}
  when: {type: string, format: date-time}
)";

void expect_registration_error(const je::error& e) {
    switch (e.kind()) {
        case je::errc::parse_error:
        case je::errc::invalid_schema:
        case je::errc::duplicate_schema: break;
        default: je_fuzz::fail(std::string("unexpected error kind: ") + e.what());
    }
    if (std::string_view(e.what()).empty()) je_fuzz::fail("an error without a message");
}

// What a registered schema must do with any instance: answer, and agree with itself.
void exercise(const je::event_schema& schema) {
    static const json::value instances[] = {
        json::object(),
        json::parse(R"({"word":"abc","when":"2026-11-24T09:15:00Z","name":"x","n":1})"),
        json::parse(R"({"a":[1,2.5,"x",null,true,{"b":{}}],"__x":1})"),
        json::parse(R"([1,2,3])"),
    };
    for (const auto& instance : instances) {
        std::vector<je::validation_issue> issues;
        const bool valid = schema.validate(instance, issues);
        if (valid != schema.is_valid(instance)) je_fuzz::fail("validate() and is_valid() disagree");
        if (valid != issues.empty()) je_fuzz::fail("validate()'s result and its issues disagree");
    }
    // The schema as an instance of itself: a document the fuzzer shaped.
    std::vector<je::validation_issue> issues;
    if (schema.validate(schema.json(), issues) != schema.is_valid(schema.json()))
        je_fuzz::fail("validate() and is_valid() disagree on the schema itself");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<std::string_view> docs = je_fuzz::split_on_line(je_fuzz::as_text(data, size), "#==schema==");
    if (docs.size() > 4) return 0;

    je::schema_registry registry;
    registry.register_schema_text(base_schema, "<base>");
    for (std::size_t i = 0; i < docs.size(); ++i) {
        try {
            const je::event_schema s = registry.register_schema_text(docs[i], "<fuzz-" + std::to_string(i) + ">");
            if (registry.find(s.id(), s.version()) == nullptr) je_fuzz::fail("a registered schema is not found");
            exercise(s);
            if (je_fuzz::verbose()) std::fprintf(stderr, "registered %s v%s\n", s.id().c_str(), s.version().c_str());
        } catch (const je::error& e) {
            if (je_fuzz::verbose()) std::fprintf(stderr, "%s\n", e.what());
            expect_registration_error(e);
        }
    }

    // The same documents given as JSON values (no positions, Boost.JSON's own parse).
    je::schema_registry from_values;
    for (const std::string_view doc : docs) {
        const auto first = doc.find_first_not_of(" \t\r\n");
        if (first == std::string_view::npos || doc[first] != '{') continue;
        json::parse_options po;
        po.max_depth = 256;
        boost::system::error_code ec;
        json::value v = json::parse(json::string_view(doc.data(), doc.size()), ec, {}, po);
        if (ec) continue;
        try {
            exercise(from_values.register_schema(v));
        } catch (const je::error& e) {
            expect_registration_error(e);
        }
    }
    return 0;
}
