#include "detail/timestamp.hpp"

#include <chrono>
#include <string>

namespace jupyter_events::detail {
namespace {

// Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

void append_digits(std::string& out, unsigned value, int width) {
    char buf[16];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(buf, static_cast<std::size_t>(width));
}

// "YYYY-MM-DDTHH:MM:SS" of a local second count; cached per thread because consecutive
// events share their second (saves ~2/3 of the formatting cost).
void append_seconds(std::string& out, std::int64_t local_seconds) {
    thread_local std::int64_t cached_second = INT64_MIN;
    thread_local char cached[20];
    if (local_seconds != cached_second) {
        const std::int64_t days = floor_div(local_seconds, 86400);
        const auto sod = static_cast<unsigned>(local_seconds - days * 86400);
        int y;
        unsigned m, d;
        civil_from_days(days, y, m, d);
        std::string text;
        append_digits(text, static_cast<unsigned>(y < 0 ? 0 : (y > 9999 ? 9999 : y)), 4);
        text += '-';
        append_digits(text, m, 2);
        text += '-';
        append_digits(text, d, 2);
        text += 'T';
        append_digits(text, sod / 3600, 2);
        text += ':';
        append_digits(text, sod / 60 % 60, 2);
        text += ':';
        append_digits(text, sod % 60, 2);
        text.copy(cached, 19);
        cached_second = local_seconds;
    }
    out.append(cached, 19);
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& value) noexcept {
    if (pos + n > s.size()) return false;
    value = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        value = value * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return true;
}

}  // namespace

event_time now() noexcept {
    const auto since = std::chrono::system_clock::now().time_since_epoch();
    return {std::chrono::duration_cast<std::chrono::microseconds>(since).count(), 0, true};
}

std::optional<event_time> parse_timestamp(std::string_view s) noexcept {
    unsigned year, month, day, hour, minute, second;
    if (!digits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
        !digits(s, 8, 2, day) || !(s[10] == 'T' || s[10] == 't' || s[10] == ' ') || !digits(s, 11, 2, hour) ||
        s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second))
        return std::nullopt;
    static constexpr unsigned month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] || (month == 2 && day == 29 && !leap) ||
        hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    if (second == 60) second = 59;  // a leap second is kept inside its minute
    std::size_t pos = 19;
    std::int64_t micros = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t n = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (n < 6) micros = micros * 10 + (s[pos] - '0');
            ++n;
            ++pos;
        }
        if (n == 0 || n > 9) return std::nullopt;
        for (std::size_t i = n; i < 6; ++i) micros *= 10;
    }
    event_time t;
    t.has_offset = false;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        unsigned oh, om;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om) ||
            oh > 23 || om > 59)
            return std::nullopt;
        t.offset_minutes = static_cast<int>(oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        t.has_offset = true;
        pos += 6;
    }
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        t.has_offset = true;  // "Z" alone is UTC; "+06:00Z" (Python's form) keeps +06:00
        ++pos;
    }
    if (pos != s.size()) return std::nullopt;
    const std::int64_t local = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    t.unix_micros = (local - static_cast<std::int64_t>(t.offset_minutes) * 60) * 1000000 + micros;
    return t;
}

void append_timestamp(std::string& out, const event_time& t, timestamp_format format) {
    const bool keep_offset = format == timestamp_format::jupyter;
    const std::int64_t shift = keep_offset ? static_cast<std::int64_t>(t.offset_minutes) * 60 : 0;
    const std::int64_t seconds = floor_div(t.unix_micros, 1000000);
    const auto micros = static_cast<unsigned>(t.unix_micros - seconds * 1000000);
    append_seconds(out, seconds + shift);
    if (!keep_offset) {
        out += '.';
        append_digits(out, micros, 6);
        out += 'Z';
        return;
    }
    if (micros != 0) {
        out += '.';
        append_digits(out, micros, 6);
    }
    if (t.has_offset) {
        const int off = t.offset_minutes;
        out += off < 0 ? '-' : '+';
        const auto a = static_cast<unsigned>(off < 0 ? -off : off);
        append_digits(out, a / 60, 2);
        out += ':';
        append_digits(out, a % 60, 2);
    }
    out += 'Z';
}

}  // namespace jupyter_events::detail
