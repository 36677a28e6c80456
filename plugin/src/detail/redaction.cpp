#include "detail/redaction.hpp"

#include "detail/validator_uri.hpp"

#include <algorithm>

namespace jupyter_events::detail {

namespace json = boost::json;
using node = category_plan::node;

class plan_builder {
public:
    plan_builder(category_plan& plan, const category_plan::resolver& resolve) : plan_(plan), resolve_(resolve) {}

    const node* visit(const json::value& schema, const std::string& base, const json::value& document) {
        auto memo = seen_.find(&schema);
        if (memo != seen_.end()) return memo->second;
        node& n = plan_.nodes_.emplace_back();
        seen_.emplace(&schema, &n);
        const auto* obj = schema.if_object();
        if (!obj) return &n;  // boolean schemas declare nothing
        if (const auto* ref = obj->if_contains("$ref"); ref && ref->is_string()) {
            // Draft 7: a $ref's siblings are ignored.
            if (const json::value* target = follow(std::string(ref->get_string()), base, document))
                n.also.push_back(visit(*target, target_base_, *target_document_));
            return &n;
        }
        std::string here = base;
        if (const auto* id = obj->if_contains("$id"); id && id->is_string() && &schema != &document)
            here = uri::resolve(base, id->get_string());
        if (const auto* cats = obj->if_contains("categories"); cats && cats->is_array()) {
            n.declared = true;
            plan_.has_categories_ = true;
            for (const auto& c : cats->get_array())
                if (c.is_string()) n.categories.emplace_back(c.get_string());
        }
        if (const auto* props = obj->if_contains("properties"); props && props->is_object())
            for (const auto& kv : props->get_object())
                n.properties.emplace(std::string(kv.key()), visit(kv.value(), here, document));
        if (const auto* items = obj->if_contains("items")) {
            if (items->is_array()) {
                for (const auto& item : items->get_array()) n.items.push_back(visit(item, here, document));
            } else {
                n.items.push_back(visit(*items, here, document));
            }
        }
        for (const char* keyword : {"allOf", "anyOf", "oneOf"})
            if (const auto* list = obj->if_contains(keyword); list && list->is_array())
                for (const auto& sub : list->get_array()) n.also.push_back(visit(sub, here, document));
        return &n;
    }

private:
    // The schema a $ref points to, or nullptr when it cannot be found (the validator has
    // already rejected unresolvable refs at registration; this only skips odd cases such
    // as plain-name fragments).
    const json::value* follow(const std::string& ref, const std::string& base, const json::value& document) {
        const std::string target = uri::resolve(base, ref);
        const std::string doc_uri(uri::without_fragment(target));
        const json::value* doc = nullptr;
        if (doc_uri.empty() || doc_uri == uri::without_fragment(base)) {
            doc = &document;
            target_document_ = &document;
        } else {
            auto found = resolve_(doc_uri);
            if (!found) found = resolve_(uri::without_fragment(ref));  // scheme-less ids as written
            if (!found) return nullptr;
            plan_.documents_.push_back(found);
            doc = found.get();
            target_document_ = found.get();
        }
        target_base_ = doc_uri;
        auto fragment = uri::fragment(target);
        if (!fragment || fragment->empty()) return doc;
        auto decoded = uri::percent_decode(*fragment);
        if (!decoded) return nullptr;
        auto tokens = uri::pointer_tokens(*decoded);
        if (!tokens) return nullptr;
        for (const auto& token : *tokens) {
            if (const auto* o = doc->if_object()) {
                doc = o->if_contains(token);
            } else if (const auto* a = doc->if_array()) {
                char* end = nullptr;
                const unsigned long i = std::strtoul(token.c_str(), &end, 10);
                doc = (end && *end == '\0' && i < a->size()) ? &(*a)[i] : nullptr;
            } else {
                doc = nullptr;
            }
            if (!doc) return nullptr;
        }
        return doc;
    }

    category_plan& plan_;
    const category_plan::resolver& resolve_;
    std::unordered_map<const json::value*, const node*> seen_;
    std::string target_base_;
    const json::value* target_document_ = nullptr;
};

std::shared_ptr<const category_plan> category_plan::build(const json::value& schema, const std::string& id,
                                                          const resolver& resolve) {
    auto plan = std::make_shared<category_plan>();
    plan_builder builder(*plan, resolve);
    plan->root_ = builder.visit(schema, id, schema);
    return plan;
}

redaction_policy make_policy(const allowed_schema& entry) {
    redaction_policy p;
    if (entry.allowed_categories) {
        for (const auto& c : *entry.allowed_categories) {
            if (c == "*") p.off = true;
            p.categories.insert(c);
        }
    }
    p.properties.insert(entry.allowed_properties.begin(), entry.allowed_properties.end());
    return p;
}

namespace {

// The nodes `start` stands for: itself and everything it reaches through $ref/allOf/...
void closure(const node* start, std::vector<const node*>& out) {
    if (std::find(out.begin(), out.end(), start) != out.end()) return;
    out.push_back(start);
    for (const node* n : start->also) closure(n, out);
}

struct verdict {
    bool declared = false;
    bool allowed = true;
};

verdict judge(const std::vector<const node*>& nodes, const redaction_policy& policy) {
    verdict v;
    for (const node* n : nodes) {
        if (!n->declared) continue;
        v.declared = true;
        for (const auto& c : n->categories)
            if (c != "unrestricted" && !policy.categories.count(c)) v.allowed = false;
    }
    return v;
}

json::value redact_value(const json::value& value, const std::vector<const node*>& nodes,
                         const redaction_policy& policy);

json::object redact_object(const json::object& obj, const std::vector<const node*>& nodes,
                           const redaction_policy& policy, bool top_level) {
    json::object out(obj.storage());
    out.reserve(obj.size());
    for (const auto& kv : obj) {
        if (top_level && policy.properties.count(kv.key())) {
            out.emplace(kv.key(), kv.value());
            continue;
        }
        std::vector<const node*> children;
        for (const node* n : nodes) {
            auto it = n->properties.find(kv.key());
            if (it != n->properties.end()) closure(it->second, children);
        }
        const verdict v = judge(children, policy);
        // Top-level keys must declare categories to be written (undeclared ones included);
        // nested ones without categories follow their parent, which was allowed.
        const bool keep = v.declared ? v.allowed : !top_level;
        out.emplace(kv.key(), keep ? redact_value(kv.value(), children, policy) : json::value(nullptr));
    }
    return out;
}

json::value redact_value(const json::value& value, const std::vector<const node*>& nodes,
                         const redaction_policy& policy) {
    if (const auto* obj = value.if_object()) return redact_object(*obj, nodes, policy, false);
    if (const auto* arr = value.if_array()) {
        std::vector<const node*> items;
        for (const node* n : nodes)
            for (const node* item : n->items) closure(item, items);
        if (items.empty()) return *arr;
        const verdict v = judge(items, policy);
        json::array out;
        out.reserve(arr->size());
        for (const auto& element : *arr)  // each item on its own
            out.push_back(v.declared && !v.allowed ? json::value(nullptr) : redact_value(element, items, policy));
        return out;
    }
    return value;
}

}  // namespace

json::object redact(const json::object& event, const category_plan& plan, const redaction_policy& policy) {
    std::vector<const node*> root;
    closure(&plan.root(), root);
    return redact_object(event, root, policy, true);
}

}  // namespace jupyter_events::detail
