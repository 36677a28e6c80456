// Fuzzes recording: arbitrary bytes as a JSON event, validated and recorded against the
// fixture schemas by two loggers (compact/rfc3339, and python/jupyter with redaction,
// a modifier and an unmodified listener), each writing through a real TextFile handler to
// /dev/null; plus the validator directly.
//
// Input: byte 0 picks the (schema, version) from je_fuzz::target_schemas; byte 1 holds
// flags (bit 0: the text up to the first newline is a timestamp; bit 1: accept invalid
// UTF-8 in strings, so the writer's checks are reached); the rest is the event's JSON.
#include "fuzz_support.hpp"

#include "detail/validator.hpp"

#include <boost/json/parse.hpp>

#include <stdexcept>

namespace {

namespace je = jupyter_events;
namespace json = boost::json;

void add_callbacks(je::event_logger& logger) {
    // A modifier that edits, and one that throws when asked to (modifier_failed path).
    logger.add_modifier("", [](std::string_view, json::object& e) {
        if (e.erase("modify_me")) e["modified"] = true;
        if (e.contains("throw_me")) throw std::runtime_error("asked to throw");
    });
    logger.add_listener("", [](std::string_view, const json::object& e) {
        if (e.contains("listener_throws")) throw std::runtime_error("listener asked to throw");
    }, je::listen::unmodified, "fuzz-listener");
}

struct fixtures {
    je::event_logger& plain = je_fuzz::fixture_logger(false);
    je::event_logger& redacting = je_fuzz::fixture_logger(true);
    je_fuzz::checking_backend& lines = je_fuzz::checking_sink();
    je::detail::compiled_schema direct;  // the kitchen sink compiled by the validator alone
    fixtures() {
        add_callbacks(redacting);
        const je::event_schema* ks = plain.registry().find("https://fuzz.example/kitchen-sink", "2-1-0");
        const je::event_schema* simple = plain.registry().find("https://example.org/simple", "1");
        if (!ks || !simple) je_fuzz::fail("fixture schemas are not registered");
        auto simple_doc = std::make_shared<const json::value>(simple->json());
        je::detail::compile_options no_formats;
        no_formats.assert_formats = false;  // the other mode the compiler has
        direct = je::detail::compiled_schema::compile(
            ks->json(), ks->id(),
            [simple_doc](std::string_view uri) -> std::shared_ptr<const json::value> {
                return uri == "https://example.org/simple" ? simple_doc : nullptr;
            },
            no_formats);
    }
};

void check_outcome(const je::record_outcome& out, const je::event_schema* schema, const json::value& event,
                   bool callbacks) {
    switch (out.code) {
        case je::errc::ok:
        case je::errc::not_allowed:
        case je::errc::validation_error:
        case je::errc::invalid_event:
        case je::errc::invalid_argument:
        case je::errc::unregistered_schema: break;
        case je::errc::modifier_failed:
            if (callbacks) break;
            [[fallthrough]];
        default: je_fuzz::fail("unexpected outcome " + std::to_string(static_cast<int>(out.code)) + ": " + out.message);
    }
    if (!out && out.message.empty()) je_fuzz::fail("a rejected event without a message");
    if (out.code == je::errc::validation_error && out.issues.empty())
        je_fuzz::fail("validation_error without issues: " + out.message);
    if (!schema || callbacks) return;  // modifiers change what is validated
    // Without modifiers the logger validates exactly what event_schema does.
    const bool valid = schema->is_valid(event);
    if (out.code == je::errc::ok && !valid) je_fuzz::fail("recorded an event is_valid() rejects");
    if (out.code == je::errc::validation_error && valid) je_fuzz::fail("rejected an event is_valid() accepts: " + out.message);
}

void check_validator(const je::event_schema& schema, const json::value& event) {
    std::vector<je::validation_issue> issues;
    const bool valid = schema.validate(event, issues);
    if (valid != schema.is_valid(event)) je_fuzz::fail("validate() and is_valid() disagree");
    if (valid != issues.empty()) je_fuzz::fail("validate()'s result and its issues disagree");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fixtures f;
    if (size < 2) return 0;
    const je_fuzz::target_schema& target =
        je_fuzz::target_schemas[data[0] % (sizeof je_fuzz::target_schemas / sizeof je_fuzz::target_schemas[0])];
    const unsigned flags = data[1];
    std::string_view text = je_fuzz::as_text(data + 2, size - 2);
    std::string timestamp;
    if (flags & 1) {
        const auto newline = text.find('\n');
        timestamp = std::string(text.substr(0, newline));
        text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    }
    json::parse_options po;
    po.max_depth = 256;
    po.allow_invalid_utf8 = (flags & 2) != 0;
    boost::system::error_code ec;
    const json::value event = json::parse(json::string_view(text.data(), text.size()), ec, {}, po);
    if (ec) return 0;

    const je::event_schema* schema = f.plain.registry().find(target.id, target.version);
    if (schema) check_validator(*schema, event);
    std::vector<je::validation_issue> issues;
    if (f.direct.validate(event, issues) != f.direct.is_valid(event)) je_fuzz::fail("compiled_schema disagrees");

    const std::uint64_t before = f.lines.lines;
    const je::record_outcome plain = f.plain.try_record_event(target.id, target.version, event, timestamp);
    check_outcome(plain, schema, event, false);
    if (plain.written && f.lines.lines != before + 1) je_fuzz::fail("a written event produced no line");

    // Same event, same timestamp: a timestamp is valid or not whatever the output format.
    const je::record_outcome redacted = f.redacting.try_record_event(target.id, target.version, event, timestamp);
    check_outcome(redacted, schema, event, true);
    if (je_fuzz::verbose())
        std::fprintf(stderr, "%s v%s: plain %d %s | redacting %d %s\n", target.id, target.version,
                     static_cast<int>(plain.code), plain.message.c_str(), static_cast<int>(redacted.code),
                     redacted.message.c_str());
    if (plain.code == je::errc::invalid_argument && redacted.code == je::errc::ok)
        je_fuzz::fail("a timestamp the jupyter format accepts and rfc3339 rejects: " + plain.message);
    return 0;
}
