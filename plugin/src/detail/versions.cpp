#include "detail/versions.hpp"

#include <vector>

namespace jupyter_events::detail {
namespace {

// Splits "1.10-2" into numeric parts; false when any part is not all digits.
bool numeric_parts(std::string_view s, std::vector<std::string_view>& parts) {
    if (s.empty()) return false;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == '.' || s[i] == '-') {
            std::string_view part = s.substr(start, i - start);
            if (part.empty()) return false;
            for (char c : part)
                if (c < '0' || c > '9') return false;
            parts.push_back(part);
            start = i + 1;
        }
    }
    return true;
}

// Compares two digit strings by value without overflow.
int compare_digits(std::string_view a, std::string_view b) {
    while (a.size() > 1 && a[0] == '0') a.remove_prefix(1);
    while (b.size() > 1 && b[0] == '0') b.remove_prefix(1);
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) noexcept {
    try {
        std::vector<std::string_view> pa, pb;
        if (numeric_parts(a, pa) && numeric_parts(b, pb)) {
            for (std::size_t i = 0; i < pa.size() && i < pb.size(); ++i)
                if (int c = compare_digits(pa[i], pb[i])) return c;
            if (pa.size() != pb.size()) return pa.size() < pb.size() ? -1 : 1;
            return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);  // "01" vs "1": stable, distinct
        }
    } catch (...) {
    }
    const int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::optional<std::string> version_string(const boost::json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_int64()) return std::to_string(v.get_int64());
    if (v.is_uint64()) return std::to_string(v.get_uint64());
    return std::nullopt;
}

}  // namespace jupyter_events::detail
