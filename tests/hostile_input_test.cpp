// Hostile input, bounded: alias bombs, 100,000 levels of nesting, huge strings and numbers,
// invalid UTF-8, NUL bytes, duplicate keys and recursive $refs — in configs, schemas and
// events, through the API, `jupyter-events record` and the event server. Each is rejected
// with a located message naming the limit, or handled as documented ("Reliability" in the
// README); none may overflow the stack (run under ASan too) or grow memory without bound.
#include <jupyter_events/event_logger.hpp>
#include <jupyter_events/config_loader.hpp>
#include <jupyter_events/http.hpp>

#include "http/client.hpp"
#include "handler_support.hpp"
#include "test_support.hpp"

#include <boost/json/parse.hpp>

#include <gmock/gmock.h>

#include <limits>
#include <thread>

namespace je = jupyter_events;
namespace json = boost::json;
using namespace je_test;
using ::testing::HasSubstr;

namespace {

constexpr std::size_t deep = 100000;  // levels of nesting in the "deeply nested" inputs

const std::string h_id = "https://example.org/hostile";
const char* const h_schema = R"({"$id": "https://example.org/hostile", "version": "1", "type": "object",
  "properties": {"s": {"type": "string"}, "n": {"type": "number"}, "d": {}, "tree": {"$ref": "#/definitions/tree"}},
  "definitions": {"tree": {"type": "object", "properties": {"child": {"$ref": "#/definitions/tree"},
                                                              "leaf": {"type": "integer"}}}}})";

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

// "Billion laughs": ten levels of ten aliases each, 10^10 values once expanded, in a
// dozen lines of YAML. `indent` places it inside a mapping.
std::string alias_bomb(const std::string& indent) {
    std::string out = indent + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int i = 1; i < 10; ++i) {
        const std::string prev = "*a" + std::to_string(i - 1);
        out += indent + "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" +
               repeat(prev + ", ", 9) + prev + "]\n";
    }
    return out;
}

// A value `levels` arrays deep, built without recursion.
json::value nested_arrays(std::size_t levels) {
    json::value v = json::array();
    for (std::size_t i = 1; i < levels; ++i) {
        json::array outer;
        outer.push_back(std::move(v));
        v = std::move(outer);
    }
    return v;
}

// A tree event `levels` objects deep through the schema's recursive "child".
json::value nested_tree(std::size_t levels) {
    json::value v = json::object{{"leaf", 1}};
    for (std::size_t i = 1; i < levels; ++i) {
        json::object outer;
        outer["child"] = std::move(v);
        v = std::move(outer);
    }
    return v;
}

// Boost.JSON destroys values recursively; one this deep is taken apart level by level.
void dismantle(json::value& v) {
    for (;;) {
        json::value inner;
        if (auto* a = v.if_array(); a && !a->empty()) inner = std::move(a->back());
        else if (auto* o = v.if_object(); o && !o->empty()) inner = std::move(o->begin()->value());
        else break;
        v = std::move(inner);  // frees the old level, which now holds only a null
    }
}

struct deep_value {
    json::value v;
    ~deep_value() { dismantle(v); }
};

// Every line of `file` parses as a JSON object.
void expect_complete_lines(const fs::path& file) {
    for (const auto& line : lines(read(file))) {
        boost::system::error_code ec;
        json::parse_options po;
        po.max_depth = 1000;  // the default, 32, is less than events may nest
        const auto v = json::parse(line, ec, {}, po);
        EXPECT_FALSE(ec) << line.substr(0, 200);
        EXPECT_TRUE(v.is_object());
    }
}

std::string config_error(const fs::path& file) {
    try {
        je::load_config({file});
    } catch (const je::error& e) {
        return e.what();
    }
    return "(loaded)";
}

std::string schema_error(const std::string& text, const std::string& name = "hostile.yaml") {
    je::schema_registry registry;
    try {
        registry.register_schema_text(text, name);
    } catch (const je::error& e) {
        return e.what();
    }
    return "(registered)";
}

class hostile_input : public boost_log_fixture {
protected:
    temp_dir dir;
};

// --- YAML and JSON documents: configs and schemas ---------------------------------------

TEST_F(hostile_input, alias_bomb_in_a_config_is_rejected_before_expansion) {
    const auto file = dir.write("bomb.yaml", "EventLogger:\n  allowed_schemas: ['*']\nbomb:\n" + alias_bomb("  "));
    EXPECT_EQ(config_error(file),
              file.string() + ":9:57: parse YAML: document expands to more than 1000000 values (aliases?); "
                              "simplify the document");
    const auto r = run_cli("check-config " + sq(file.string()));
    EXPECT_EQ(r.code, 78);
    EXPECT_THAT(r.err, HasSubstr("document expands to more than 1000000 values"));
}

TEST_F(hostile_input, alias_bomb_in_a_schema_is_rejected_before_expansion) {
    const std::string text = "$id: https://example.org/bomb\nversion: '1'\nproperties: {}\n" + alias_bomb("");
    EXPECT_THAT(schema_error(text), HasSubstr("hostile.yaml:9:55: parse YAML: document expands to more than 1000000 values"));
    const auto file = dir.write("bomb.yaml", text);
    const auto r = run_cli("validate " + sq(file.string()));
    EXPECT_EQ(r.code, 2);
    EXPECT_THAT(r.err, HasSubstr("bomb.yaml:9:55: parse YAML: document expands to more than 1000000 values"));
}

TEST_F(hostile_input, aliases_below_the_limit_still_work) {
    // Anchors and aliases are ordinary YAML; only their expanded size is limited.
    const std::string text = "$id: https://example.org/alias\nversion: '1'\n"
                             "definitions: {name: &name {type: string, maxLength: 10}}\n"
                             "properties: {first: *name, last: *name}\n";
    EXPECT_EQ(schema_error(text), "(registered)");
}

TEST_F(hostile_input, recursive_alias_is_rejected) {
    EXPECT_EQ(schema_error("$id: x\nversion: '1'\nproperties: &p {a: *p}\n"),
              "hostile.yaml:3:20: parse YAML: an alias refers to a value that contains it (a recursive alias); "
              "remove the cycle");
}

TEST_F(hostile_input, deep_yaml_configs_are_rejected_naming_the_limit) {
    const std::string flow = "EventLogger:\n  schemas: " + std::string(deep, '[') + std::string(deep, ']') + "\n";
    const std::string block = "EventLogger:\n  schemas:\n    " + repeat("- ", deep) + "x\n";
    const std::string map = "EventLogger:\n  handlers: " + repeat("{a: ", deep) + "1" + std::string(deep, '}') + "\n";
    for (const auto& text : {flow, block, map}) {
        const auto file = dir.write("deep.yaml", text);
        EXPECT_THAT(config_error(file), HasSubstr("parse YAML: nesting deeper than 256 levels; flatten the document"));
    }
    // Just inside the limit, nesting is no problem (the loader then reports the type).
    const auto ok = dir.write("ok.yaml", "EventLogger:\n  schemas: " + std::string(250, '[') + std::string(250, ']') + "\n");
    EXPECT_THAT(config_error(ok), HasSubstr("ok.yaml:2:13: load config: /EventLogger/schemas/0: "));
}

TEST_F(hostile_input, deep_schemas_are_rejected_naming_the_limit) {
    const std::string head = R"({"$id": "https://example.org/deep", "version": "1", "properties": {"d": )";
    EXPECT_THAT(schema_error(head + repeat(R"({"items": )", deep) + "{}" + std::string(deep, '}') + "}}", "deep.json"),
                HasSubstr("deep.json:1:2613: parse JSON: nesting deeper than 256 levels"));
    EXPECT_THAT(schema_error("$id: x\nversion: '1'\nproperties:\n  d: " + repeat("{items: ", deep) + "{}" +
                             std::string(deep, '}') + "\n"),
                HasSubstr("parse YAML: nesting deeper than 256 levels"));
    // Given as a value, nothing parses it: the meta-schema check and the compiler bound
    // their own recursion.
    deep_value schema{json::object{{"$id", "https://example.org/deep"}, {"version", "1"}}};
    json::value properties = json::object{{"d", json::object{}}};
    json::value* at = &properties.as_object()["d"];
    for (std::size_t i = 0; i < deep; ++i) at = &(at->as_object()["items"] = json::object{});
    schema.v.as_object()["properties"] = std::move(properties);
    je::schema_registry registry;
    try {
        registry.register_schema(schema.v);
        ADD_FAILURE() << "a schema nested 100,000 levels deep registered";
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::invalid_schema);
        EXPECT_THAT(e.what(), HasSubstr("register schema: /properties/d/items/items/"));
        EXPECT_THAT(e.what(), HasSubstr("...: nesting deeper than 256 levels; flatten the schema"));
    }
}

TEST_F(hostile_input, duplicate_keys_are_errors_in_yaml_and_json_documents) {
    EXPECT_EQ(schema_error("$id: x\nversion: '1'\nproperties: {}\ntype: object\ntype: string\n"),
              "hostile.yaml:5:1: parse YAML: duplicate key (\"type\"); each key may appear once per mapping");
    // Boost.JSON keeps the last of duplicate keys; a schema must not silently lose one.
    EXPECT_EQ(schema_error(R"({"$id": "x", "version": "1", "properties": {},
 "type": "object", "type": "string"})", "dup.json"),
              "dup.json:2:20: parse JSON: duplicate key (\"type\"); each key may appear once per mapping");
    const auto file = dir.write("dup.yaml", "EventLogger:\n  allowed_schemas: []\n  allowed_schemas: ['*']\n");
    EXPECT_THAT(config_error(file), HasSubstr("dup.yaml:3:3: parse YAML: duplicate key (\"allowed_schemas\")"));
}

TEST_F(hostile_input, huge_numbers_and_strings_in_documents) {
    // Beyond a double, a schema's number becomes infinity (as in Python, and like YAML's
    // .inf): a bound nothing reaches. Events cannot hold one (see below).
    for (const char* text : {"$id: https://example.org/inf\nversion: '1'\nproperties: {n: {maximum: 1e400}}\n",
                             R"({"$id": "https://example.org/inf", "version": "1", "properties": {"n": {"maximum": 1e400}}})"}) {
        SCOPED_TRACE(text);
        je::schema_registry registry;
        const auto s = registry.register_schema_text(text);
        EXPECT_TRUE(s.is_valid(json::object{{"n", 1e308}}));
    }
    const auto file = dir.write("big.yaml", "EventLogger:\n  allowed_schemas: ['*']\n  handlers:\n    f:\n"
                                            "      FileName: x.jsonl\n      RotationSize: " +
                                                std::string(400, '9') + "\n");
    EXPECT_THAT(config_error(file), HasSubstr("RotationSize"));
    // A 1 MB description is just text.
    EXPECT_EQ(schema_error("$id: https://example.org/big\nversion: '1'\ndescription: " + std::string(1 << 20, 'x') +
                           "\nproperties: {}\n"),
              "(registered)");
}

TEST_F(hostile_input, invalid_utf8_and_nul_bytes_in_documents) {
    // YAML and JSON documents are Unicode text: refused at the byte, before parsing.
    EXPECT_EQ(schema_error("$id: x\nversion: '1'\nproperties: {}\ndescription: \"caf\xe9\"\n"),
              "hostile.yaml:4:18: parse YAML: invalid UTF-8 (byte 0xE9); save the file as UTF-8");
    EXPECT_EQ(schema_error("$id: https://example.org/" + std::string(1, '\0') + "x\nversion: '1'\nproperties: {}\n"),
              "hostile.yaml:1:26: parse YAML: control character (byte 0x00) in the text; only tab, line feed and "
              "carriage return are allowed (write \\u escapes inside quoted strings)");
    EXPECT_EQ(schema_error("{\"$id\": \"https://example.org/\xc3\", \"version\": \"1\", \"properties\": {}}", "u.json"),
              "u.json:1:30: parse JSON: invalid UTF-8 (byte 0xC3); save the file as UTF-8");
    const auto file = dir.write("u.yaml", "EventLogger:\n  allowed_schemas: ['*']\n  handlers:\n    f\xff: {}\n");
    EXPECT_EQ(config_error(file), file.string() + ":4:6: parse YAML: invalid UTF-8 (byte 0xFF); save the file as UTF-8");
    // Escaped, a NUL is ordinary text.
    EXPECT_EQ(schema_error(R"({"$id": "https://example.org/nul", "version": "1", "properties": {}, "title": "a\u0000b"})"),
              "(registered)");
}

// --- recursive $ref ---------------------------------------------------------------------

TEST_F(hostile_input, ref_loops_register_and_never_hang) {
    // A schema that refers to itself without consuming anything validates nothing; the
    // validator stops at its evaluation depth instead of looping.
    for (const char* text : {R"({"$id": "https://example.org/loop1", "version": "1", "properties": {"a": {"$ref": "#/properties/a"}}})",
                             R"({"$id": "https://example.org/loop2", "version": "1", "properties": {"a": {"$ref": "#/definitions/b"}},
                                 "definitions": {"b": {"$ref": "#/definitions/c"}, "c": {"allOf": [{"$ref": "#/definitions/b"}]}}})"}) {
        je::event_logger logger{file_logger(dir.path / "loop.jsonl")};
        SCOPED_TRACE(text);
        try {
            const auto s = logger.register_schema_text(text);
            const auto out = logger.try_record_event(s.id(), "1", json::object{{"a", 1}});
            EXPECT_EQ(out.code, je::errc::validation_error);
            EXPECT_THAT(out.message, HasSubstr("/a: nesting deeper than 1024 levels of schemas"));
        } catch (const je::error& e) {
            EXPECT_EQ(e.kind(), je::errc::invalid_schema) << e.what();
        }
    }
}

TEST_F(hostile_input, events_through_a_recursive_schema) {
    const fs::path out = dir.path / "tree.jsonl";
    je::event_logger logger{file_logger(out)};
    logger.register_schema_text(h_schema);
    // Within the event depth limit, a recursive schema validates to any depth...
    deep_value ok{json::object{{"tree", nested_tree(200)}}};
    EXPECT_EQ(logger.try_record_event(h_id, "1", ok.v).code, je::errc::ok);
    deep_value bad{json::object{{"tree", nested_tree(200)}}};
    json::value* leaf = &bad.v.as_object()["tree"];
    while (leaf->as_object().contains("child")) leaf = &leaf->as_object()["child"];
    leaf->as_object()["leaf"] = "x";
    const auto r = logger.try_record_event(h_id, "1", bad.v);
    EXPECT_EQ(r.code, je::errc::validation_error);
    EXPECT_THAT(r.message, HasSubstr("/leaf: \"x\" is not of type \"integer\""));
    // ...and beyond it, the event is refused before anything walks it.
    deep_value too_deep{json::object{{"tree", nested_tree(deep)}}};
    const auto d = logger.try_record_event(h_id, "1", too_deep.v);
    EXPECT_EQ(d.code, je::errc::invalid_event);
    EXPECT_EQ(d.message, "record event: /tree: nesting deeper than 256 levels of arrays and objects; flatten the "
                         "event (schema https://example.org/hostile v1)");
    logger.flush();
    EXPECT_EQ(lines(read(out)).size(), 1u);
    expect_complete_lines(out);
}

// --- events through the API -------------------------------------------------------------

TEST_F(hostile_input, deep_events_are_rejected_by_the_api_with_and_without_modifiers) {
    const fs::path out = dir.path / "events.jsonl";
    je::event_logger logger{file_logger(out)};
    logger.register_schema_text(h_schema);
    deep_value event{json::object{{"d", nested_arrays(deep)}}};
    auto r = logger.try_record_event(h_id, "1", event.v);
    EXPECT_EQ(r.code, je::errc::invalid_event);
    EXPECT_THAT(r.message, HasSubstr("record event: /d: nesting deeper than 256 levels"));
    EXPECT_THROW(logger.record_event(h_id, "1", event.v), je::error);
    // 255 levels below the event object: the deepest accepted.
    deep_value edge{json::object{{"d", nested_arrays(255)}}};
    EXPECT_EQ(logger.try_record_event(h_id, "1", edge.v).code, je::errc::ok);
    deep_value over{json::object{{"d", nested_arrays(256)}}};
    EXPECT_EQ(logger.try_record_event(h_id, "1", over.v).code, je::errc::invalid_event);
    // Modifiers copy the event: the limit holds before the copy, and for what they add.
    logger.add_modifier("", [](std::string_view, json::object& e) {
        if (e.contains("grow")) e["d"] = nested_arrays(deep);
    });
    r = logger.try_record_event(h_id, "1", event.v);
    EXPECT_EQ(r.code, je::errc::invalid_event);
    json::object grow{{"grow", true}};
    r = logger.try_record_event(h_id, "1", grow);
    EXPECT_EQ(r.code, je::errc::modifier_failed);
    EXPECT_THAT(r.message, HasSubstr("record event: after modifiers: /d: nesting deeper than 256 levels"));
    logger.flush();
    EXPECT_EQ(lines(read(out)).size(), 1u);
    expect_complete_lines(out);
}

TEST_F(hostile_input, huge_strings_nul_bytes_and_bad_text_in_events) {
    const fs::path out = dir.path / "events.jsonl";
    je::event_logger logger{file_logger(out)};
    logger.register_schema_text(h_schema);
    const std::string big(10 << 20, 'x');  // 10 MiB: written whole, on one line
    EXPECT_EQ(logger.try_record_event(h_id, "1", json::object{{"s", big}}).code, je::errc::ok);
    const std::string nul("a\0b", 3);  // NUL is ordinary JSON text, written escaped
    EXPECT_EQ(logger.try_record_event(h_id, "1", json::object{{"s", nul}, {nul, 1}}).code, je::errc::ok);
    // What JSON cannot represent is refused, naming where it is.
    auto r = logger.try_record_event(h_id, "1", json::object{{"s", "bad \xff byte"}});
    EXPECT_EQ(r.code, je::errc::invalid_event);
    EXPECT_THAT(r.message, HasSubstr("record event: /s: not representable in JSON (invalid UTF-8"));
    r = logger.try_record_event(h_id, "1", json::object{{"d", json::object{{"k\xc3", 1}}}});
    EXPECT_EQ(r.code, je::errc::invalid_event);
    EXPECT_THAT(r.message, HasSubstr("record event: /d/k"));
    r = logger.try_record_event(h_id, "1", json::object{{"n", std::numeric_limits<double>::infinity()}});
    EXPECT_EQ(r.code, je::errc::invalid_event);
    EXPECT_THAT(r.message, HasSubstr("record event: /n: not representable in JSON"));
    logger.flush();
    const auto written = lines(read(out));
    ASSERT_EQ(written.size(), 2u);
    EXPECT_EQ(json::parse(written[0]).at("s").as_string().size(), big.size());
    EXPECT_THAT(written[1], HasSubstr(R"("s":"a\u0000b","a\u0000b":1)"));
    EXPECT_EQ(json::parse(written[1]).at("s").as_string(), nul);
}

// --- events through `jupyter-events record` ---------------------------------------------

TEST_F(hostile_input, record_reads_hostile_lines_and_keeps_going) {
    dir.write("schemas/h.json", h_schema);
    const auto config = dir.write("c.yaml", "EventLogger:\n  schemas: [schemas/]\n  allowed_schemas: ['*']\n"
                                            "  handlers:\n    f: {Destination: TextFile, FileName: out.jsonl}\n");
    const std::string pre = R"({"schema": ")" + h_id + R"(", "version": "1", "event": )";
    const std::string input =
        pre + R"({"d": )" + std::string(deep, '[') + std::string(deep, ']') + "}}\n" +  // 1
        pre + R"({"n": 1e400}})" + "\n" +                                                  // 2
        pre + R"({"n": 1)" + std::string(400, '0') + "}}\n" +                             // 3
        pre + R"({"s": ")" + std::string(10 << 20, 'x') + "\"}}\n" +                     // 4: accepted
        pre + "{\"s\": \"\xff\"}}\n" +                                                    // 5
        pre + std::string("{\"s\": \"a\0b\"}}\n", 14) +                                   // 6
        pre + R"({"s": "a\u0000b"}})" + "\n" +                                             // 7: accepted
        pre + R"({"s": "first", "s": "last"}})" + "\n" +                                   // 8: the last wins
        pre + R"({"s": "\ud800"}})" + "\n" +                                               // 9
        pre + R"({"s": ")" + std::string((16 << 20) + 1, 'y') + "\"}}\n" +               // 10: over 16 MiB
        pre + R"({"s": "after"}})" + "\n";                                                 // 11: accepted
    const auto r = run_cli("record --config " + sq(config.string()), input);
    EXPECT_EQ(r.code, 1);
    EXPECT_THAT(r.err, HasSubstr("<stdin>:1: record: invalid JSON (nesting deeper than 256 levels)"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:2: record: /event/n: number out of range"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:3: record: /event/n: number out of range"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:5: record: invalid JSON (syntax error at byte 75: not valid UTF-8)"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:6: record: invalid JSON (syntax error at byte 76: control character"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:9: record: invalid JSON (syntax error at byte"));
    EXPECT_THAT(r.err, HasSubstr("<stdin>:10: record: line longer than 16777216 bytes (16 MiB), skipped"));
    EXPECT_EQ(lines(r.err).size(), 7u) << r.err.substr(0, 2000);
    const auto written = lines(read(dir.path / "out.jsonl"));
    ASSERT_EQ(written.size(), 4u);
    EXPECT_EQ(json::parse(written[0]).at("s").as_string().size(), std::size_t(10) << 20);
    EXPECT_THAT(written[1], HasSubstr(R"("s":"a\u0000b")"));
    EXPECT_THAT(written[2], HasSubstr(R"("s":"last")"));
    EXPECT_THAT(written[3], HasSubstr(R"("s":"after")"));
}

TEST_F(hostile_input, record_survives_an_endless_line) {
    // No newline at all: the reader holds at most 16 MiB of it, then drops the rest.
    dir.write("schemas/h.json", h_schema);
    const auto config = dir.write("c.yaml", "EventLogger:\n  schemas: [schemas/]\n  allowed_schemas: ['*']\n"
                                            "  handlers:\n    f: {Destination: TextFile, FileName: out.jsonl}\n");
    const auto r = run_cli("record --config " + sq(config.string()), std::string(40 << 20, '{'));
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(r.err, "<stdin>:1: record: line longer than 16777216 bytes (16 MiB), skipped; shorten the event\n");
}

// --- events through the event server ----------------------------------------------------

TEST_F(hostile_input, event_server_bounds_hostile_bodies) {
    dir.write("schemas/h.json", h_schema);
    const auto file = dir.write("c.yaml", "EventLogger:\n  schemas: [schemas/]\n  allowed_schemas: ['*']\n"
                                          "  handlers:\n    f: {Destination: TextFile, FileName: out.jsonl}\n"
                                          "EventServer:\n  listen: 127.0.0.1:0\n  max_body_bytes: 1048576\n");
    je::load_options lo;
    lo.resolve_server = true;
    const je::config cfg = je::load_config({file}, {}, lo);
    je::event_logger logger{cfg};
    je::event_server server{logger, cfg.event_server};
    server.start();
    std::thread runner([&] { server.run(); });
    const std::string pre = R"({"schema": ")" + h_id + R"(", "version": "1", "event": )";
    struct row {
        std::string body;
        int status;
        std::string fragment;
    };
    const std::vector<row> rows = {
        {pre + R"({"d": )" + std::string(deep, '[') + std::string(deep, ']') + "}}", 400,
         "invalid JSON (nesting deeper than 256 levels)"},
        {pre + R"({"d": )" + std::string(deep, '[') + "}}", 400, "invalid JSON (nesting deeper than 256 levels)"},
        {pre + R"({"s": ")" + std::string(2 << 20, 'x') + "\"}}", 413, "max_body_bytes"},
        {pre + "{\"s\": \"\xc3\x28\"}}", 400, "not valid UTF-8"},
        {pre + R"({"n": -1e400}})", 400, "/event/n: number out of range"},
        {pre + R"({"s": "x", "s": "y"}})", 204, ""},
        {pre + R"({"s": "a\u0000b"}})", 204, ""},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(r.body.substr(0, 100));
        http_client c(server.port());
        const auto res = c.post("/api/eventlog", r.body);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, r.status);
        if (!r.fragment.empty()) {
            EXPECT_THAT(res->body, HasSubstr(r.fragment));
        }
    }
    server.stop();
    runner.join();
    logger.flush();
    const auto written = lines(read(dir.path / "out.jsonl"));
    ASSERT_EQ(written.size(), 2u);
    EXPECT_THAT(written[0], HasSubstr(R"("s":"y")"));
    EXPECT_THAT(written[1], HasSubstr(R"("s":"a\u0000b")"));
}

}  // namespace
