#include "detail/metaschema.hpp"

#include "detail/embedded.hpp"
#include "detail/yaml_json.hpp"

#include <string>

namespace jupyter_events::detail {
namespace {

namespace json = boost::json;

std::shared_ptr<const json::value> load_embedded(std::string_view name) {
    std::string_view text = embedded_file(name);
    return std::make_shared<const json::value>(parse_yaml_or_json(text, std::string(name)).value);
}

const compiled_schema& event_metaschema() {
    // Compiled once; compiled_schema is immutable and thread-safe afterwards.
    static const compiled_schema compiled = [] {
        auto doc = resolve_embedded("http://event.jupyter.org/event-metaschema");
        return compiled_schema::compile(*doc, "http://event.jupyter.org/event-metaschema",
                                        resolve_embedded);
    }();
    return compiled;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string last_token(std::string_view pointer) {
    auto slash = pointer.rfind('/');
    return unescape_pointer_token(pointer.substr(slash == std::string_view::npos ? 0 : slash + 1));
}

// Rewrites the meta-schema's generic messages into ones that say what to do.
void explain(validation_issue& issue) {
    const std::string& at = issue.instance_pointer;
    const std::string& keyword = issue.schema_pointer;
    if (ends_with(keyword, "/propertyNames/pattern")) {
        issue.message = "\"" + last_token(at) +
                        "\" is an invalid property name because it starts with \"__\"; names "
                        "starting with \"__\" are reserved for the event envelope, rename it";
    } else if (at == "/$id" && ends_with(keyword, "/required")) {
        issue.message += "; every event schema needs \"$id\", a URI such as https://example.org/my-event";
    } else if (at == "/version" && ends_with(keyword, "/required")) {
        issue.message += "; every event schema needs \"version\", a string such as \"1\"";
    } else if (at == "/properties" && ends_with(keyword, "/required")) {
        issue.message += "; every event schema needs \"properties\", a mapping of field names to schemas";
    } else if (at == "/version") {
        issue.message += "; write the version as a string, e.g. version: \"1\"";
    } else if (at == "/$id") {
        issue.message += "; \"$id\" must be a URI reference without spaces, e.g. https://example.org/my-event";
    }
}

}  // namespace

std::shared_ptr<const json::value> resolve_embedded(std::string_view uri) {
    static const auto event = load_embedded("event-metaschema.yml");
    static const auto property = load_embedded("property-metaschema.yml");
    static const auto draft7 = load_embedded("json-schema-draft-07.json");
    if (uri == "http://event.jupyter.org/event-metaschema") return event;
    if (uri == "http://event.jupyter.org/property-metaschema") return property;
    if (uri == "http://json-schema.org/draft-07/schema") return draft7;
    return nullptr;
}

std::vector<validation_issue> check_event_schema(const json::value& schema) {
    std::vector<validation_issue> issues;
    if (!schema.is_object()) {
        issues.push_back({"", "", "an event schema must be a mapping (JSON object)"});
        return issues;
    }
    event_metaschema().validate(schema, issues);
    const json::value* version = schema.as_object().if_contains("version");
    if (version && version->is_int64() && version->as_int64() < 0)
        issues.push_back({"/version", "", "a negative version is not allowed (" +
                                              std::to_string(version->as_int64()) + ")"});
    for (auto& issue : issues) explain(issue);
    return issues;
}

}  // namespace jupyter_events::detail
