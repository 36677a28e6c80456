#include <jupyter_events/config_loader.hpp>

#include <jupyter_events/error.hpp>

#include "detail/embedded.hpp"
#include "detail/metaschema.hpp"
#include "detail/validator.hpp"
#include "detail/yaml_json.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>

namespace jupyter_events {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// Where a value of the merged document was written.
struct origin {
    std::string file;  // the config file, or "--EventLogger.key" for an override
    int line = 0;
    int column = 0;
    std::string text() const {
        return line ? file + ":" + std::to_string(line) + ":" + std::to_string(column) : file;
    }
};

bool has_prefix(const std::string& pointer, const std::string& prefix) {
    return pointer.compare(0, prefix.size(), prefix) == 0 &&
           (pointer.size() == prefix.size() || pointer[prefix.size()] == '/');
}

struct merged_doc {
    json::value value = json::object();
    std::map<std::string, origin> where;  // JSON pointer -> origin

    const origin* find_origin(std::string pointer) const {
        for (;;) {
            auto it = where.find(pointer);
            if (it != where.end()) return &it->second;
            if (pointer.empty()) return nullptr;
            pointer.resize(pointer.rfind('/'));
        }
    }
    std::string at(const std::string& pointer) const {
        const origin* o = find_origin(pointer);
        return o ? o->text() : std::string();
    }
    void replace_origins(const std::string& prefix, const detail::located_json& layer) {
        auto it = where.lower_bound(prefix);
        while (it != where.end() && has_prefix(it->first, prefix)) it = where.erase(it);
        for (const auto& pos : layer.positions)
            if (has_prefix(pos.first, prefix))
                where[pos.first] = {layer.file, pos.second.line, pos.second.column};
    }
};

bool is_handler_pointer(const std::string& pointer) {
    static const std::string prefix = "/EventLogger/handlers/";
    return pointer.rfind(prefix, 0) == 0 && pointer.find('/', prefix.size()) == std::string::npos;
}

// Mappings merge key by key; lists and scalars replace; a null handler removes it.
void merge_into(json::value& dst, const json::value& src, const std::string& pointer, merged_doc& doc,
                const detail::located_json& layer) {
    if (!(dst.is_object() && src.is_object())) {
        dst = src;
        doc.replace_origins(pointer, layer);
        return;
    }
    auto& d = dst.as_object();
    for (const auto& kv : src.as_object()) {
        std::string p = pointer + "/";
        detail::append_pointer_token(p, kv.key());
        if (kv.value().is_null() && is_handler_pointer(p)) {
            d.erase(kv.key());
            continue;
        }
        if (auto* existing = d.if_contains(kv.key())) {
            merge_into(*existing, kv.value(), p, doc, layer);
        } else {
            d.emplace(kv.key(), kv.value());
            doc.replace_origins(p, layer);
        }
    }
}

// --- ${VAR} substitution -------------------------------------------------------------

struct problems {
    std::vector<std::string> lines;
    void add(const std::string& where, const std::string& pointer, const std::string& what) {
        lines.push_back((where.empty() ? "" : where + ": ") + "load config: " +
                        (pointer.empty() ? "" : pointer + ": ") + what);
    }
};

// Substitutes every ${...} in `s`. Returns false (and records a problem) when one cannot be.
bool substitute(std::string& s, const std::string& where, const std::string& pointer, problems& errors) {
    std::string out;
    bool ok = true;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s.compare(i, 3, "$${") == 0) {  // "$${" escapes a literal "${"
            out += "${";
            i += 3;
            continue;
        }
        if (s.compare(i, 2, "${") != 0) {
            out += s[i++];
            continue;
        }
        const std::size_t close = s.find('}', i + 2);
        if (close == std::string::npos) {
            errors.add(where, pointer, "unterminated \"${\" (" + s + "); close it with \"}\" or write \"$${\" for a literal");
            return false;
        }
        std::string expr = s.substr(i + 2, close - i - 2);
        std::string name = expr, fallback, message;
        enum { plain, with_default, required } kind = plain;
        if (auto p = expr.find(":-"); p != std::string::npos) {
            name = expr.substr(0, p);
            fallback = expr.substr(p + 2);
            kind = with_default;
        } else if (auto q = expr.find(":?"); q != std::string::npos) {
            name = expr.substr(0, q);
            message = expr.substr(q + 2);
            kind = required;
        }
        const bool valid_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        });
        if (!valid_name) {
            errors.add(where, pointer, "invalid variable reference (${" + expr +
                                           "}); use ${NAME}, ${NAME:-default} or ${NAME:?message}");
            return false;
        }
        const char* value = std::getenv(name.c_str());
        if (value && (*value || kind == plain)) {
            out += value;
        } else if (kind == with_default) {
            out += fallback;
        } else {
            std::string why = kind == required && !message.empty() ? message : "set it or write ${" + name + ":-default}";
            errors.add(where, pointer, "environment variable " + name + " is not set (${" + expr + "}); " + why);
            ok = false;
        }
        i = close + 1;
    }
    s = std::move(out);
    return ok;
}

void substitute_all(json::value& v, const std::string& pointer, const merged_doc& doc, problems& errors) {
    if (auto* obj = v.if_object()) {
        for (auto& kv : *obj) {
            std::string p = pointer + "/";
            detail::append_pointer_token(p, kv.key());
            substitute_all(kv.value(), p, doc, errors);
        }
    } else if (auto* arr = v.if_array()) {
        for (std::size_t i = 0; i < arr->size(); ++i)
            substitute_all((*arr)[i], pointer + "/" + std::to_string(i), doc, errors);
    } else if (auto* str = v.if_string()) {
        if (str->find('$') == json::string::npos) return;
        std::string s(*str);
        const bool whole = s.size() > 3 && s.compare(0, 2, "${") == 0 && s.find('}') == s.size() - 1;
        if (!substitute(s, doc.at(pointer), pointer, errors)) return;
        // A value that was nothing but ${...} takes the type its text has (RotationSize: ${N}).
        v = whole ? detail::yaml_plain_scalar(s) : json::value(s);
    }
}

// --- structural check against the shipped JSON Schema ---------------------------------

const detail::compiled_schema& config_schema() {
    static const detail::compiled_schema compiled = [] {
        auto doc = std::make_shared<const json::value>(
            detail::parse_json(detail::embedded_file("jupyter-events-config.schema.json"), "config schema").value);
        return detail::compiled_schema::compile(*doc, "", detail::resolve_embedded);
    }();
    return compiled;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                              std::tolower(static_cast<unsigned char>(b[j - 1]));
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// The keys the config schema allows next to the failing one: the `properties` beside the
// `additionalProperties` keyword that rejected it.
std::vector<std::string> known_keys(const std::string& schema_pointer) {
    static const json::value schema =
        detail::parse_json(detail::embedded_file("jupyter-events-config.schema.json"), "config schema").value;
    std::vector<std::string> keys;
    const std::string suffix = "/additionalProperties";
    if (schema_pointer.size() < suffix.size() ||
        schema_pointer.compare(schema_pointer.size() - suffix.size(), suffix.size(), suffix) != 0)
        return keys;
    boost::system::error_code ec;
    const json::value* parent = schema.find_pointer(schema_pointer.substr(0, schema_pointer.size() - suffix.size()), ec);
    if (!parent || !parent->is_object()) return keys;
    if (const auto* props = parent->as_object().if_contains("properties"); props && props->is_object())
        for (const auto& kv : props->as_object()) keys.emplace_back(kv.key());
    return keys;
}

std::string did_you_mean(const std::string& key, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, key.size() / 3) + 1;
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(key, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

void check_structure(const merged_doc& doc, problems& errors) {
    std::vector<validation_issue> issues;
    config_schema().validate(doc.value, issues);
    for (auto& issue : issues) {
        std::string message = issue.message;
        const auto slash = issue.instance_pointer.rfind('/');
        const std::string key = detail::unescape_pointer_token(std::string_view(issue.instance_pointer).substr(slash + 1));
        if (message.find("additional property") != std::string::npos) {
            const bool handler_name = issue.instance_pointer.rfind("/EventLogger/handlers/", 0) == 0 &&
                                      is_handler_pointer(issue.instance_pointer);
            if (key == "Wide" && issue.instance_pointer.rfind("/EventLogger/handlers/", 0) == 0) {
                message = "unknown key (Wide): wide-character sinks are not supported; remove it (events are UTF-8)";
            } else if (handler_name) {
                message = "invalid handler name (" + key + "); use letters, digits, '_', '.' and '-'";
            } else {
                auto keys = known_keys(issue.schema_pointer);
                message = "unknown key (" + key + ")";
                if (auto guess = did_you_mean(key, keys); !guess.empty())
                    message += "; did you mean \"" + guess + "\"?";
                else if (!keys.empty()) {
                    std::sort(keys.begin(), keys.end());
                    std::string list;
                    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
                    message += "; known keys: " + list;
                }
            }
        }
        errors.add(doc.at(issue.instance_pointer), issue.instance_pointer, message);
    }
}

// --- the structs ------------------------------------------------------------------------

std::string as_setting(const json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_bool()) return v.get_bool() ? "true" : "false";
    return json::serialize(v);
}

std::string resolve_path(const std::string& value, const origin* o) {
    if (value.find("://") != std::string::npos) return value;  // a URL (schemas: http://...)
    fs::path p(value);
    if (p.is_absolute() || !o || o->file.empty() || o->file.rfind("--", 0) == 0) return value;
    return (fs::path(o->file).parent_path() / p).lexically_normal().string();
}

std::vector<std::string> string_list(const json::value& v) {
    std::vector<std::string> out;
    for (const auto& item : v.as_array()) out.emplace_back(item.as_string());
    return out;
}

handler_config to_handler(const std::string& name, const json::object& h, const std::string& pointer,
                          const merged_doc& doc) {
    handler_config out;
    out.name = name;
    out.where = doc.at(pointer);
    for (const auto& kv : h) {
        const std::string key(kv.key());
        std::string p = pointer + "/";
        detail::append_pointer_token(p, key);
        if (key == "Destination") {
            out.destination = std::string(kv.value().as_string());
        } else if (key == "Schemas") {
            out.schemas = string_list(kv.value());
        } else if (key == "Filter") {
            out.filter = as_setting(kv.value());
        } else {
            std::string value = as_setting(kv.value());
            if (key == "FileName" || key == "Target" || key == "TargetFileName")
                value = resolve_path(value, doc.find_origin(p));
            out.settings[key] = setting{value, doc.at(p)};
        }
    }
    return out;
}

config to_config(const merged_doc& doc) {
    config out;
    const json::object& root = doc.value.as_object();
    if (const auto* el = root.if_contains("EventLogger"); el && el->is_object()) {
        const json::object& logger = el->as_object();
        if (const auto* v = logger.if_contains("schemas")) {
            const auto& arr = v->as_array();
            for (std::size_t i = 0; i < arr.size(); ++i)
                out.event_logger.schemas.push_back(resolve_path(
                    std::string(arr[i].as_string()), doc.find_origin("/EventLogger/schemas/" + std::to_string(i))));
        }
        if (const auto* v = logger.if_contains("allowed_schemas")) {
            for (const auto& item : v->as_array()) {
                allowed_schema entry;
                if (item.is_string()) {
                    entry.id = std::string(item.get_string());
                } else {
                    const auto& o = item.as_object();
                    entry.id = std::string(o.at("id").as_string());
                    if (const auto* c = o.if_contains("allowed_categories")) entry.allowed_categories = string_list(*c);
                    if (const auto* p = o.if_contains("allowed_properties")) entry.allowed_properties = string_list(*p);
                }
                out.event_logger.allowed_schemas.push_back(std::move(entry));
            }
        }
        if (const auto* v = logger.if_contains("timestamp_format"))
            out.event_logger.timestamp = v->as_string() == "jupyter" ? timestamp_format::jupyter : timestamp_format::rfc3339;
        if (const auto* v = logger.if_contains("json_style"))
            out.event_logger.style = v->as_string() == "python" ? json_style::python : json_style::compact;
        if (const auto* v = logger.if_contains("handlers")) {
            for (const auto& kv : v->as_object()) {
                if (kv.value().is_null()) continue;  // an empty entry: nothing to build
                std::string p = "/EventLogger/handlers/";
                detail::append_pointer_token(p, kv.key());
                out.event_logger.handlers.push_back(to_handler(std::string(kv.key()), kv.value().as_object(), p, doc));
            }
        }
    }
    if (const auto* es = root.if_contains("EventServer"); es && es->is_object()) {
        const json::object& server = es->as_object();
        if (const auto* v = server.if_contains("listen"); v && v->is_string()) out.event_server.listen = std::string(v->get_string());
        if (const auto* v = server.if_contains("token"); v && v->is_string()) out.event_server.token = std::string(v->get_string());
        if (const auto* v = server.if_contains("max_body_bytes"); v && v->is_int64())
            out.event_server.max_body_bytes = static_cast<std::size_t>(v->get_int64());
        if (const auto* v = server.if_contains("read_timeout_ms"); v && v->is_int64())
            out.event_server.read_timeout_ms = static_cast<unsigned>(v->get_int64());
        if (const auto* v = server.if_contains("max_connections"); v && v->is_int64())
            out.event_server.max_connections = static_cast<unsigned>(v->get_int64());
        if (const auto* v = server.if_contains("threads"); v && v->is_int64())
            out.event_server.threads = static_cast<unsigned>(v->get_int64());
    }
    return out;
}

// "EventLogger.json_style=python" -> a one-key layer.
detail::located_json override_layer(const std::string& text) {
    const auto eq = text.find('=');
    const std::string where = "--" + text.substr(0, eq);
    if (eq == std::string::npos || eq == 0)
        throw error(errc::config_error, where + ": load config: an override is Section.key=value (" + text + ")");
    std::string path = text.substr(0, eq);
    detail::located_json value = detail::parse_yaml(text.substr(eq + 1), where);
    json::value v = std::move(value.value);
    std::vector<std::string> parts;
    for (std::size_t start = 0;;) {
        const auto dot = path.find('.', start);
        parts.push_back(path.substr(start, dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    detail::located_json layer;
    layer.file = where;
    std::string pointer;
    for (const auto& part : parts) {
        pointer += "/";
        detail::append_pointer_token(pointer, part);
        layer.positions[pointer] = {0, 0};
    }
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        json::object o;
        o.emplace(*it, std::move(v));
        v = std::move(o);
    }
    layer.value = std::move(v);
    return layer;
}

}  // namespace

config load_config(const std::vector<fs::path>& files, const std::vector<std::string>& overrides,
                   const load_options& options) {
    if (files.empty()) throw error(errc::config_error, "load config: no configuration file given; pass one with --config FILE");
    merged_doc doc;
    std::vector<std::string> names;
    for (const auto& file : files) {
        std::error_code ec;
        if (fs::is_directory(file, ec))
            throw error(errc::io_error, file.string() + ": load config: is a directory; give a YAML file");
        detail::located_json layer = detail::parse_yaml(detail::read_file(file.string(), "load config"), file.string());
        if (layer.value.is_null()) layer.value = json::object();  // an empty file changes nothing
        if (!layer.value.is_object())
            throw error(errc::config_error, layer.where("") +
                                                ": load config: the top level must be a mapping with "
                                                "EventLogger and/or EventServer sections");
        merge_into(doc.value, layer.value, "", doc, layer);
        names.push_back(file.string());
    }
    for (const auto& text : overrides) {
        detail::located_json layer = override_layer(text);
        merge_into(doc.value, layer.value, "", doc, layer);
    }
    problems errors;
    for (auto& kv : doc.value.as_object()) {
        const bool wanted = kv.key() == "EventLogger" || options.resolve_all ||
                            (options.resolve_server && kv.key() == "EventServer");
        if (wanted) substitute_all(kv.value(), "/" + std::string(kv.key()), doc, errors);
    }
    if (errors.lines.empty()) check_structure(doc, errors);
    if (!errors.lines.empty()) {
        std::string message;
        for (const auto& line : errors.lines) message += (message.empty() ? "" : "\n") + line;
        throw error(errc::config_error, message);
    }
    config out = to_config(doc);
    out.files = std::move(names);
    return out;
}

}  // namespace jupyter_events
