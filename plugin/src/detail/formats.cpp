#include "detail/formats.hpp"

#include "detail/ecma_regex.hpp"

#include <cstddef>

namespace jupyter_events::detail {
namespace {

// ASCII only on purpose: std::isdigit and friends depend on the C locale, and formats
// must reject non-ASCII digits such as U+09EA.
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) noexcept { return is_digit(c) || is_alpha(c); }
bool is_hex(char c) noexcept {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_non_ascii(char c) noexcept { return static_cast<unsigned char>(c) >= 0x80; }

// Reads exactly `count` ASCII digits at `pos` as a number; -1 when they are not digits.
int read_digits(std::string_view s, std::size_t pos, std::size_t count) noexcept {
    if (pos + count > s.size()) {
        return -1;
    }
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!is_digit(s[i])) {
            return -1;
        }
        value = value * 10 + (s[i] - '0');
    }
    return value;
}

bool is_leap_year(int year) noexcept {
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int days_in_month(int year, int month) noexcept {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

// RFC 3339 full-time, the whole of `s`.
bool is_full_time(std::string_view s) noexcept {
    if (s.size() < 9 || s[2] != ':' || s[5] != ':') {
        return false;
    }
    const int hour = read_digits(s, 0, 2);
    const int minute = read_digits(s, 3, 2);
    const int second = read_digits(s, 6, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
        return false;
    }
    std::size_t i = 8;
    if (s[i] == '.') {
        const std::size_t start = ++i;
        while (i < s.size() && is_digit(s[i])) {
            ++i;
        }
        if (i == start) {
            return false;
        }
    }
    int offset_minutes = 0;
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
        ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        if (s.size() - i != 6 || s[i + 3] != ':') {
            return false;
        }
        const int offset_hour = read_digits(s, i + 1, 2);
        const int offset_minute = read_digits(s, i + 4, 2);
        if (offset_hour < 0 || offset_hour > 23 || offset_minute < 0 || offset_minute > 59) {
            return false;
        }
        offset_minutes = (offset_hour * 60 + offset_minute) * (s[i] == '+' ? 1 : -1);
        i += 6;
    } else {
        return false;
    }
    if (i != s.size()) {
        return false;
    }
    if (second == 60) {
        // A leap second is inserted at the end of a UTC day only.
        const int utc = ((hour * 60 + minute - offset_minutes) % 1440 + 1440) % 1440;
        return utc == 23 * 60 + 59;
    }
    return true;
}

bool is_unreserved(char c) noexcept {
    return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

bool is_sub_delim(char c) noexcept {
    return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos;
}

bool is_pct_encoded(std::string_view s, std::size_t i) noexcept {
    return i + 2 < s.size() && s[i] == '%' && is_hex(s[i + 1]) && is_hex(s[i + 2]);
}

// A run of characters each accepted by `ok`, or a %XX triplet; false at the first other.
template <typename Predicate>
bool all_chars(std::string_view s, Predicate ok) noexcept {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            if (!is_pct_encoded(s, i)) {
                return false;
            }
            i += 2;
        } else if (!ok(s[i])) {
            return false;
        }
    }
    return true;
}

bool is_ip_future(std::string_view s) noexcept {
    // "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
    if (s.empty() || (s[0] != 'v' && s[0] != 'V')) {
        return false;
    }
    std::size_t i = 1;
    while (i < s.size() && is_hex(s[i])) {
        ++i;
    }
    if (i == 1 || i >= s.size() || s[i] != '.' || i + 1 == s.size()) {
        return false;
    }
    for (++i; i < s.size(); ++i) {
        if (!is_unreserved(s[i]) && !is_sub_delim(s[i]) && s[i] != ':') {
            return false;
        }
    }
    return true;
}

bool is_authority(std::string_view a, bool iri) noexcept {
    const auto ascii_or_ucs = [iri](char c) { return iri && is_non_ascii(c); };
    if (const auto at = a.find('@'); at != std::string_view::npos) {
        const bool userinfo_ok = all_chars(a.substr(0, at), [&](char c) {
            return is_unreserved(c) || is_sub_delim(c) || c == ':' || ascii_or_ucs(c);
        });
        if (!userinfo_ok) {
            return false;
        }
        a = a.substr(at + 1);
    }
    std::string_view port;
    if (!a.empty() && a[0] == '[') {
        const auto close = a.find(']');
        if (close == std::string_view::npos) {
            return false;
        }
        const auto literal = a.substr(1, close - 1);
        if (!is_ipv6(literal) && !is_ip_future(literal)) {
            return false;
        }
        const auto rest = a.substr(close + 1);
        if (!rest.empty() && rest[0] != ':') {
            return false;
        }
        port = rest.empty() ? rest : rest.substr(1);
    } else {
        const auto colon = a.find(':');
        if (colon != std::string_view::npos) {
            port = a.substr(colon + 1);
            a = a.substr(0, colon);
        }
        const bool host_ok = all_chars(
            a, [&](char c) { return is_unreserved(c) || is_sub_delim(c) || ascii_or_ucs(c); });
        if (!host_ok) {
            return false;
        }
    }
    for (char c : port) {
        if (!is_digit(c)) {
            return false;
        }
    }
    return true;
}

// RFC 3986 section 3 (RFC 3987 when `iri`): URI or, unless `absolute`, relative-ref.
bool check_uri(std::string_view s, bool iri, bool absolute) noexcept {
    const auto pchar = [iri](char c) {
        return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@' ||
               (iri && is_non_ascii(c));
    };
    std::size_t i = 0;
    const auto first_delimiter = s.find_first_of(":/?#");
    if (first_delimiter != std::string_view::npos && s[first_delimiter] == ':') {
        // Either a scheme, or a relative reference whose first segment has a colon,
        // which RFC 3986 forbids (it would read as a scheme).
        if (first_delimiter == 0 || !is_alpha(s[0])) {
            return false;
        }
        for (std::size_t k = 1; k < first_delimiter; ++k) {
            const char c = s[k];
            if (!is_alnum(c) && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        i = first_delimiter + 1;
    } else if (absolute) {
        return false;
    }
    if (s.substr(i, 2) == "//") {
        i += 2;
        const auto end = s.find_first_of("/?#", i);
        const auto authority = s.substr(i, end == std::string_view::npos ? s.size() - i : end - i);
        if (!is_authority(authority, iri)) {
            return false;
        }
        i += authority.size();
    }
    const auto section_end = [&](std::string_view stops) {
        const auto e = s.find_first_of(stops, i);
        return e == std::string_view::npos ? s.size() : e;
    };
    std::size_t end = section_end("?#");
    if (!all_chars(s.substr(i, end - i), [&](char c) { return pchar(c) || c == '/'; })) {
        return false;
    }
    i = end;
    if (i < s.size() && s[i] == '?') {
        ++i;
        end = section_end("#");
        if (!all_chars(s.substr(i, end - i),
                       [&](char c) { return pchar(c) || c == '/' || c == '?'; })) {
            return false;
        }
        i = end;
    }
    if (i < s.size() && s[i] == '#') {
        ++i;
        return all_chars(s.substr(i), [&](char c) { return pchar(c) || c == '/' || c == '?'; });
    }
    return true;
}

bool is_atext(char c, bool intl) noexcept {
    return is_alnum(c) ||
           std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos ||
           (intl && is_non_ascii(c));
}

bool check_email(std::string_view s, bool intl) noexcept {
    std::size_t i = 0;
    if (!s.empty() && s[0] == '"') {
        for (i = 1; i < s.size() && s[i] != '"'; ++i) {
            if (s[i] == '\\') {
                ++i;
                if (i == s.size()) {
                    return false;
                }
            }
            const auto c = static_cast<unsigned char>(s[i]);
            if ((c < 0x20 || c == 0x7F) || (c >= 0x80 && !intl)) {
                return false;
            }
        }
        if (i >= s.size()) {
            return false;
        }
        ++i;
    } else {
        bool previous_dot = true;  // a leading dot is as bad as a double one
        for (; i < s.size() && s[i] != '@'; ++i) {
            if (s[i] == '.') {
                if (previous_dot) {
                    return false;
                }
                previous_dot = true;
            } else if (is_atext(s[i], intl)) {
                previous_dot = false;
            } else {
                return false;
            }
        }
        if (previous_dot) {
            return false;
        }
    }
    if (i > 64 || i >= s.size() || s[i] != '@') {
        return false;
    }
    const auto domain = s.substr(i + 1);
    if (domain.size() >= 2 && domain.front() == '[' && domain.back() == ']') {
        const auto literal = domain.substr(1, domain.size() - 2);
        if (literal.substr(0, 5) == "IPv6:") {
            return is_ipv6(literal.substr(5));
        }
        return is_ipv4(literal);
    }
    return intl ? is_idn_hostname(domain) : is_hostname(domain);
}

bool is_uri_template_expression(std::string_view e) noexcept {
    if (e.empty()) {
        return false;
    }
    std::size_t i = 0;
    if (std::string_view("+#./;?&").find(e[0]) != std::string_view::npos) {
        i = 1;
    }
    const auto varchar = [&]() {
        if (i < e.size() && (is_alnum(e[i]) || e[i] == '_')) {
            ++i;
            return true;
        }
        if (is_pct_encoded(e, i)) {
            i += 3;
            return true;
        }
        return false;
    };
    while (true) {
        if (!varchar()) {
            return false;
        }
        while (i < e.size()) {
            if (e[i] == '.') {
                ++i;
                if (!varchar()) {
                    return false;
                }
            } else if (!varchar()) {
                break;
            }
        }
        if (i < e.size() && e[i] == ':') {
            const std::size_t start = ++i;
            while (i < e.size() && is_digit(e[i])) {
                ++i;
            }
            if (i == start || i - start > 4 || e[start] == '0') {
                return false;
            }
        } else if (i < e.size() && e[i] == '*') {
            ++i;
        }
        if (i == e.size()) {
            return true;
        }
        if (e[i] != ',') {
            return false;
        }
        ++i;
    }
}

bool is_decimal_octet(std::string_view s) noexcept {
    if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) {
        return false;
    }
    int value = 0;
    for (char c : s) {
        if (!is_digit(c)) {
            return false;
        }
        value = value * 10 + (c - '0');
    }
    return value <= 255;
}

}  // namespace

bool is_date(std::string_view s) noexcept {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    const int year = read_digits(s, 0, 4);
    const int month = read_digits(s, 5, 2);
    const int day = read_digits(s, 8, 2);
    return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

bool is_time(std::string_view s) noexcept { return is_full_time(s); }

bool is_date_time(std::string_view s) noexcept {
    return s.size() > 11 && (s[10] == 'T' || s[10] == 't') && is_date(s.substr(0, 10)) &&
           is_full_time(s.substr(11));
}

bool is_email(std::string_view s) noexcept { return check_email(s, false); }

bool is_idn_email(std::string_view s) noexcept { return check_email(s, true); }

bool is_ipv4(std::string_view s) noexcept {
    std::size_t start = 0;
    for (int part = 0; part < 4; ++part) {
        const auto dot = s.find('.', start);
        if ((part < 3) == (dot == std::string_view::npos)) {
            return false;
        }
        const auto end = part < 3 ? dot : s.size();
        if (!is_decimal_octet(s.substr(start, end - start))) {
            return false;
        }
        start = end + 1;
    }
    return true;
}

bool is_ipv6(std::string_view s) noexcept {
    if (s.empty()) {
        return false;
    }
    std::size_t i = 0;
    int groups = 0;
    bool compressed = false;
    if (s.substr(0, 2) == "::") {
        compressed = true;
        i = 2;
    } else if (s[0] == ':') {
        return false;
    }
    while (i < s.size()) {
        std::size_t j = i;
        while (j < s.size() && is_hex(s[j])) {
            ++j;
        }
        if (j < s.size() && s[j] == '.') {
            if (!is_ipv4(s.substr(i))) {
                return false;
            }
            groups += 2;
            break;
        }
        if (j == i || j - i > 4) {
            return false;
        }
        ++groups;
        i = j;
        if (i == s.size()) {
            break;
        }
        if (s[i] != ':') {
            return false;
        }
        ++i;
        if (i < s.size() && s[i] == ':') {
            if (compressed) {
                return false;
            }
            compressed = true;
            ++i;
        } else if (i == s.size()) {
            return false;
        }
    }
    return compressed ? groups <= 7 : groups == 8;
}

bool is_uri(std::string_view s) noexcept { return check_uri(s, false, true); }
bool is_uri_reference(std::string_view s) noexcept { return check_uri(s, false, false); }
bool is_iri(std::string_view s) noexcept { return check_uri(s, true, true); }
bool is_iri_reference(std::string_view s) noexcept { return check_uri(s, true, false); }

bool is_uri_template(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '{') {
            const auto close = s.find('}', i);
            if (close == std::string_view::npos ||
                !is_uri_template_expression(s.substr(i + 1, close - i - 1))) {
                return false;
            }
            i = close;
        } else if (c == '%') {
            if (!is_pct_encoded(s, i)) {
                return false;
            }
            i += 2;
        } else if (c <= 0x20 || c == 0x7F ||
                   std::string_view("\"<>\\^`|}").find(s[i]) != std::string_view::npos) {
            return false;
        }
    }
    return true;
}

bool is_json_pointer(std::string_view s) noexcept {
    if (!s.empty() && s[0] != '/') {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '~' && (i + 1 == s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) {
            return false;
        }
    }
    return true;
}

bool is_relative_json_pointer(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size() && is_digit(s[i])) {
        ++i;
    }
    if (i == 0 || (i > 1 && s[0] == '0')) {
        return false;
    }
    const auto rest = s.substr(i);
    return rest == "#" || is_json_pointer(rest);
}

bool is_regex(std::string_view s) noexcept {
    try {
        std::string problem;
        return compile_ecma_regex(s, problem).has_value();
    } catch (...) {
        return false;  // out of memory: say "not a regex" rather than throw from a check
    }
}

bool is_uuid(std::string_view text) noexcept {
    // RFC 4122 text form 8-4-4-4-12, any case; draft 2019-09's `uuid`, asked for by users
    // of draft-7 schemas too.
    if (text.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !is_hex(text[i])) {
            return false;
        }
    }
    return true;
}

format_checker find_format_checker(std::string_view name) noexcept {
    struct entry {
        std::string_view name;
        format_checker check;
    };
    static constexpr entry table[] = {
        {"date-time", is_date_time},
        {"date", is_date},
        {"time", is_time},
        {"email", is_email},
        {"idn-email", is_idn_email},
        {"hostname", is_hostname},
        {"idn-hostname", is_idn_hostname},
        {"ipv4", is_ipv4},
        {"ipv6", is_ipv6},
        {"uri", is_uri},
        {"uri-reference", is_uri_reference},
        {"iri", is_iri},
        {"iri-reference", is_iri_reference},
        {"uri-template", is_uri_template},
        {"json-pointer", is_json_pointer},
        {"relative-json-pointer", is_relative_json_pointer},
        {"regex", is_regex},
        {"uuid", is_uuid},
    };
    for (const auto& e : table) {
        if (e.name == name) {
            return e.check;
        }
    }
    return nullptr;
}

}  // namespace jupyter_events::detail
