// Evaluation of a compiled schema. One evaluator serves both entry points: with an issue
// list it records every failure with its pointers; without one it is the fast path and
// stops at the first failure, touching no strings and allocating nothing for the common
// keywords. anyOf/oneOf/not/contains/if always ask the fast path and then report one
// issue of their own, since the failures of a branch that was allowed to fail are noise.
//
// Evaluation recurses along the schema, so it only follows the instance as deep as the
// schema itself nests, except through recursive $refs: those are bounded by
// max_evaluation_depth (an issue, not a stack overflow). Messages are built in cold,
// out-of-line functions so the frames that nest per level stay small.

#include "detail/validator.hpp"

#include "detail/ecma_regex.hpp"
#include "detail/validator_impl.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <string>

namespace jupyter_events::detail {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

class evaluator {
public:
    explicit evaluator(std::vector<validation_issue>* issues) noexcept : issues_(issues) {}

    bool eval(const schema_node& start, const value& v, unsigned depth) {
        const schema_node* n = &start;
        while (n->kind == schema_node::node_kind::reference && depth <= max_evaluation_depth) {
            n = n->target;
            ++depth;
        }
        if (depth > max_evaluation_depth) {
            if (collecting()) {
                report_too_deep(*n);
            }
            return false;
        }
        switch (n->kind) {
            case schema_node::node_kind::accept_all: return true;
            case schema_node::node_kind::reject_all:
                if (collecting()) {
                    report_text(*n, {}, "false schema allows nothing");
                }
                return false;
            default: return eval_keywords(*n, v, depth);
        }
    }

private:
    bool collecting() const noexcept { return issues_ != nullptr; }

    static bool passes(const schema_node& sub, const value& v, unsigned depth) {
        return evaluator(nullptr).eval(sub, v, depth + 1);
    }

    // Evaluates `sub` on a member or item, with the instance pointer extended meanwhile.
    template <typename Token>
    bool eval_child(const schema_node& sub, const value& v, const Token& token, unsigned depth) {
        if (!collecting()) {
            return eval(sub, v, depth + 1);
        }
        const std::size_t size = pointer_.size();
        push_token(token);
        const bool ok = eval(sub, v, depth + 1);
        pointer_.resize(size);
        return ok;
    }

    void push_token(std::string_view key) {
        pointer_.push_back('/');
        append_pointer_token(pointer_, key);
    }

    void push_token(std::size_t index) {
        pointer_.push_back('/');
        pointer_ += std::to_string(index);
    }

    // --- reporting (collecting mode only; callers check collecting() first) ---

    template <typename Token>
    [[gnu::cold, gnu::noinline]] void report_child(const schema_node& n, std::string_view keyword,
                                                   const Token& token, std::string_view message) {
        const std::size_t size = pointer_.size();
        push_token(token);
        report_text(n, keyword, message);
        pointer_.resize(size);
    }

    [[gnu::cold, gnu::noinline]] void report_text(const schema_node& n, std::string_view keyword,
                                                  std::string_view message) {
        std::string schema_pointer = n.location;
        if (!keyword.empty()) {
            schema_pointer.push_back('/');
            schema_pointer.append(keyword);
        }
        issues_->push_back({pointer_, std::move(schema_pointer), std::string(message)});
    }

    [[gnu::cold, gnu::noinline]] void report_value(const schema_node& n, std::string_view keyword,
                                                   const value& v, std::string_view text,
                                                   std::string_view suffix = {}) {
        report_text(n, keyword, render_json(v) + std::string(text) + std::string(suffix));
    }

    [[gnu::cold, gnu::noinline]] void report_versus(const schema_node& n, std::string_view keyword,
                                                    const value& v, std::string_view text,
                                                    const value& other) {
        report_value(n, keyword, v, text, render_json(other));
    }

    [[gnu::cold, gnu::noinline]] void report_count(const schema_node& n, std::string_view keyword,
                                                   const value& v, std::string_view text,
                                                   std::size_t count, std::string_view unit) {
        report_value(n, keyword, v, text, std::to_string(count) + std::string(unit));
    }

    [[gnu::cold, gnu::noinline]] void report_too_deep(const schema_node& n) {
        report_text(
            n, {},
            "nesting deeper than " + std::to_string(max_evaluation_depth) + " levels of schemas");
    }

    [[gnu::cold, gnu::noinline]] void report_string(const schema_node& n, std::string_view keyword,
                                                    const value& v, std::string_view text,
                                                    std::string_view quoted_text) {
        report_value(n, keyword, v, text, quote_string(quoted_text));
    }

    // --- keywords ---

    bool eval_keywords(const schema_node& n, const value& v, unsigned depth) {
        bool ok = true;
        if (n.has_type && (type_bits(v) & n.types) == 0) {
            if (!collecting()) return false;
            ok = false;
            report_value(n, "type", v, " is not of type ", n.type_text);
        }
        if (n.enum_values != nullptr &&
            std::none_of(n.enum_values->begin(), n.enum_values->end(),
                         [&](const value& e) { return json_equal(v, e); })) {
            if (!collecting()) return false;
            ok = false;
            report_value(n, "enum", v, " is not one of ", n.enum_text);
        }
        if (n.const_value != nullptr && !json_equal(v, *n.const_value)) {
            if (!collecting()) return false;
            ok = false;
            report_versus(n, "const", v, " does not equal the const value ", *n.const_value);
        }
        bool kind_ok = true;
        switch (v.kind()) {
            case boost::json::kind::int64:
            case boost::json::kind::uint64:
            case boost::json::kind::double_:
                kind_ok = !n.has_number_checks || eval_number(n, v);
                break;
            case boost::json::kind::string:
                kind_ok = !n.has_string_checks || eval_string(n, v);
                break;
            case boost::json::kind::array:
                kind_ok = !n.has_array_checks || eval_array(n, v, depth);
                break;
            case boost::json::kind::object:
                kind_ok = !n.has_object_checks || eval_object(n, v, depth);
                break;
            default: break;
        }
        if (!kind_ok) {
            if (!collecting()) return false;
            ok = false;
        }
        return eval_combinators(n, v, depth) && ok;
    }

    bool eval_combinators(const schema_node& n, const value& v, unsigned depth) {
        bool ok = true;
        for (const schema_node* sub : n.all_of) {
            if (!eval(*sub, v, depth + 1)) {
                if (!collecting()) return false;
                ok = false;
            }
        }
        if (!n.any_of.empty() &&
            std::none_of(n.any_of.begin(), n.any_of.end(),
                         [&](const schema_node* sub) { return passes(*sub, v, depth); })) {
            if (!collecting()) return false;
            ok = false;
            report_value(n, "anyOf", v, " is not valid under any of the schemas in anyOf");
        }
        if (!n.one_of.empty()) {
            std::size_t matches = 0;
            for (const schema_node* sub : n.one_of) {
                if (passes(*sub, v, depth) && ++matches > 1) {
                    break;
                }
            }
            if (matches != 1) {
                if (!collecting()) return false;
                ok = false;
                report_value(n, "oneOf", v,
                             matches == 0
                                 ? " is not valid under any of the schemas in oneOf"
                                 : " is valid under more than one of the schemas in oneOf");
            }
        }
        if (n.not_schema != nullptr && passes(*n.not_schema, v, depth)) {
            if (!collecting()) return false;
            ok = false;
            report_value(n, "not", v, " must not be valid against the schema in \"not\"");
        }
        if (n.if_schema != nullptr && (n.then_schema != nullptr || n.else_schema != nullptr)) {
            const schema_node* branch =
                passes(*n.if_schema, v, depth) ? n.then_schema : n.else_schema;
            if (branch != nullptr && !eval(*branch, v, depth + 1)) {
                return false;
            }
        }
        return ok;
    }

    [[gnu::noinline]] bool eval_number(const schema_node& n, const value& v) {
        bool ok = true;
        // Each test: the limit, whether it is broken, the keyword and the message text.
        const struct {
            const value* limit;
            int broken_when;  // compare_numbers(v, limit) results that fail, as a bit set
            std::string_view keyword;
            std::string_view text;
        } limits[] = {
            {n.minimum, 1 << 0, "minimum", " is less than the minimum "},
            {n.exclusive_minimum, 1 << 0 | 1 << 1, "exclusiveMinimum",
             " is less than or equal to the exclusive minimum "},
            {n.maximum, 1 << 2, "maximum", " is greater than the maximum "},
            {n.exclusive_maximum, 1 << 2 | 1 << 1, "exclusiveMaximum",
             " is greater than or equal to the exclusive maximum "},
        };
        for (const auto& l : limits) {
            if (l.limit != nullptr &&
                (l.broken_when & (1 << (compare_numbers(v, *l.limit) + 1))) != 0) {
                if (!collecting()) return false;
                ok = false;
                report_versus(n, l.keyword, v, l.text, *l.limit);
            }
        }
        if (n.multiple_of != nullptr && !is_multiple_of(v, *n.multiple_of)) {
            if (!collecting()) return false;
            ok = false;
            report_versus(n, "multipleOf", v, " is not a multiple of ", *n.multiple_of);
        }
        return ok;
    }

    [[gnu::noinline]] bool eval_string(const schema_node& n, const value& v) {
        const std::string_view s = v.get_string();
        bool ok = true;
        if (n.min_length > 0 || n.max_length != no_limit) {
            const std::size_t length = count_code_points(s);
            if (length < n.min_length) {
                if (!collecting()) return false;
                ok = false;
                report_count(n, "minLength", v, " is shorter than ", n.min_length,
                             n.min_length == 1 ? " character" : " characters");
            }
            if (length > n.max_length) {
                if (!collecting()) return false;
                ok = false;
                report_count(n, "maxLength", v, " is longer than ", n.max_length,
                             n.max_length == 1 ? " character" : " characters");
            }
        }
        if (n.pattern != nullptr) {
            bool gave_up = false;
            if (!ecma_search(n.pattern->regex, s, gave_up)) {
                if (!collecting()) return false;
                ok = false;
                report_string(n, "pattern", v,
                              gave_up ? " is too complex to match against pattern "
                                      : " does not match pattern ",
                              n.pattern->source);
            }
        }
        if (n.format != nullptr && !n.format(s)) {
            if (!collecting()) return false;
            ok = false;
            report_string(n, "format", v, " is not a valid ", n.format_name);
        }
        if ((n.content_base64 || n.content_json) && !eval_content(n, v)) {
            if (!collecting()) return false;
            ok = false;
        }
        return ok;
    }

    // contentEncoding base64 / contentMediaType application/json: rare, so allowed to
    // allocate.
    bool eval_content(const schema_node& n, const value& v) {
        const std::string_view s = v.get_string();
        std::string decoded;
        if (n.content_base64 && !base64_decode(s, n.content_json ? &decoded : nullptr)) {
            if (collecting()) {
                report_value(n, "contentEncoding", v, " is not valid base64");
            }
            return false;
        }
        if (n.content_json) {
            boost::json::error_code ec;
            boost::json::parse(n.content_base64 ? std::string_view(decoded) : s, ec);
            if (ec) {
                if (collecting()) {
                    report_value(n, "contentMediaType", v, " is not valid JSON");
                }
                return false;
            }
        }
        return true;
    }

    bool eval_array(const schema_node& n, const value& v, unsigned depth) {
        const array& a = v.get_array();
        bool ok = true;
        if (a.size() < n.min_items) {
            if (!collecting()) return false;
            ok = false;
            report_count(n, "minItems", v, " has fewer than ", n.min_items, " items");
        }
        if (a.size() > n.max_items) {
            if (!collecting()) return false;
            ok = false;
            report_count(n, "maxItems", v, " has more than ", n.max_items, " items");
        }
        if (n.unique_items && !eval_unique(n, v)) {
            if (!collecting()) return false;
            ok = false;
        }
        if (n.items_is_list) {
            for (std::size_t i = 0; i < a.size(); ++i) {
                bool item_ok = true;
                if (i < n.item_list.size()) {
                    item_ok = eval_child(*n.item_list[i], a[i], i, depth);
                } else if (n.additional_items == nullptr) {
                    break;
                } else if (n.additional_items->kind == schema_node::node_kind::reject_all) {
                    item_ok = false;
                    if (collecting()) {
                        report_child(n, "additionalItems", i, "additional item is not allowed");
                    }
                } else {
                    item_ok = eval_child(*n.additional_items, a[i], i, depth);
                }
                if (!item_ok) {
                    if (!collecting()) return false;
                    ok = false;
                }
            }
        } else if (n.items != nullptr) {
            for (std::size_t i = 0; i < a.size(); ++i) {
                if (!eval_child(*n.items, a[i], i, depth)) {
                    if (!collecting()) return false;
                    ok = false;
                }
            }
        }
        if (n.contains != nullptr && std::none_of(a.begin(), a.end(), [&](const value& item) {
                return passes(*n.contains, item, depth);
            })) {
            if (!collecting()) return false;
            ok = false;
            report_value(n, "contains", v, " does not contain a matching item");
        }
        return ok;
    }

    // Pairwise: event arrays are short, and hashing JSON with numeric equality
    // (1 == 1.0) would cost more than it saves.
    [[gnu::noinline]] bool eval_unique(const schema_node& n, const value& v) {
        const array& a = v.get_array();
        for (std::size_t i = 0; i < a.size(); ++i) {
            for (std::size_t j = i + 1; j < a.size(); ++j) {
                if (json_equal(a[i], a[j])) {
                    if (collecting()) {
                        report_value(n, "uniqueItems", v, " has non-unique items",
                                     " (" + std::to_string(i) + " and " + std::to_string(j) + ")");
                    }
                    return false;
                }
            }
        }
        return true;
    }

    bool eval_object(const schema_node& n, const value& v, unsigned depth) {
        const object& o = v.get_object();
        bool ok = true;
        if (o.size() < n.min_properties) {
            if (!collecting()) return false;
            ok = false;
            report_count(n, "minProperties", v, " has fewer than ", n.min_properties,
                         " properties");
        }
        if (o.size() > n.max_properties) {
            if (!collecting()) return false;
            ok = false;
            report_count(n, "maxProperties", v, " has more than ", n.max_properties, " properties");
        }
        for (const std::string& name : n.required) {
            if (!o.contains(name)) {
                if (!collecting()) return false;
                ok = false;
                report_child(n, "required", std::string_view(name), "required property is missing");
            }
        }
        for (const dependency& d : n.dependencies) {
            if (o.contains(d.name) && !eval_dependency(n, d, v, depth)) {
                if (!collecting()) return false;
                ok = false;
            }
        }
        for (const auto& member : o) {
            if (!eval_member(n, member.key(), member.value(), depth)) {
                if (!collecting()) return false;
                ok = false;
            }
        }
        return ok;
    }

    bool eval_dependency(const schema_node& n, const dependency& d, const value& v,
                         unsigned depth) {
        const object& o = v.get_object();
        bool ok = true;
        for (const std::string& name : d.required) {
            if (!o.contains(name)) {
                if (!collecting()) return false;
                ok = false;
                report_missing_dependency(n, d, name);
            }
        }
        if (d.schema != nullptr && !eval(*d.schema, v, depth + 1)) {
            return false;
        }
        return ok;
    }

    [[gnu::cold, gnu::noinline]] void report_missing_dependency(const schema_node& n,
                                                                const dependency& d,
                                                                std::string_view name) {
        std::string keyword = "dependencies/";
        append_pointer_token(keyword, d.name);
        report_child(n, keyword, name,
                     "required property is missing (required by " + quote_string(d.name) + ")");
    }

    bool eval_member(const schema_node& n, std::string_view key, const value& item,
                     unsigned depth) {
        bool ok = true;
        bool matched = false;
        if (!n.properties.empty()) {
            const auto it = std::lower_bound(n.properties.begin(), n.properties.end(), key,
                                             [](const named_subschema& p, std::string_view k) {
                                                 return property_name_less(p.name, k);
                                             });
            if (it != n.properties.end() && it->name == key) {
                matched = true;
                if (!eval_child(*it->schema, item, key, depth)) {
                    if (!collecting()) return false;
                    ok = false;
                }
            }
        }
        for (const pattern_subschema& p : n.pattern_properties) {
            bool gave_up = false;
            if (ecma_search(p.pattern.regex, key, gave_up)) {
                matched = true;
                if (!eval_child(*p.schema, item, key, depth)) {
                    if (!collecting()) return false;
                    ok = false;
                }
            }
        }
        if (!matched && n.additional_properties != nullptr) {
            if (n.additional_properties->kind == schema_node::node_kind::reject_all) {
                if (!collecting()) return false;
                ok = false;
                report_child(n, "additionalProperties", key, "additional property is not allowed");
            } else if (!eval_child(*n.additional_properties, item, key, depth)) {
                if (!collecting()) return false;
                ok = false;
            }
        }
        if (n.property_names != nullptr && !eval_property_name(n, key, depth)) {
            return false;
        }
        return ok;
    }

    // propertyNames applies a schema to a key as if it were a string instance; issues
    // are reported at the member, their messages prefixed with "property name".
    [[gnu::noinline]] bool eval_property_name(const schema_node& n, std::string_view key,
                                              unsigned depth) {
        unsigned char buffer[256];
        boost::json::monotonic_resource resource(buffer, sizeof buffer);
        const value name(boost::json::string_view(key.data(), key.size()), &resource);
        if (!collecting()) {
            return passes(*n.property_names, name, depth);
        }
        std::vector<validation_issue> found;
        if (evaluator(&found).eval(*n.property_names, name, depth + 1)) {
            return true;
        }
        // Most messages start with the value; "property name" then reads as their subject.
        const std::string rendered = render_json(name);
        for (auto& issue : found) {
            const bool starts_with_name = issue.message.compare(0, rendered.size(), rendered) == 0;
            report_child(n, {}, key,
                         starts_with_name ? "property name " + issue.message
                                          : "property name " + rendered + ": " + issue.message);
            issues_->back().schema_pointer = std::move(issue.schema_pointer);
        }
        return false;
    }

    std::vector<validation_issue>* issues_;
    std::string pointer_;  // instance pointer of the value at hand (collecting only)
};

}  // namespace

compiled_schema compiled_schema::compile(const value& root, std::string_view base_uri,
                                         const schema_resolver& resolve, compile_options options) {
    auto impl = std::make_shared<compiled_schema_impl>();
    compile_schema_into(*impl, std::make_shared<const value>(root), base_uri, resolve, options);
    compiled_schema out;
    out.impl_ = std::move(impl);
    return out;
}

bool compiled_schema::is_valid(const value& instance) const noexcept {
    if (!impl_) {
        return true;  // a default-constructed schema is the empty schema
    }
    try {
        return evaluator(nullptr).eval(*impl_->root, instance, 0);
    } catch (...) {
        // Only allocation failures can get here (propertyNames, content checks); "invalid"
        // is the safe answer for a validator.
        return false;
    }
}

bool compiled_schema::validate(const value& instance, std::vector<validation_issue>& issues) const {
    if (!impl_) {
        return true;
    }
    return evaluator(&issues).eval(*impl_->root, instance, 0);
}

}  // namespace jupyter_events::detail
