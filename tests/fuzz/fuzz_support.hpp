// Shared by the fuzz targets: the fixed schemas events are recorded against, loggers built
// once per process (building sinks per input would dominate the run), a Boost.Log sink that
// checks every event line a handler would write, and small helpers. Header-only; each
// target is one translation unit.
#pragma once

#include <jupyter_events/event_logger.hpp>

#include <boost/json/parse.hpp>
#include <boost/log/attributes/value_extraction.hpp>
#include <boost/log/core.hpp>
#include <boost/log/sinks/basic_sink_backend.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/make_shared.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace je_fuzz {

namespace je = jupyter_events;

/// Stops the run with a message: the invariant a target checks does not hold. libFuzzer
/// reports the abort as a crash and saves the input.
[[noreturn]] inline void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what.c_str());
    std::abort();
}

/// JE_FUZZ_VERBOSE=1 makes the targets print what each input did (for checking seeds).
inline bool verbose() {
    static const bool on = std::getenv("JE_FUZZ_VERBOSE") != nullptr;
    return on;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Splits `text` on lines that are exactly `separator` (the separator lines are dropped).
inline std::vector<std::string_view> split_on_line(std::string_view text, std::string_view separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0, line = 0;
    while (line <= text.size()) {
        std::size_t end = text.find('\n', line);
        if (end == std::string_view::npos) end = text.size();
        if (text.substr(line, end - line) == separator) {
            parts.push_back(text.substr(start, line - start));
            start = end + 1 > text.size() ? text.size() : end + 1;
        }
        line = end + 1;
    }
    parts.push_back(text.substr(start));
    return parts;
}

/// A stream buffer that swallows everything (for std::cerr in code under test).
struct null_buffer : std::streambuf {
    int overflow(int c) override { return c == traits_type::eof() ? 0 : c; }
    std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

/// A schema using most draft-7 keywords the validator compiles, so recorded events reach
/// them: $ref (local and to another registered schema), combinators, formats, patterns,
/// dependencies, const/enum, contains, propertyNames, if/then/else, content keywords.
/// (Tuple `items` only under definitions: the property meta-schema, like upstream's, wants
/// `items` of a property to be one schema.)
inline constexpr const char* kitchen_sink_schema = R"({
  "$id": "https://fuzz.example/kitchen-sink",
  "version": "2-1-0",
  "type": "object",
  "definitions": {
    "name": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z_][A-Za-z0-9_.-]*$"},
    "tree": {"type": "object", "properties": {"value": {"type": "integer"},
             "children": {"type": "array", "items": {"$ref": "#/definitions/tree"}, "maxItems": 4}}},
    "pair": {"type": "array", "items": [{"type": "string"}, {"type": "number"}], "additionalItems": false}
  },
  "properties": {
    "name": {"$ref": "#/definitions/name"},
    "count": {"type": "integer", "minimum": 0, "exclusiveMaximum": 1000000, "multipleOf": 3},
    "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1.5},
    "when": {"type": "string", "format": "date-time"},
    "day": {"type": "string", "format": "date"},
    "clock": {"type": "string", "format": "time"},
    "mail": {"type": "string", "format": "email"},
    "idn": {"type": "string", "format": "idn-email"},
    "host": {"type": "string", "format": "hostname"},
    "idn_host": {"type": "string", "format": "idn-hostname"},
    "ip4": {"type": "string", "format": "ipv4"},
    "ip6": {"type": "string", "format": "ipv6"},
    "uri": {"type": "string", "format": "uri"},
    "uri_ref": {"type": "string", "format": "uri-reference"},
    "iri": {"type": "string", "format": "iri"},
    "template": {"type": "string", "format": "uri-template"},
    "pointer": {"type": "string", "format": "json-pointer"},
    "rel_pointer": {"type": "string", "format": "relative-json-pointer"},
    "regex": {"type": "string", "format": "regex"},
    "blob": {"type": "string", "contentEncoding": "base64", "contentMediaType": "application/json"},
    "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "contains": {"const": "x"},
             "minItems": 1, "maxItems": 16},
    "pair": {"$ref": "#/definitions/pair"},
    "choice": {"oneOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "integer"}, {"type": "null"}]},
    "any": {"anyOf": [{"type": "boolean"}, {"type": "array", "maxItems": 2}]},
    "all": {"allOf": [{"type": "string"}, {"not": {"const": "forbidden"}}]},
    "cond": {"if": {"type": "string"}, "then": {"pattern": "^(a|b)+c?$"}, "else": {"type": "number"}},
    "map": {"type": "object", "propertyNames": {"pattern": "^[a-z_]+$"}, "maxProperties": 8,
            "patternProperties": {"^x_": {"type": "integer"}}, "additionalProperties": {"type": "string"}},
    "deps": {"type": "object", "dependencies": {"a": ["b"], "c": {"required": ["d"]}}},
    "tree": {"$ref": "#/definitions/tree"},
    "other": {"$ref": "https://example.org/simple#/properties/name"},
    "whatever": true
  },
  "required": ["name"],
  "additionalProperties": false
})";

/// One (schema id, version) an input may address; a few are deliberately unregistered.
struct target_schema {
    const char* id;
    const char* version;  // "" = the highest registered version
};

inline constexpr target_schema target_schemas[] = {
    {"https://fuzz.example/kitchen-sink", "2-1-0"},
    {"https://fuzz.example/kitchen-sink", ""},
    {"https://example.org/simple", "1"},
    {"https://example.org/nested", "1.10"},
    {"url.to.event.schema", "1"},
    {"urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", "2-0-1"},
    {"https://events.example.org/file-save", "1"},
    {"https://events.example.org/user-login", ""},
    {"https://example.org/simple", "2"},      // unregistered version
    {"https://fuzz.example/nowhere", "1"},    // unregistered id
};

/// The schema files every logger registers (paths in the source tree).
inline std::vector<std::string> fixture_schema_files() {
    const std::string root = JE_SOURCE_DIR;
    return {root + "/tests/schemas/good", root + "/schemas/examples/file-save.yaml",
            root + "/schemas/examples/user-login.yaml"};
}

/// A logger configuration writing every event to /dev/null through a real TextFile handler.
/// `redacting`: python style, jupyter timestamps and category-restricted allow entries.
inline je::logger_config fixture_config(bool redacting) {
    je::logger_config cfg;
    cfg.schemas = fixture_schema_files();
    cfg.listener_threads = 0;  // listeners run on the recording thread: deterministic, no thread
    if (redacting) {
        cfg.style = je::json_style::python;
        cfg.timestamp = je::timestamp_format::jupyter;
        je::allowed_schema login;
        login.id = "https://events.example.org/user-login";
        login.allowed_categories = std::vector<std::string>{"user-identifier"};
        je::allowed_schema nested;
        nested.id = "https://example.org/nested";
        nested.allowed_categories = std::vector<std::string>{"user-identifiable-information"};
        nested.allowed_properties = {"tags"};
        cfg.allowed_schemas = {login, nested, {"*", std::nullopt, {}}};
    } else {
        cfg.allowed_schemas = {{"*", std::nullopt, {}}};
    }
    je::handler_config file;
    file.name = "devnull";
    file.destination = "TextFile";
    file.settings["FileName"] = {"/dev/null", ""};
    file.settings["AutoFlush"] = {"false", ""};
    cfg.handlers.push_back(file);
    return cfg;
}

/// Checks every event record any logger pushes: its Message is one JSON object (what a
/// JSON Lines consumer parses) that starts with the envelope. Counts the lines it saw.
class checking_backend
    : public boost::log::sinks::basic_sink_backend<boost::log::sinks::synchronized_feeding> {
public:
    void consume(const boost::log::record_view& rec) {
        ++lines;
        auto message = boost::log::extract<std::string>("Message", rec);
        if (!message) fail("an event record without a string Message");
        if (message->find('\n') != std::string::npos) fail("an event line contains a newline: " + *message);
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(*message, ec);
        if (ec || !v.is_object()) fail("an event line is not a JSON object (" + ec.message() + "): " + *message);
        const auto& obj = v.get_object();
        if (obj.empty() || obj.begin()->key() != "__timestamp__" || !obj.if_contains("__schema__") ||
            !obj.if_contains("__schema_version__") || !obj.if_contains("__metadata_version__"))
            fail("an event line lacks the envelope: " + *message);
    }
    std::uint64_t lines = 0;
};

/// Adds one checking sink to the core (once per process) and returns its backend.
inline checking_backend& checking_sink() {
    static checking_backend* backend = [] {
        auto b = boost::make_shared<checking_backend>();
        auto sink = boost::make_shared<boost::log::sinks::synchronous_sink<checking_backend>>(b);
        sink->set_filter([](const boost::log::attribute_value_set& attrs) {
            auto channel = boost::log::extract<std::string>("Channel", attrs);
            return channel && *channel == "jupyter_events";
        });
        boost::log::core::get()->add_sink(sink);
        return b.get();  // the core keeps the sink, and so the backend, alive
    }();
    return *backend;
}

/// A logger of fixture_config(redacting) with the kitchen-sink schema registered, built
/// once; failures to build it are fatal (the fixtures are known to be valid).
inline je::event_logger& fixture_logger(bool redacting) {
    auto make = [](bool r) {
        checking_sink();
        try {
            auto logger = std::make_unique<je::event_logger>(fixture_config(r));
            logger->register_schema_text(kitchen_sink_schema, "<kitchen-sink>");
            logger->set_error_handler([](std::string_view) {});
            return logger;
        } catch (const std::exception& e) {
            fail(std::string("cannot build the fixture logger: ") + e.what());
        }
    };
    if (redacting) {
        static std::unique_ptr<je::event_logger> logger = make(true);
        return *logger;
    }
    static std::unique_ptr<je::event_logger> logger = make(false);
    return *logger;
}

}  // namespace je_fuzz
