// Small text helpers shared by the JSON writer, the validator, its formats and its regex
// translation: one strict UTF-8 decoder, one hex digit reader.
#pragma once

#include <cstddef>
#include <string_view>

namespace jupyter_events::detail {

/// Decodes the UTF-8 sequence starting at s[i] into `cp`. Returns its length in bytes,
/// or 0 when it is invalid: a bad lead or continuation byte, truncated, overlong, a
/// surrogate, or beyond U+10FFFF.
inline std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) noexcept {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t len;
    char32_t min;
    if (lead < 0x80) {
        cp = lead;
        return 1;
    } else if ((lead & 0xE0) == 0xC0) {
        len = 2, cp = lead & 0x1Fu, min = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        len = 3, cp = lead & 0x0Fu, min = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        len = 4, cp = lead & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (c & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

/// The value of a hexadecimal digit, or -1.
inline int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace jupyter_events::detail
