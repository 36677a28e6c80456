#include "detail/input_json.hpp"

#include "detail/validator.hpp"

#include <boost/json/parse.hpp>

#include <cmath>
#include <utility>

namespace jupyter_events::detail {

namespace json = boost::json;

std::optional<std::string> non_finite_number(const json::value& v) {
    if (v.is_double() && !std::isfinite(v.get_double())) return std::string();
    if (const auto* arr = v.if_array()) {
        for (std::size_t i = 0; i < arr->size(); ++i)
            if (auto p = non_finite_number((*arr)[i])) return "/" + std::to_string(i) + *p;
    } else if (const auto* obj = v.if_object()) {
        for (const auto& kv : *obj) {
            if (auto p = non_finite_number(kv.value())) {
                std::string token = "/";
                append_pointer_token(token, kv.key());
                return token + *p;
            }
        }
    }
    return std::nullopt;
}

std::optional<json::value> parse_event_json(std::string_view text, std::string& problem, json::storage_ptr storage) {
    boost::system::error_code ec;
    json::parse_options po;
    po.max_depth = max_input_depth;
    json::value v = json::parse(json::string_view(text.data(), text.size()), ec, std::move(storage), po);
    if (ec == json::error::too_deep) {
        problem = "invalid JSON (nesting deeper than " + std::to_string(max_input_depth) + " levels)";
        return std::nullopt;
    }
    if (ec) {
        problem = "invalid JSON (" + ec.message() + ")";
        return std::nullopt;
    }
    if (auto pointer = non_finite_number(v)) {
        problem = *pointer + ": number out of range (JSON numbers here must fit a double)";
        return std::nullopt;
    }
    return v;
}

}  // namespace jupyter_events::detail
