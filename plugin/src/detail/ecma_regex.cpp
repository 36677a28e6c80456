#include "detail/ecma_regex.hpp"
#include "detail/utf8.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace jupyter_events::detail {
namespace {

// Building blocks over UTF-8 bytes. Instances are valid UTF-8 (the event writer checks),
// so "a lead byte and its continuation bytes" is one code point.
constexpr std::string_view any_char = R"((?:[\x00-\x7F]|[\xC0-\xFF][\x80-\xBF]*))";
constexpr std::string_view non_ascii_char = R"([\xC0-\xFF][\x80-\xBF]*)";
// ECMA 262 `.` excludes the line terminators \n, \r, U+2028 and U+2029.
constexpr std::string_view dot_char =
    R"((?:[^\n\r\x80-\xFF]|(?!\xE2\x80[\xA8\xA9])[\xC0-\xFF][\x80-\xBF]*))";
// ECMA 262 WhiteSpace and LineTerminator: the ASCII ones plus U+00A0, U+1680,
// U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF.
constexpr std::string_view space_char =
    R"((?:[\t\n\x0B\x0C\r ]|\xC2\xA0|\xE1\x9A\x80|\xE2\x80[\x80-\x8A\xA8\xA9\xAF])"
    R"(|\xE2\x81\x9F|\xE3\x80\x80|\xEF\xBB\xBF))";
constexpr std::string_view not_digit_char = R"((?:[^0-9\x80-\xFF]|[\xC0-\xFF][\x80-\xBF]*))";
constexpr std::string_view not_word_char = R"((?:[^A-Za-z0-9_\x80-\xFF]|[\xC0-\xFF][\x80-\xBF]*))";

constexpr char32_t space_code_points[][2] = {{0xA0, 0xA0},     {0x1680, 0x1680}, {0x2000, 0x200A},
                                             {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F},
                                             {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};

std::string not_space_char() {
    return "(?:(?!" + std::string(space_char) + ")" + std::string(any_char) + ")";
}

void append_hex_byte(std::string& out, unsigned byte) {
    static constexpr char digits[] = "0123456789ABCDEF";
    out += "\\x";
    out.push_back(digits[(byte >> 4) & 0xF]);
    out.push_back(digits[byte & 0xF]);
}

std::string encode_utf8(char32_t cp) {
    std::string out;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    return out;
}

// One code point as a pattern atom; multi-byte ones are grouped so a quantifier after
// them repeats the whole character.
std::string code_point_atom(char32_t cp) {
    std::string out;
    const std::string bytes = encode_utf8(cp);
    if (bytes.size() > 1) {
        out += "(?:";
    }
    for (char b : bytes) {
        append_hex_byte(out, static_cast<unsigned char>(b));
    }
    if (bytes.size() > 1) {
        out += ")";
    }
    return out;
}

// Byte-sequence alternatives matching exactly the code points lo..hi, all of one encoded
// length: split until each byte position covers a contiguous range of its own.
void utf8_range_alternatives(char32_t lo, char32_t hi, std::vector<std::string>& out) {
    const std::size_t length = encode_utf8(lo).size();
    for (std::size_t i = 1; i < length; ++i) {
        const char32_t mask = (char32_t{1} << (6 * i)) - 1;
        if ((lo & ~mask) != (hi & ~mask)) {
            if ((lo & mask) != 0) {
                utf8_range_alternatives(lo, lo | mask, out);
                utf8_range_alternatives((lo | mask) + 1, hi, out);
                return;
            }
            if ((hi & mask) != mask) {
                utf8_range_alternatives(lo, (hi & ~mask) - 1, out);
                utf8_range_alternatives(hi & ~mask, hi, out);
                return;
            }
        }
    }
    const std::string a = encode_utf8(lo);
    const std::string b = encode_utf8(hi);
    std::string seq;
    for (std::size_t k = 0; k < a.size(); ++k) {
        if (a[k] == b[k]) {
            append_hex_byte(seq, static_cast<unsigned char>(a[k]));
        } else {
            seq += "[";
            append_hex_byte(seq, static_cast<unsigned char>(a[k]));
            seq += "-";
            append_hex_byte(seq, static_cast<unsigned char>(b[k]));
            seq += "]";
        }
    }
    out.push_back(std::move(seq));
}

void non_ascii_alternatives(char32_t lo, char32_t hi, std::vector<std::string>& out) {
    static constexpr char32_t length_ends[] = {0x7FF, 0xFFFF, 0x10FFFF};
    for (char32_t end : length_ends) {
        if (lo > hi) {
            return;
        }
        if (lo <= end) {
            const char32_t upto = hi < end ? hi : end;
            utf8_range_alternatives(lo, upto, out);
            lo = upto + 1;
        }
    }
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool is_syntax_char(char c) noexcept {
    return std::string_view(R"(^$\.*+?()[]{}|/)").find(c) != std::string_view::npos;
}

class translator {
public:
    explicit translator(std::string_view p) : p_(p) {}

    bool run(std::string& out, std::string& problem) {
        out.clear();
        out_ = &out;
        if (!translate_sequence()) {
            problem = std::move(problem_);
            return false;
        }
        return true;
    }

private:
    // What one escape or literal in a character class stands for.
    struct class_atom {
        bool is_class = false;  // \d \w \s and negations: no range endpoint
        char32_t cp = 0;
    };

    bool fail(std::string message) {
        problem_ = std::move(message);
        return false;
    }

    bool at_end() const noexcept { return i_ >= p_.size(); }

    // Reads one UTF-8 code point of the pattern itself.
    bool read_code_point(char32_t& cp) {
        const std::size_t length = decode_utf8(p_, i_, cp);
        if (length == 0) {
            return fail("invalid UTF-8 in pattern");
        }
        i_ += length;
        return true;
    }

    bool read_hex(std::size_t count, char32_t& value) {
        value = 0;
        for (std::size_t k = 0; k < count; ++k, ++i_) {
            const int d = at_end() ? -1 : hex_digit(p_[i_]);
            if (d < 0) {
                return fail("invalid hexadecimal escape");
            }
            value = value * 16 + static_cast<char32_t>(d);
        }
        return true;
    }

    // After "\u": XXXX, a surrogate pair \uD83D\uDC32, or {X...}.
    bool read_unicode_escape(char32_t& cp) {
        if (!at_end() && p_[i_] == '{') {
            ++i_;
            cp = 0;
            std::size_t digits = 0;
            while (!at_end() && p_[i_] != '}') {
                const int d = hex_digit(p_[i_]);
                if (d < 0 || ++digits > 6) {
                    return fail("invalid \\u{...} escape");
                }
                cp = cp * 16 + static_cast<char32_t>(d);
                ++i_;
            }
            if (at_end() || digits == 0 || cp > 0x10FFFF) {
                return fail("invalid \\u{...} escape");
            }
            ++i_;
            return true;
        }
        if (!read_hex(4, cp)) {
            return false;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF && p_.substr(i_, 2) == "\\u") {
            const std::size_t save = i_;
            i_ += 2;
            char32_t low = 0;
            if (read_hex(4, low) && low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
                i_ = save;
                problem_.clear();
            }
        }
        return true;
    }

    // Escapes that denote one character, shared by classes and the top level. `i_` is
    // past the backslash and at the escape letter.
    bool read_character_escape(char32_t& cp, bool in_class) {
        const char e = p_[i_++];
        switch (e) {
            case 't': cp = '\t'; return true;
            case 'n': cp = '\n'; return true;
            case 'r': cp = '\r'; return true;
            case 'v': cp = 0x0B; return true;
            case 'f': cp = 0x0C; return true;
            case '0':
                if (!at_end() && is_digit(p_[i_])) {
                    return fail("octal escapes are not valid ECMA 262");
                }
                cp = 0;
                return true;
            case 'c':
                if (at_end() ||
                    !((p_[i_] >= 'a' && p_[i_] <= 'z') || (p_[i_] >= 'A' && p_[i_] <= 'Z'))) {
                    return fail("\\c must be followed by a letter");
                }
                cp = static_cast<char32_t>(p_[i_++]) % 32;
                return true;
            case 'x': return read_hex(2, cp);
            case 'u': return read_unicode_escape(cp);
            case '-': cp = '-'; return true;
            case 'b':
                if (in_class) {
                    cp = 0x08;
                    return true;
                }
                break;
            default:
                if (is_syntax_char(e)) {
                    cp = static_cast<unsigned char>(e);
                    return true;
                }
                break;
        }
        if (e == 'p' || e == 'P') {
            return fail("Unicode property escapes (\\p{...}) are not supported");
        }
        return fail(std::string("invalid escape \\") + e);
    }

    bool translate_escape() {
        ++i_;  // the backslash
        if (at_end()) {
            return fail("pattern ends with a backslash");
        }
        const char e = p_[i_];
        switch (e) {
            case 'd':
                ++i_;
                *out_ += "[0-9]";
                return true;
            case 'D':
                ++i_;
                *out_ += not_digit_char;
                return true;
            case 'w':
                ++i_;
                *out_ += "[A-Za-z0-9_]";
                return true;
            case 'W':
                ++i_;
                *out_ += not_word_char;
                return true;
            case 's':
                ++i_;
                *out_ += space_char;
                return true;
            case 'S':
                ++i_;
                *out_ += not_space_char();
                return true;
            case 'b':
                ++i_;
                *out_ += "\\b";
                quantifiable_ = false;
                return true;
            case 'B':
                ++i_;
                *out_ += "\\B";
                quantifiable_ = false;
                return true;
            case 'k': {
                const auto close = p_.find('>', i_);
                if (p_.substr(i_, 2) != "k<" || close == std::string_view::npos) {
                    return fail("\\k must name a group: \\k<name>");
                }
                *out_ += "\\";
                out_->append(p_.substr(i_, close + 1 - i_));
                i_ = close + 1;
                return true;
            }
            default: break;
        }
        if (e >= '1' && e <= '9') {
            std::string number;
            while (!at_end() && is_digit(p_[i_])) {
                number.push_back(p_[i_++]);
            }
            *out_ += "\\g{" + number + "}";
            return true;
        }
        char32_t cp = 0;
        if (!read_character_escape(cp, false)) {
            return false;
        }
        *out_ += code_point_atom(cp);
        return true;
    }

    bool read_class_atom(class_atom& atom, std::string& ascii_set,
                         std::vector<std::string>& alternatives,
                         std::vector<std::pair<char32_t, char32_t>>& ranges) {
        if (p_[i_] != '\\') {
            atom.is_class = false;
            return read_code_point(atom.cp);
        }
        ++i_;
        if (at_end()) {
            return fail("pattern ends with a backslash");
        }
        atom.is_class = true;
        switch (p_[i_]) {
            case 'd':
                ++i_;
                ascii_set += "0-9";
                return true;
            case 'w':
                ++i_;
                ascii_set += "A-Za-z0-9_";
                return true;
            case 's':
                ++i_;
                ascii_set += "\\t\\n\\x0B\\x0C\\r ";
                for (const auto& r : space_code_points) {
                    ranges.emplace_back(r[0], r[1]);
                }
                return true;
            case 'D':
                ++i_;
                alternatives.emplace_back(not_digit_char);
                return true;
            case 'W':
                ++i_;
                alternatives.emplace_back(not_word_char);
                return true;
            case 'S':
                ++i_;
                alternatives.push_back(not_space_char());
                return true;
            default: atom.is_class = false; return read_character_escape(atom.cp, true);
        }
    }

    bool translate_class() {
        ++i_;  // '['
        bool negated = false;
        if (!at_end() && p_[i_] == '^') {
            negated = true;
            ++i_;
        }
        std::string ascii_set;
        std::vector<std::string> alternatives;
        std::vector<std::pair<char32_t, char32_t>> ranges;
        while (true) {
            if (at_end()) {
                return fail("unterminated character class");
            }
            if (p_[i_] == ']') {
                ++i_;
                break;
            }
            class_atom first;
            if (!read_class_atom(first, ascii_set, alternatives, ranges)) {
                return false;
            }
            if (!first.is_class && i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
                ++i_;
                class_atom last;
                if (!read_class_atom(last, ascii_set, alternatives, ranges)) {
                    return false;
                }
                if (last.is_class) {
                    return fail("a character class escape cannot end a range");
                }
                if (last.cp < first.cp) {
                    return fail("character class range out of order");
                }
                ranges.emplace_back(first.cp, last.cp);
            } else if (!first.is_class) {
                ranges.emplace_back(first.cp, first.cp);
            }
        }
        std::vector<std::string> non_ascii;
        for (const auto& [lo, hi] : ranges) {
            if (lo < 0x80) {
                append_hex_byte(ascii_set, static_cast<unsigned>(lo));
                if (hi > lo) {
                    ascii_set += "-";
                    append_hex_byte(ascii_set, static_cast<unsigned>(hi < 0x80 ? hi : 0x7F));
                }
            }
            if (hi >= 0x80) {
                non_ascii_alternatives(lo < 0x80 ? 0x80 : lo, hi, non_ascii);
            }
        }
        if (ascii_set.empty() && non_ascii.empty() && alternatives.empty()) {
            // ECMA 262 `[]` matches nothing and `[^]` matches any character.
            *out_ += negated ? std::string(any_char) : std::string("(?!)");
            return true;
        }
        if (non_ascii.empty() && alternatives.empty()) {
            if (negated) {
                *out_ += "(?:[^" + ascii_set + "\\x80-\\xFF]|" + std::string(non_ascii_char) + ")";
            } else {
                *out_ += "[" + ascii_set + "]";
            }
            return true;
        }
        std::string positive = "(?:";
        bool first_alternative = true;
        const auto add = [&](const std::string& alternative) {
            if (!first_alternative) {
                positive += "|";
            }
            positive += alternative;
            first_alternative = false;
        };
        if (!ascii_set.empty()) {
            add("[" + ascii_set + "]");
        }
        for (const auto& a : non_ascii) {
            add(a);
        }
        for (const auto& a : alternatives) {
            add(a);
        }
        positive += ")";
        *out_ += negated ? "(?:(?!" + positive + ")" + std::string(any_char) + ")" : positive;
        return true;
    }

    // {n}, {n,}, {n,m} at i_; false (and i_ unchanged) when it is not one.
    bool read_braces_quantifier(std::string& text) {
        std::size_t j = i_ + 1;
        const auto digits = [&](std::string& into) {
            const std::size_t start = j;
            while (j < p_.size() && is_digit(p_[j])) {
                into.push_back(p_[j++]);
            }
            return j > start;
        };
        std::string low, high;
        if (!digits(low)) {
            return false;
        }
        bool comma = false;
        if (j < p_.size() && p_[j] == ',') {
            comma = true;
            ++j;
            digits(high);
        }
        if (j >= p_.size() || p_[j] != '}') {
            return false;
        }
        text = "{" + low + (comma ? "," : "") + high + "}";
        if (!high.empty() &&
            (high.size() < low.size() || (high.size() == low.size() && high < low))) {
            text.clear();
            return false;
        }
        i_ = j + 1;
        return true;
    }

    bool translate_group_open() {
        if (p_.substr(i_, 2) != "(?") {
            ++i_;
            *out_ += "(";
            return true;
        }
        const std::string_view rest = p_.substr(i_ + 2);
        std::size_t prefix = 0;
        if (!rest.empty() && (rest[0] == ':' || rest[0] == '=' || rest[0] == '!')) {
            prefix = 3;
        } else if (rest.substr(0, 2) == "<=" || rest.substr(0, 2) == "<!") {
            prefix = 4;
        } else if (!rest.empty() && rest[0] == '<') {
            const auto close = rest.find('>');
            if (close == std::string_view::npos || close == 1) {
                return fail("invalid group name");
            }
            for (std::size_t k = 1; k < close; ++k) {
                const char c = rest[k];
                const bool ok = c == '_' || c == '$' || (c >= 'a' && c <= 'z') ||
                                (c >= 'A' && c <= 'Z') || (k > 1 && is_digit(c));
                if (!ok) {
                    return fail("invalid group name");
                }
            }
            prefix = 2 + close + 1;
        } else {
            return fail("unsupported group syntax (?" + std::string(rest.substr(0, 1)) +
                        "; ECMA 262 has (?:, (?=, (?!, (?<=, (?<! and (?<name>");
        }
        out_->append(p_.substr(i_, prefix));
        i_ += prefix;
        return true;
    }

    bool translate_sequence() {
        int depth = 0;
        quantifiable_ = false;
        while (!at_end()) {
            const char c = p_[i_];
            switch (c) {
                case '\\':
                    quantifiable_ = true;
                    if (!translate_escape()) {
                        return false;
                    }
                    break;
                case '[':
                    if (!translate_class()) {
                        return false;
                    }
                    quantifiable_ = true;
                    break;
                case '(':
                    if (!translate_group_open()) {
                        return false;
                    }
                    ++depth;
                    quantifiable_ = false;
                    break;
                case ')':
                    if (--depth < 0) {
                        return fail("unmatched )");
                    }
                    ++i_;
                    *out_ += ")";
                    quantifiable_ = true;
                    break;
                case '*':
                case '+':
                case '?':
                    if (!quantifiable_) {
                        return fail(std::string("nothing to repeat before ") + c);
                    }
                    ++i_;
                    out_->push_back(c);
                    if (!at_end() && p_[i_] == '?') {
                        ++i_;
                        out_->push_back('?');
                    }
                    quantifiable_ = false;
                    break;
                case '{': {
                    std::string quantifier;
                    if (read_braces_quantifier(quantifier)) {
                        if (!quantifiable_) {
                            return fail("nothing to repeat before {");
                        }
                        *out_ += quantifier;
                        if (!at_end() && p_[i_] == '?') {
                            ++i_;
                            out_->push_back('?');
                        }
                        quantifiable_ = false;
                    } else {
                        ++i_;
                        *out_ += "\\{";
                        quantifiable_ = true;
                    }
                    break;
                }
                case '}':
                case ']':
                    ++i_;
                    out_->push_back('\\');
                    out_->push_back(c);
                    quantifiable_ = true;
                    break;
                case '^':
                    ++i_;
                    *out_ += "\\A";
                    quantifiable_ = false;
                    break;
                case '$':
                    ++i_;
                    *out_ += "\\z";
                    quantifiable_ = false;
                    break;
                case '.':
                    ++i_;
                    *out_ += dot_char;
                    quantifiable_ = true;
                    break;
                case '|':
                    ++i_;
                    *out_ += "|";
                    quantifiable_ = false;
                    break;
                default: {
                    char32_t cp = 0;
                    if (!read_code_point(cp)) {
                        return false;
                    }
                    *out_ += code_point_atom(cp);
                    quantifiable_ = true;
                    break;
                }
            }
        }
        if (depth != 0) {
            return fail("missing )");
        }
        return true;
    }

    std::string_view p_;
    std::size_t i_ = 0;
    std::string* out_ = nullptr;
    std::string problem_;
    bool quantifiable_ = false;
};

}  // namespace

bool translate_ecma_regex(std::string_view pattern, std::string& out, std::string& problem) {
    return translator(pattern).run(out, problem);
}

std::optional<boost::regex> compile_ecma_regex(std::string_view pattern, std::string& problem) {
    std::string translated;
    if (!translate_ecma_regex(pattern, translated, problem)) {
        return std::nullopt;
    }
    try {
        return boost::regex(translated, boost::regex::perl);
    } catch (const std::exception& e) {
        // boost appends the translated pattern, which would only confuse the schema author.
        problem = e.what();
        problem = problem.substr(0, problem.find(".  The error occurred"));
        return std::nullopt;
    }
}

bool ecma_search(const boost::regex& re, std::string_view text, bool& gave_up) noexcept {
    gave_up = false;
    try {
        return boost::regex_search(text.begin(), text.end(), re, boost::match_default);
    } catch (...) {
        // boost::regex throws when a match exceeds its complexity or memory budget.
        gave_up = true;
        return false;
    }
}

}  // namespace jupyter_events::detail
