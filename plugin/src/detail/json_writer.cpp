#include "detail/json_writer.hpp"

#include "detail/utf8.hpp"
#include "detail/validator.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace jupyter_events::detail {
namespace {

namespace json = boost::json;

constexpr char hex_digits[] = "0123456789abcdef";

void append_u_escape(std::string& out, char32_t cp) {
    char buf[6] = {'\\', 'u', hex_digits[(cp >> 12) & 0xF], hex_digits[(cp >> 8) & 0xF], hex_digits[(cp >> 4) & 0xF],
                   hex_digits[cp & 0xF]};
    out.append(buf, 6);
}

// True when none of the 8 bytes needs a look: each is printable ASCII (0x20..0x7E) other
// than '"' and '\\'. Word-at-a-time (SWAR): JSON string escaping was ~14% of recording a
// valid event (perf), nearly all of it the byte loop over text that needs no escaping.
inline bool plain_ascii8(const char* p) noexcept {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    const std::uint64_t below_space = (x - ones * 0x20) & ~x & highs;  // some byte < 0x20 (for x < 0x80)
    return ((x & highs) | below_space | has_zero(x ^ (ones * 0x22)) | has_zero(x ^ (ones * 0x5C)) |
            has_zero(x ^ (ones * 0x7F))) == 0;
}

}  // namespace

bool write_member(std::string& out, const json::key_value_pair& kv, json_style style, std::string& bad_pointer);

bool write_json_string(std::string& out, std::string_view s, json_style style) {
    out += '"';
    const bool ascii = style == json_style::python;
    std::size_t run = 0;  // start of the pending run of bytes copied verbatim
    for (std::size_t i = 0; i < s.size();) {
        if (s.size() - i >= 8 && plain_ascii8(s.data() + i)) {
            i += 8;
            continue;
        }
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            char32_t cp;
            const std::size_t len = decode_utf8(s, i, cp);
            if (len == 0) return false;
            if (!ascii) {
                i += len;
                continue;
            }
            out.append(s.data() + run, i - run);
            if (cp >= 0x10000) {
                cp -= 0x10000;
                append_u_escape(out, 0xD800 + (cp >> 10));
                append_u_escape(out, 0xDC00 + (cp & 0x3FF));
            } else {
                append_u_escape(out, cp);
            }
            i += len;
            run = i;
            continue;
        }
        if (c == 0x7F && !ascii) {
            ++i;
            continue;
        }
        out.append(s.data() + run, i - run);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default: append_u_escape(out, c); break;  // other controls, and DEL in Python's ASCII mode
        }
        ++i;
        run = i;
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
    return true;
}

void append_python_float(std::string& out, double d) {
    if (d == 0) {
        out += std::signbit(d) ? "-0.0" : "0.0";
        return;
    }
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));  // "-1.2345e+03"
    const bool negative = sci[0] == '-';
    if (negative) sci.remove_prefix(1);
    const auto e = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e))
        if (c != '.') digits += c;
    const int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
    const int decpt = exponent + 1;  // position of the decimal point relative to the digits
    if (negative) out += '-';
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            out += "0.";
            out.append(static_cast<std::size_t>(-decpt), '0');
            out += digits;
        } else if (static_cast<std::size_t>(decpt) >= digits.size()) {
            out += digits;
            out.append(static_cast<std::size_t>(decpt) - digits.size(), '0');
            out += ".0";
        } else {
            out.append(digits, 0, static_cast<std::size_t>(decpt));
            out += '.';
            out.append(digits, static_cast<std::size_t>(decpt), std::string::npos);
        }
        return;
    }
    out += digits[0];
    if (digits.size() > 1) {
        out += '.';
        out.append(digits, 1, std::string::npos);
    }
    out += 'e';
    out += exponent < 0 ? '-' : '+';
    const int a = exponent < 0 ? -exponent : exponent;
    if (a < 10) out += '0';
    out += std::to_string(a);
}

// "key": value. The culprit's pointer is only built on failure (keeps the hot path
// allocation-free).
bool write_member(std::string& out, const json::key_value_pair& kv, json_style style, std::string& bad_pointer) {
    const bool key_ok = write_json_string(out, kv.key(), style);
    if (key_ok) {
        out += style == json_style::python ? ": " : ":";
        if (write_json(out, kv.value(), style, bad_pointer)) return true;
    } else {
        bad_pointer.clear();
    }
    std::string token = "/";
    append_pointer_token(token, kv.key());
    bad_pointer.insert(0, token);
    return false;
}

bool write_json(std::string& out, const json::value& v, json_style style, std::string& bad_pointer) {
    const bool python = style == json_style::python;
    switch (v.kind()) {
        case json::kind::null: out += "null"; return true;
        case json::kind::bool_: out += v.get_bool() ? "true" : "false"; return true;
        case json::kind::int64: {
            char buf[24];
            auto r = std::to_chars(buf, buf + sizeof buf, v.get_int64());
            out.append(buf, r.ptr);
            return true;
        }
        case json::kind::uint64: {
            char buf[24];
            auto r = std::to_chars(buf, buf + sizeof buf, v.get_uint64());
            out.append(buf, r.ptr);
            return true;
        }
        case json::kind::double_:
            if (!std::isfinite(v.get_double())) {
                bad_pointer.clear();
                return false;
            }
            append_python_float(out, v.get_double());
            return true;
        case json::kind::string:
            if (write_json_string(out, v.get_string(), style)) return true;
            bad_pointer.clear();
            return false;
        case json::kind::array: {
            out += '[';
            std::size_t i = 0;
            for (const auto& item : v.get_array()) {
                if (i) out += python ? ", " : ",";
                if (!write_json(out, item, style, bad_pointer)) {
                    bad_pointer.insert(0, "/" + std::to_string(i));
                    return false;
                }
                ++i;
            }
            out += ']';
            return true;
        }
        case json::kind::object: {
            out += '{';
            bool first = true;
            for (const auto& kv : v.get_object()) {
                if (!first) out += python ? ", " : ",";
                first = false;
                if (!write_member(out, kv, style, bad_pointer)) return false;
            }
            out += '}';
            return true;
        }
    }
    return false;
}

bool write_event_line(std::string& out, std::string_view timestamp, std::string_view schema_id,
                      std::string_view version, const json::object& event, json_style style,
                      std::string& bad_pointer) {
    const bool python = style == json_style::python;
    const char* sep = python ? ", " : ",";
    const char* colon = python ? ": " : ":";
    out += python ? "{\"__timestamp__\": \"" : "{\"__timestamp__\":\"";
    out += timestamp;  // only digits and punctuation: no escaping needed
    out += '"';
    out += sep;
    out += "\"__schema__\"";
    out += colon;
    if (!write_json_string(out, schema_id, style)) return false;
    out += sep;
    out += "\"__schema_version__\"";
    out += colon;
    if (!write_json_string(out, version, style)) return false;
    out += sep;
    out += "\"__metadata_version__\"";
    out += colon;
    out += '1';
    for (const auto& kv : event) {
        out += sep;
        if (!write_member(out, kv, style, bad_pointer)) return false;
    }
    out += '}';
    return true;
}

}  // namespace jupyter_events::detail
