#include "detail/input_json.hpp"

#include "detail/validator.hpp"

#include <boost/json/parser.hpp>

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

namespace {

bool deeper(const json::value& v, std::size_t level, std::size_t max_depth, std::string& pointer);

// The members of an object at nesting `level` (1 for the outermost container).
bool deeper_members(const json::object& obj, std::size_t level, std::size_t max_depth, std::string& pointer) {
    if (level > max_depth) return true;
    const std::size_t base = pointer.size();
    for (const auto& kv : obj) {
        if (!kv.value().is_structured()) continue;
        pointer += '/';
        append_pointer_token(pointer, kv.key());
        if (deeper(kv.value(), level + 1, max_depth, pointer)) return true;
        pointer.resize(base);
    }
    return false;
}

// `v` is at nesting `level`; `pointer` is its location.
bool deeper(const json::value& v, std::size_t level, std::size_t max_depth, std::string& pointer) {
    if (const auto* obj = v.if_object()) return deeper_members(*obj, level, max_depth, pointer);
    const auto* arr = v.if_array();
    if (!arr) return false;
    if (level > max_depth) return true;
    const std::size_t base = pointer.size();
    for (std::size_t i = 0; i < arr->size(); ++i) {
        if (!(*arr)[i].is_structured()) continue;
        pointer += '/';
        pointer += std::to_string(i);
        if (deeper((*arr)[i], level + 1, max_depth, pointer)) return true;
        pointer.resize(base);
    }
    return false;
}

}  // namespace

std::optional<std::string> nested_deeper_than(const json::value& v, std::size_t max_depth) {
    std::string pointer;
    if (deeper(v, 1, max_depth, pointer)) return pointer;
    return std::nullopt;
}

std::optional<std::string> nested_deeper_than(const json::object& obj, std::size_t max_depth) {
    std::string pointer;
    if (deeper_members(obj, 1, max_depth, pointer)) return pointer;
    return std::nullopt;
}

std::optional<json::value> parse_event_json(std::string_view text, std::string& problem, json::storage_ptr storage) {
    boost::system::error_code ec;
    json::parse_options po;
    po.max_depth = max_input_depth;
    json::parser parser(json::storage_ptr(), po);
    parser.reset(std::move(storage));
    // write() consumes up to the first error, so its count locates the problem.
    const std::size_t used = parser.write(text.data(), text.size(), ec);
    if (ec == json::error::too_deep) {
        problem = "invalid JSON (nesting deeper than " + std::to_string(max_input_depth) + " levels)";
        return std::nullopt;
    }
    if (ec) {
        problem = "invalid JSON (" + ec.message();
        if (used < text.size()) {
            problem += " at byte " + std::to_string(used + 1);
            const auto byte = static_cast<unsigned char>(text[used]);
            if (byte >= 0x80) problem += ": not valid UTF-8";
            else if (byte < 0x20) problem += ": control character; escape it, e.g. \\u0000";
        }
        problem += ")";
        return std::nullopt;
    }
    json::value v = parser.release();
    if (auto pointer = non_finite_number(v)) {
        problem = *pointer + ": number out of range (JSON numbers here must fit a double)";
        return std::nullopt;
    }
    return v;
}

}  // namespace jupyter_events::detail
