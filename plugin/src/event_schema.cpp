#include <jupyter_events/event_schema.hpp>

#include "detail/schema_impl.hpp"

namespace jupyter_events {
namespace {

// Event keys starting with "__" would collide with the envelope (Python lets them
// overwrite it; we refuse them).
bool reserved_key(std::string_view key) noexcept { return key.size() >= 2 && key[0] == '_' && key[1] == '_'; }

}  // namespace

const std::string& event_schema::id() const noexcept { return impl_->id; }
const std::string& event_schema::version() const noexcept { return impl_->version; }
const boost::json::value& event_schema::json() const noexcept { return *impl_->document; }
const std::string& event_schema::source() const noexcept { return impl_->source; }

bool event_schema::is_valid(const boost::json::value& event) const noexcept {
    const auto* obj = event.if_object();
    if (!obj) return false;
    for (const auto& kv : *obj)
        if (reserved_key(kv.key())) return false;
    return impl_->validator.is_valid(event);
}

bool event_schema::validate(const boost::json::value& event,
                            std::vector<validation_issue>& issues) const {
    const auto* obj = event.if_object();
    if (!obj) {
        issues.push_back({"", "", "an event must be a JSON object"});
        return false;
    }
    bool ok = true;
    for (const auto& kv : *obj) {
        if (reserved_key(kv.key())) {
            std::string pointer = "/";
            detail::append_pointer_token(pointer, kv.key());
            issues.push_back({pointer, "",
                              "field names starting with \"__\" are reserved for the envelope; "
                              "rename the field"});
            ok = false;
        }
    }
    return impl_->validator.validate(event, issues) && ok;
}

}  // namespace jupyter_events
