// Redaction by category (jupyter_telemetry): a schema's properties may carry
// `categories: [...]`; an allowed_schemas entry says which categories (and which
// top-level properties) may be written. Everything else is written as null.
#pragma once

#include <jupyter_events/config.hpp>

#include <boost/json/value.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace jupyter_events::detail {

/// Where categories are declared in one schema, as a graph of its subschemas (so
/// recursive `$ref`s are finite): each node has its own categories, its `properties`,
/// its `items`, and the subschemas it also stands for (`$ref`, `allOf`, `anyOf`, `oneOf`).
class category_plan {
public:
    struct node {
        bool declared = false;               // has a `categories` keyword
        std::vector<std::string> categories;
        std::map<std::string, const node*, std::less<>> properties;
        std::vector<const node*> items;      // `items` (a schema, or each of a tuple)
        std::vector<const node*> also;       // $ref, allOf, anyOf, oneOf
    };

    using resolver = std::function<std::shared_ptr<const boost::json::value>(std::string_view uri)>;

    /// Builds the plan of `schema` (whose `$id` is `id`); `resolve` finds other documents.
    static std::shared_ptr<const category_plan> build(const boost::json::value& schema, const std::string& id,
                                                      const resolver& resolve);

    /// True if any property anywhere declares categories (redaction applies).
    bool has_categories() const noexcept { return has_categories_; }
    const node& root() const noexcept { return *root_; }

private:
    std::deque<node> nodes_;
    std::vector<std::shared_ptr<const boost::json::value>> documents_;  // keeps $ref targets alive
    const node* root_ = nullptr;
    bool has_categories_ = false;
    friend class plan_builder;
};

/// What one allowed_schemas entry lets through.
struct redaction_policy {
    bool off = false;                                 // allowed_categories: ["*"]
    std::set<std::string, std::less<>> categories;    // "unrestricted" is always allowed
    std::set<std::string, std::less<>> properties;    // top-level names always kept
};

/// The policy of `entry` (a plain id or "*" means allowed_categories: []).
redaction_policy make_policy(const allowed_schema& entry);

/// A copy of `event` with every property the policy does not allow written as null.
/// The caller's event is not changed.
boost::json::object redact(const boost::json::object& event, const category_plan& plan,
                           const redaction_policy& policy);

}  // namespace jupyter_events::detail
