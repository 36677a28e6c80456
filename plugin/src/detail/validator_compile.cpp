// Schema -> node tree. Everything a validation needs is decided here once: type bits,
// sorted property tables, compiled regexes, $ref targets as node pointers.

#include "detail/ecma_regex.hpp"
#include "detail/embedded.hpp"
#include "detail/validator_impl.hpp"
#include "detail/validator_uri.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <utility>

namespace jupyter_events::detail {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr std::string_view draft07_uri = "http://json-schema.org/draft-07/schema";

// Compilation recurses along the schema; this bounds it for absurd documents.
constexpr unsigned max_schema_depth = 1000;

// A schema document: the root schema, one a resolver returned, or the meta-schema.
struct document {
    std::shared_ptr<const value> root;
    std::string uri;  // the URI it was found under ("" for a root schema without base)
    bool is_root = false;
};

// A schema that a URI can name: a document, a subschema with `$id`, or an anchor.
struct location {
    const value* schema = nullptr;
    std::string parent_base;  // base URI around the schema, before its own `$id`
    const document* doc = nullptr;
    std::string pointer;  // JSON pointer of `schema` inside `doc`
};

enum class holds { schema, schema_array, schema_map, schema_or_array };

struct subschema_keyword {
    std::string_view name;
    holds what;
};

// Keywords whose values are (or contain) schemas, for finding `$id`s.
constexpr subschema_keyword subschema_keywords[] = {
    {"additionalItems", holds::schema},
    {"additionalProperties", holds::schema},
    {"contains", holds::schema},
    {"propertyNames", holds::schema},
    {"not", holds::schema},
    {"if", holds::schema},
    {"then", holds::schema},
    {"else", holds::schema},
    {"items", holds::schema_or_array},
    {"allOf", holds::schema_array},
    {"anyOf", holds::schema_array},
    {"oneOf", holds::schema_array},
    {"properties", holds::schema_map},
    {"patternProperties", holds::schema_map},
    {"definitions", holds::schema_map},
    {"dependencies", holds::schema_map},
};

std::string child_pointer(const std::string& pointer, std::string_view token) {
    std::string out = pointer;
    out.push_back('/');
    append_pointer_token(out, token);
    return out;
}

std::string child_pointer(const std::string& pointer, std::size_t index) {
    return pointer + "/" + std::to_string(index);
}

std::shared_ptr<const value> embedded_draft07() {
    // Parsed once per process; function-local statics initialize thread-safely.
    static const std::shared_ptr<const value> doc = []() -> std::shared_ptr<const value> {
        const std::string_view text = embedded_file("json-schema-draft-07.json");
        if (text.empty()) {
            return nullptr;
        }
        return std::make_shared<const value>(boost::json::parse(text));
    }();
    return doc;
}

std::uint8_t type_bit_of(std::string_view name) noexcept {
    if (name == "null") return type_bit::null;
    if (name == "boolean") return type_bit::boolean;
    if (name == "integer") return type_bit::integer;
    if (name == "number") return type_bit::number | type_bit::integer;
    if (name == "string") return type_bit::string;
    if (name == "array") return type_bit::array;
    if (name == "object") return type_bit::object;
    return 0;
}

class schema_compiler {
public:
    schema_compiler(compiled_schema_impl& impl, const schema_resolver& resolve,
                    const compile_options& options)
        : impl_(impl), resolve_(resolve), options_(options) {}

    void run(std::shared_ptr<const value> root, std::string_view base_uri) {
        const document& doc = add_document(std::move(root), std::string(base_uri), true);
        impl_.root = compile(*doc.root, doc.uri, doc, "", 0);
        check_reference_cycles();
    }

private:
    [[noreturn]] void fail(const document& doc, const std::string& pointer,
                           std::string_view problem, const value* offending,
                           std::string_view hint = {}) const {
        std::string where = pointer.empty() ? "#" : pointer;
        if (!doc.is_root) {
            where = doc.uri + "#" + pointer;
        }
        std::string message = "compile schema: " + where + ": " + std::string(problem);
        if (offending != nullptr) {
            message += " (" + render_json(*offending) + ")";
        }
        if (!hint.empty()) {
            message += "; ";
            message += hint;
        }
        throw error(errc::invalid_schema, message);
    }

    const document& add_document(std::shared_ptr<const value> root, std::string uri, bool is_root) {
        for (const auto& d : documents_) {
            if (d.root == root) {
                ids_.emplace(uri, location{d.root.get(), uri, &d, ""});
                return d;
            }
        }
        document& doc = documents_.emplace_back();
        doc.root = std::move(root);
        doc.uri = std::move(uri);
        doc.is_root = is_root;
        impl_.documents.push_back(doc.root);
        ids_.emplace(doc.uri, location{doc.root.get(), doc.uri, &doc, ""});
        std::string pointer;
        index(*doc.root, doc.uri, doc, pointer, 0);
        return doc;
    }

    // Records every `$id` (and plain-name `#anchor`) reachable through schema keywords,
    // so a `$ref` can name a subschema before the compiler reaches it. Values of `enum`,
    // `const` and unknown keywords are data, not schemas, and are not searched.
    void index(const value& v, const std::string& parent_base, const document& doc,
               std::string& pointer, unsigned depth) {
        const object* o = v.if_object();
        if (o == nullptr) {
            return;
        }
        if (depth > max_schema_depth) {
            fail(doc, pointer, "schema nesting deeper than 1000 levels", nullptr);
        }
        // Draft 7: everything beside `$ref` is ignored, `$id` included.
        if (o->contains("$ref")) {
            return;
        }
        std::string base = parent_base;
        if (const value* id = o->if_contains("$id"); id != nullptr && id->is_string()) {
            const std::string_view id_text = id->get_string();
            const std::string resolved = uri::resolve(parent_base, id_text);
            const std::string no_fragment(uri::without_fragment(resolved));
            const location here{&v, parent_base, &doc, pointer};
            if (!id_text.empty() && id_text[0] != '#') {
                ids_.emplace(no_fragment, here);
                base = no_fragment;
            }
            if (const auto anchor = uri::fragment(resolved);
                anchor && !anchor->empty() && (*anchor)[0] != '/') {
                ids_.emplace(no_fragment + "#" + std::string(*anchor), here);
            }
        }
        const std::size_t size = pointer.size();
        for (const auto& keyword : subschema_keywords) {
            const value* sub = o->if_contains(keyword.name);
            if (sub == nullptr) {
                continue;
            }
            pointer.push_back('/');
            pointer.append(keyword.name);
            const std::size_t keyword_size = pointer.size();
            if (sub->is_array() && keyword.what != holds::schema &&
                keyword.what != holds::schema_map) {
                std::size_t i = 0;
                for (const value& item : sub->get_array()) {
                    pointer += "/" + std::to_string(i++);
                    index(item, base, doc, pointer, depth + 1);
                    pointer.resize(keyword_size);
                }
            } else if (sub->is_object() && keyword.what == holds::schema_map) {
                for (const auto& member : sub->get_object()) {
                    pointer.push_back('/');
                    append_pointer_token(pointer, member.key());
                    index(member.value(), base, doc, pointer, depth + 1);
                    pointer.resize(keyword_size);
                }
            } else if (keyword.what == holds::schema || keyword.what == holds::schema_or_array) {
                index(*sub, base, doc, pointer, depth + 1);
            }
            pointer.resize(size);
        }
    }

    // The schema a URI without fragment names: known already, from the resolver, or the
    // embedded draft-07 meta-schema. `ref_text` is the `$ref` as written: when the
    // resolved URI is unknown, a scheme-less `$ref` is also tried verbatim, because
    // registries key event schemas by `$id` as written (e.g. `url.to.event.schema`).
    const location* find_resource(const std::string& doc_uri, std::string_view ref_text) {
        if (const auto it = ids_.find(doc_uri); it != ids_.end()) {
            return &it->second;
        }
        if (resolve_) {
            if (auto found = resolve_(doc_uri)) {
                add_document(std::move(found), doc_uri, false);
                return &ids_.at(doc_uri);
            }
        }
        if (doc_uri == draft07_uri) {
            if (auto meta = embedded_draft07()) {
                add_document(std::move(meta), doc_uri, false);
                return &ids_.at(doc_uri);
            }
        }
        const std::string verbatim(uri::without_fragment(ref_text));
        if (!verbatim.empty() && verbatim != doc_uri && resolve_) {
            if (auto found = resolve_(verbatim)) {
                const document& doc = add_document(std::move(found), verbatim, false);
                ids_.emplace(doc_uri, location{doc.root.get(), verbatim, &doc, ""});
                return &ids_.at(doc_uri);
            }
        }
        return nullptr;
    }

    const schema_node* resolve_reference(const value& ref, const std::string& base,
                                         const document& doc, const std::string& ref_pointer,
                                         unsigned depth) {
        const std::string_view ref_text = ref.get_string();
        const std::string target = uri::resolve(base, ref_text);
        const std::string doc_uri(uri::without_fragment(target));
        const std::string fragment(uri::fragment(target).value_or(std::string_view{}));
        const location* resource = find_resource(doc_uri, ref_text);
        if (resource == nullptr) {
            fail(doc, ref_pointer, "cannot resolve $ref", &ref,
                 "no schema is known as \"" + doc_uri + "\"");
        }
        if (fragment.empty()) {
            return compile(*resource->schema, resource->parent_base, *resource->doc,
                           resource->pointer, depth + 1);
        }
        if (fragment[0] != '/') {
            const auto it = ids_.find(doc_uri + "#" + fragment);
            if (it == ids_.end()) {
                fail(doc, ref_pointer, "cannot resolve $ref", &ref,
                     "no subschema has \"$id\": \"#" + fragment + "\"");
            }
            return compile(*it->second.schema, it->second.parent_base, *it->second.doc,
                           it->second.pointer, depth + 1);
        }
        const auto decoded = uri::percent_decode(fragment);
        const auto tokens = decoded ? uri::pointer_tokens(*decoded) : std::nullopt;
        if (!tokens) {
            fail(doc, ref_pointer, "invalid JSON pointer in $ref", &ref);
        }
        const value* current = resource->schema;
        std::string current_base = resource->parent_base;
        std::string pointer = resource->pointer;
        for (const std::string& token : *tokens) {
            // Walking into a subschema with its own `$id` moves the base URI.
            if (const object* o = current->if_object(); o != nullptr && !o->contains("$ref")) {
                if (const value* id = o->if_contains("$id"); id != nullptr && id->is_string() &&
                                                             !id->get_string().empty() &&
                                                             id->get_string()[0] != '#') {
                    current_base = std::string(
                        uri::without_fragment(uri::resolve(current_base, id->get_string())));
                }
            }
            const value* next = nullptr;
            if (const object* o = current->if_object()) {
                next = o->if_contains(token);
            } else if (const array* a = current->if_array()) {
                const bool is_index = !token.empty() && token.size() < 10 &&
                                      std::all_of(token.begin(), token.end(),
                                                  [](char c) { return c >= '0' && c <= '9'; }) &&
                                      (token.size() == 1 || token[0] != '0');
                if (is_index && std::stoul(token) < a->size()) {
                    next = &(*a)[std::stoul(token)];
                }
            }
            if (next == nullptr) {
                fail(doc, ref_pointer, "cannot resolve $ref", &ref,
                     "\"" + doc_uri + "\" has nothing at \"" + *decoded + "\"");
            }
            current = next;
            pointer = child_pointer(pointer, token);
        }
        return compile(*current, current_base, *resource->doc, pointer, depth + 1);
    }

    const schema_node* compile(const value& v, const std::string& parent_base, const document& doc,
                               const std::string& pointer, unsigned depth) {
        if (const auto it = memo_.find(&v); it != memo_.end()) {
            return it->second;
        }
        if (depth > max_schema_depth) {
            fail(doc, pointer, "schema nesting deeper than 1000 levels", nullptr);
        }
        schema_node& node = impl_.nodes.emplace_back();
        memo_.emplace(&v, &node);
        node.location = doc.is_root ? pointer : doc.uri + "#" + pointer;
        if (v.is_bool()) {
            node.kind = v.get_bool() ? schema_node::node_kind::accept_all
                                     : schema_node::node_kind::reject_all;
            return &node;
        }
        const object* o = v.if_object();
        if (o == nullptr) {
            fail(doc, pointer, "a schema must be an object or a boolean", &v);
        }
        if (const value* ref = o->if_contains("$ref")) {
            if (!ref->is_string()) {
                fail(doc, pointer + "/$ref", "$ref must be a string", ref);
            }
            node.kind = schema_node::node_kind::reference;
            node.target = resolve_reference(*ref, parent_base, doc, pointer + "/$ref", depth);
            return &node;
        }
        std::string base = parent_base;
        if (const value* id = o->if_contains("$id")) {
            if (!id->is_string()) {
                fail(doc, pointer + "/$id", "$id must be a string", id);
            }
            if (!id->get_string().empty() && id->get_string()[0] != '#') {
                base =
                    std::string(uri::without_fragment(uri::resolve(parent_base, id->get_string())));
            }
        }
        keyword_scope scope{*o, base, doc, pointer, depth};
        compile_generic(node, scope);
        compile_numeric(node, scope);
        compile_string(node, scope);
        compile_array(node, scope);
        compile_object(node, scope);
        return &node;
    }

    // What every keyword compiler needs to know about the schema object at hand.
    struct keyword_scope {
        const object& schema;
        const std::string& base;
        const document& doc;
        const std::string& pointer;
        unsigned depth;

        const value* find(std::string_view keyword) const { return schema.if_contains(keyword); }
        std::string at(std::string_view keyword) const { return child_pointer(pointer, keyword); }
    };

    const schema_node* subschema(const keyword_scope& s, const value& v,
                                 const std::string& pointer) {
        return compile(v, s.base, s.doc, pointer, s.depth + 1);
    }

    std::vector<const schema_node*> schema_list(const keyword_scope& s, std::string_view keyword,
                                                const value& v) {
        const std::string where = s.at(keyword);
        if (!v.is_array() || v.get_array().empty()) {
            fail(s.doc, where, "must be a non-empty array of schemas", &v);
        }
        std::vector<const schema_node*> out;
        std::size_t i = 0;
        for (const value& item : v.get_array()) {
            out.push_back(subschema(s, item, child_pointer(where, i++)));
        }
        return out;
    }

    std::size_t non_negative(const keyword_scope& s, std::string_view keyword, const value& v) {
        if (v.is_int64() && v.get_int64() >= 0) {
            return static_cast<std::size_t>(v.get_int64());
        }
        if (v.is_uint64()) {
            return static_cast<std::size_t>(v.get_uint64());
        }
        if (v.is_double() && v.get_double() >= 0 && v.get_double() < 1e18 &&
            std::trunc(v.get_double()) == v.get_double()) {
            return static_cast<std::size_t>(v.get_double());
        }
        fail(s.doc, s.at(keyword), "must be a non-negative integer", &v);
    }

    compiled_pattern pattern_of(const keyword_scope& s, const std::string& where, const value& v) {
        if (!v.is_string()) {
            fail(s.doc, where, "must be a string", &v);
        }
        std::string problem;
        auto regex = compile_ecma_regex(v.get_string(), problem);
        if (!regex) {
            fail(s.doc, where, "invalid regular expression", &v, problem);
        }
        return compiled_pattern{std::string(v.get_string()), std::move(*regex)};
    }

    void compile_generic(schema_node& node, const keyword_scope& s) {
        if (const value* t = s.find("type")) {
            node.has_type = true;
            std::vector<std::string_view> names;
            const auto add = [&](const value& name, const std::string& where) {
                if (!name.is_string()) {
                    fail(s.doc, where, "type must be a string or an array of strings", &name);
                }
                const std::uint8_t bit = type_bit_of(name.get_string());
                if (bit == 0) {
                    fail(s.doc, where, "unknown type", &name,
                         "expected one of null, boolean, integer, number, string, array, object");
                }
                node.types |= bit;
                names.push_back(name.get_string());
            };
            if (const array* list = t->if_array()) {
                if (list->empty()) {
                    fail(s.doc, s.at("type"), "type must not be an empty array", t);
                }
                std::size_t i = 0;
                for (const value& name : *list) {
                    add(name, child_pointer(s.at("type"), i++));
                }
            } else {
                add(*t, s.at("type"));
            }
            for (std::size_t i = 0; i < names.size(); ++i) {
                if (i > 0) {
                    node.type_text += i + 1 == names.size() ? " or " : ", ";
                }
                node.type_text += quote_string(names[i]);
            }
        }
        if (const value* e = s.find("enum")) {
            if (!e->is_array()) {
                fail(s.doc, s.at("enum"), "enum must be an array", e);
            }
            node.enum_values = &e->get_array();
            node.enum_text = render_json(*e);
        }
        node.const_value = s.find("const");
        if (const value* v = s.find("allOf")) node.all_of = schema_list(s, "allOf", *v);
        if (const value* v = s.find("anyOf")) node.any_of = schema_list(s, "anyOf", *v);
        if (const value* v = s.find("oneOf")) node.one_of = schema_list(s, "oneOf", *v);
        if (const value* v = s.find("not")) node.not_schema = subschema(s, *v, s.at("not"));
        if (const value* v = s.find("if")) node.if_schema = subschema(s, *v, s.at("if"));
        // then/else without if do nothing, but may be $ref targets; compile them anyway.
        if (const value* v = s.find("then")) node.then_schema = subschema(s, *v, s.at("then"));
        if (const value* v = s.find("else")) node.else_schema = subschema(s, *v, s.at("else"));
        if (const value* defs = s.find("definitions")) {
            if (!defs->is_object()) {
                fail(s.doc, s.at("definitions"), "definitions must be an object", defs);
            }
            // Compiled for their errors even when nothing refers to them.
            for (const auto& member : defs->get_object()) {
                subschema(s, member.value(), child_pointer(s.at("definitions"), member.key()));
            }
        }
    }

    void compile_numeric(schema_node& node, const keyword_scope& s) {
        const auto number = [&](std::string_view keyword) -> const value* {
            const value* v = s.find(keyword);
            if (v != nullptr) {
                if (!v->is_number()) {
                    fail(s.doc, s.at(keyword), "must be a number", v);
                }
                node.has_number_checks = true;
            }
            return v;
        };
        node.minimum = number("minimum");
        node.maximum = number("maximum");
        node.exclusive_minimum = number("exclusiveMinimum");
        node.exclusive_maximum = number("exclusiveMaximum");
        node.multiple_of = number("multipleOf");
        if (node.multiple_of != nullptr && !(node.multiple_of->to_number<double>() > 0)) {
            fail(s.doc, s.at("multipleOf"), "must be greater than 0", node.multiple_of);
        }
    }

    void compile_string(schema_node& node, const keyword_scope& s) {
        if (const value* v = s.find("minLength"))
            node.min_length = non_negative(s, "minLength", *v);
        if (const value* v = s.find("maxLength"))
            node.max_length = non_negative(s, "maxLength", *v);
        if (const value* v = s.find("pattern")) {
            node.pattern = std::make_unique<compiled_pattern>(pattern_of(s, s.at("pattern"), *v));
        }
        if (const value* v = s.find("format")) {
            if (!v->is_string()) {
                fail(s.doc, s.at("format"), "must be a string", v);
            }
            if (options_.assert_formats) {
                node.format = find_format_checker(v->get_string());
                node.format_name = v->get_string();
            }
        }
        if (options_.assert_formats) {
            const value* encoding = s.find("contentEncoding");
            const value* media = s.find("contentMediaType");
            node.content_base64 =
                encoding != nullptr && encoding->is_string() && encoding->get_string() == "base64";
            node.content_json =
                media != nullptr && media->is_string() && media->get_string() == "application/json";
        }
        node.has_string_checks = node.min_length > 0 || node.max_length != no_limit ||
                                 node.pattern != nullptr || node.format != nullptr ||
                                 node.content_base64 || node.content_json;
    }

    void compile_array(schema_node& node, const keyword_scope& s) {
        if (const value* v = s.find("items")) {
            if (const array* list = v->if_array()) {
                node.items_is_list = true;
                std::size_t i = 0;
                for (const value& item : *list) {
                    node.item_list.push_back(subschema(s, item, child_pointer(s.at("items"), i++)));
                }
            } else {
                node.items = subschema(s, *v, s.at("items"));
            }
        }
        if (const value* v = s.find("additionalItems")) {
            node.additional_items = subschema(s, *v, s.at("additionalItems"));
        }
        if (const value* v = s.find("contains")) node.contains = subschema(s, *v, s.at("contains"));
        if (const value* v = s.find("minItems")) node.min_items = non_negative(s, "minItems", *v);
        if (const value* v = s.find("maxItems")) node.max_items = non_negative(s, "maxItems", *v);
        if (const value* v = s.find("uniqueItems")) {
            if (!v->is_bool()) {
                fail(s.doc, s.at("uniqueItems"), "must be a boolean", v);
            }
            node.unique_items = v->get_bool();
        }
        node.has_array_checks = node.items != nullptr || node.items_is_list ||
                                node.contains != nullptr || node.min_items > 0 ||
                                node.max_items != no_limit || node.unique_items;
    }

    std::vector<std::string> string_list(const keyword_scope& s, const std::string& where,
                                         const value& v) {
        if (!v.is_array()) {
            fail(s.doc, where, "must be an array of strings", &v);
        }
        std::vector<std::string> out;
        std::size_t i = 0;
        for (const value& item : v.get_array()) {
            if (!item.is_string()) {
                fail(s.doc, child_pointer(where, i), "must be a string", &item);
            }
            out.emplace_back(item.get_string());
            ++i;
        }
        return out;
    }

    const object& object_keyword(const keyword_scope& s, std::string_view keyword, const value& v) {
        if (!v.is_object()) {
            fail(s.doc, s.at(keyword), "must be an object", &v);
        }
        return v.get_object();
    }

    void compile_object(schema_node& node, const keyword_scope& s) {
        if (const value* v = s.find("properties")) {
            for (const auto& member : object_keyword(s, "properties", *v)) {
                node.properties.push_back(
                    {std::string(member.key()),
                     subschema(s, member.value(),
                               child_pointer(s.at("properties"), member.key()))});
            }
            std::sort(
                node.properties.begin(), node.properties.end(),
                [](const auto& a, const auto& b) { return property_name_less(a.name, b.name); });
        }
        if (const value* v = s.find("patternProperties")) {
            for (const auto& member : object_keyword(s, "patternProperties", *v)) {
                const std::string where = child_pointer(s.at("patternProperties"), member.key());
                node.pattern_properties.push_back({pattern_of(s, where, value(member.key())),
                                                   subschema(s, member.value(), where)});
            }
        }
        if (const value* v = s.find("additionalProperties")) {
            node.additional_properties = subschema(s, *v, s.at("additionalProperties"));
        }
        if (const value* v = s.find("required"))
            node.required = string_list(s, s.at("required"), *v);
        if (const value* v = s.find("dependencies")) {
            for (const auto& member : object_keyword(s, "dependencies", *v)) {
                const std::string where = child_pointer(s.at("dependencies"), member.key());
                dependency d;
                d.name = member.key();
                if (member.value().is_array()) {
                    d.required = string_list(s, where, member.value());
                } else {
                    d.schema = subschema(s, member.value(), where);
                }
                node.dependencies.push_back(std::move(d));
            }
        }
        if (const value* v = s.find("propertyNames")) {
            node.property_names = subschema(s, *v, s.at("propertyNames"));
        }
        if (const value* v = s.find("minProperties")) {
            node.min_properties = non_negative(s, "minProperties", *v);
        }
        if (const value* v = s.find("maxProperties")) {
            node.max_properties = non_negative(s, "maxProperties", *v);
        }
        node.has_object_checks = !node.properties.empty() || !node.pattern_properties.empty() ||
                                 node.additional_properties != nullptr || !node.required.empty() ||
                                 !node.dependencies.empty() || node.property_names != nullptr ||
                                 node.min_properties > 0 || node.max_properties != no_limit;
    }

    // A $ref chain that comes back to itself never reaches a schema with keywords; it is
    // a schema error, not something to discover while validating.
    void check_reference_cycles() const {
        for (const schema_node& start : impl_.nodes) {
            const schema_node* n = &start;
            std::size_t hops = 0;
            while (n->kind == schema_node::node_kind::reference) {
                n = n->target;
                if (++hops > impl_.nodes.size()) {
                    throw error(errc::invalid_schema,
                                "compile schema: " + start.location +
                                    "/$ref: circular $ref that never reaches a schema");
                }
            }
        }
    }

    compiled_schema_impl& impl_;
    const schema_resolver& resolve_;
    const compile_options& options_;
    std::deque<document> documents_;  // stable addresses: locations point at them
    std::unordered_map<std::string, location> ids_;
    std::unordered_map<const value*, schema_node*> memo_;
};

}  // namespace

void compile_schema_into(compiled_schema_impl& impl, std::shared_ptr<const value> root,
                         std::string_view base_uri, const schema_resolver& resolve,
                         const compile_options& options) {
    schema_compiler(impl, resolve, options).run(std::move(root), base_uri);
}

}  // namespace jupyter_events::detail
