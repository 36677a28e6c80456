// Value-level helpers of the validator: exact number comparison, multipleOf, JSON
// equality, and rendering values into messages.

#include "detail/validator_impl.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace jupyter_events::detail {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

// Exact comparison of two JSON numbers whatever their storage (int64, uint64, double):
// converting a large integer to double would make 2^53 + 1 equal 2^53.
// NaN (an API caller's value; JSON text has none) is unordered, as in the double-double
// case of compare_numbers; it must never reach the integer cast below (undefined behaviour).
int compare_int_double(std::int64_t i, double d) noexcept {
    if (std::isnan(d)) return 0;
    if (d >= 9223372036854775808.0) return -1;
    if (d < -9223372036854775808.0) return 1;
    const double whole = std::trunc(d);
    const auto w = static_cast<std::int64_t>(whole);
    if (i != w) return i < w ? -1 : 1;
    const double fraction = d - whole;
    return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
}

int compare_uint_double(std::uint64_t u, double d) noexcept {
    if (std::isnan(d)) return 0;
    if (d < 0) return 1;
    if (d >= 18446744073709551616.0) return -1;
    const double whole = std::trunc(d);
    const auto w = static_cast<std::uint64_t>(whole);
    if (u != w) return u < w ? -1 : 1;
    return d > whole ? -1 : 0;
}

bool is_integral_double(double d) noexcept { return std::isfinite(d) && std::trunc(d) == d; }

// |v| of an integer-valued JSON number, when it fits in 64 bits.
bool integer_magnitude(const value& v, std::uint64_t& out) noexcept {
    if (v.is_uint64()) {
        out = v.get_uint64();
        return true;
    }
    if (v.is_int64()) {
        const std::int64_t i = v.get_int64();
        out = i < 0 ? static_cast<std::uint64_t>(-(i + 1)) + 1 : static_cast<std::uint64_t>(i);
        return true;
    }
    const double d = v.get_double();
    if (is_integral_double(d) && std::fabs(d) < 18446744073709551616.0) {
        out = static_cast<std::uint64_t>(std::fabs(d));
        return true;
    }
    return false;
}

// Stops copying once `out` passes `limit`: the caller truncates anyway, and a 1 MB string
// in a message would be a 1 MB copy.
void append_json_string(std::string& out, std::string_view s, std::size_t limit) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    for (char c : s) {
        if (out.size() > limit) {
            break;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += "\\u00";
                    out.push_back(hex[(c >> 4) & 0xF]);
                    out.push_back(hex[c & 0xF]);
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
}

// Compact JSON like boost::json::serialize, but doubles in shortest round-trip form
// (serialize writes 7.5 as "7.5E0") and stopping once `limit` is passed, so quoting a
// huge or deeply nested value costs no more than quoting a small one.
void render_into(std::string& out, const value& v, std::size_t limit) {
    if (out.size() > limit) {
        return;
    }
    switch (v.kind()) {
        case boost::json::kind::null: out += "null"; break;
        case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
        case boost::json::kind::int64: out += std::to_string(v.get_int64()); break;
        case boost::json::kind::uint64: out += std::to_string(v.get_uint64()); break;
        case boost::json::kind::double_: {
            char buffer[32];
            const auto result = std::to_chars(buffer, buffer + sizeof buffer, v.get_double());
            out.append(buffer, result.ptr);
            break;
        }
        case boost::json::kind::string: append_json_string(out, v.get_string(), limit); break;
        case boost::json::kind::array: {
            out.push_back('[');
            bool first = true;
            for (const value& item : v.get_array()) {
                if (out.size() > limit) break;
                if (!first) out.push_back(',');
                first = false;
                render_into(out, item, limit);
            }
            out.push_back(']');
            break;
        }
        case boost::json::kind::object: {
            out.push_back('{');
            bool first = true;
            for (const auto& member : v.get_object()) {
                if (out.size() > limit) break;
                if (!first) out.push_back(',');
                first = false;
                append_json_string(out, member.key(), limit);
                out.push_back(':');
                render_into(out, member.value(), limit);
            }
            out.push_back('}');
            break;
        }
    }
}

}  // namespace

int compare_numbers(const value& a, const value& b) noexcept {
    switch (a.kind()) {
        case boost::json::kind::int64: {
            const std::int64_t x = a.get_int64();
            if (b.is_int64()) return x < b.get_int64() ? -1 : x > b.get_int64() ? 1 : 0;
            if (b.is_uint64()) {
                return x < 0                                            ? -1
                       : static_cast<std::uint64_t>(x) < b.get_uint64() ? -1
                       : static_cast<std::uint64_t>(x) > b.get_uint64() ? 1
                                                                        : 0;
            }
            return compare_int_double(x, b.get_double());
        }
        case boost::json::kind::uint64: {
            const std::uint64_t x = a.get_uint64();
            if (b.is_uint64()) return x < b.get_uint64() ? -1 : x > b.get_uint64() ? 1 : 0;
            if (b.is_int64()) return -compare_numbers(b, a);
            return compare_uint_double(x, b.get_double());
        }
        default: {
            const double x = a.get_double();
            if (b.is_double()) return x < b.get_double() ? -1 : x > b.get_double() ? 1 : 0;
            return -compare_numbers(b, a);
        }
    }
}

bool is_multiple_of(const value& v, const value& divisor) noexcept {
    std::uint64_t n = 0, d = 0;
    // Integers stay integers: 2^62 + 1 is not a multiple of 2, whatever a double says.
    if (!v.is_double() && integer_magnitude(divisor, d) && integer_magnitude(v, n) && d != 0) {
        return n % d == 0;
    }
    const double x = v.to_number<double>();
    const double y = divisor.to_number<double>();
    const double quotient = x / y;
    if (!std::isfinite(quotient)) {
        // The quotient overflowed: no rounding slack is needed at this magnitude, and
        // fmod is exact, so 1e308 is a multiple of 0.5 but not of 0.123456789.
        return std::fmod(x, y) == 0;
    }
    // Decimal divisors such as 0.01 are not exact in binary: accept a quotient within
    // rounding error of an integer.
    return std::fabs(quotient - std::round(quotient)) <= 1e-12 * std::max(1.0, std::fabs(quotient));
}

bool base64_decode(std::string_view s, std::string* out) {
    const auto digit = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    if (s.size() % 4 != 0) {
        return false;
    }
    std::size_t padding = 0;
    while (padding < 2 && padding < s.size() && s[s.size() - 1 - padding] == '=') {
        ++padding;
    }
    std::uint32_t bits = 0;
    int count = 0;
    for (std::size_t i = 0; i < s.size() - padding; ++i) {
        const int d = digit(s[i]);
        if (d < 0) {
            return false;
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(d);
        count += 6;
        if (count >= 8) {
            count -= 8;
            if (out != nullptr) {
                out->push_back(static_cast<char>((bits >> count) & 0xFF));
            }
        }
    }
    return true;
}

std::string render_json(const value& v, std::size_t limit) {
    std::string out;
    render_into(out, v, limit);
    if (out.size() > limit) {
        std::size_t cut = limit > 3 ? limit - 3 : 0;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        out.resize(cut);
        out += "...";
    }
    return out;
}

std::string quote_string(std::string_view s) {
    std::string out;
    append_json_string(out, s, no_limit);
    return out;
}

bool json_equal(const value& a, const value& b) noexcept {
    if (a.is_number() && b.is_number()) {
        return compare_numbers(a, b) == 0;
    }
    if (a.kind() != b.kind()) {
        return false;
    }
    switch (a.kind()) {
        case boost::json::kind::null: return true;
        case boost::json::kind::bool_: return a.get_bool() == b.get_bool();
        case boost::json::kind::string: return a.get_string() == b.get_string();
        case boost::json::kind::array: {
            const array& x = a.get_array();
            const array& y = b.get_array();
            return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), json_equal);
        }
        case boost::json::kind::object: {
            const object& x = a.get_object();
            const object& y = b.get_object();
            if (x.size() != y.size()) {
                return false;
            }
            for (const auto& member : x) {
                const value* other = y.if_contains(member.key());
                if (other == nullptr || !json_equal(member.value(), *other)) {
                    return false;
                }
            }
            return true;
        }
        default: return false;  // numbers were handled above
    }
}

void append_pointer_token(std::string& out, std::string_view s) {
    for (char c : s) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out.push_back(c);
        }
    }
}

std::string unescape_pointer_token(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
            out.push_back(token[i + 1] == '1' ? '/' : '~');
            ++i;
        } else {
            out.push_back(token[i]);
        }
    }
    return out;
}

}  // namespace jupyter_events::detail
