#include "detail/validator_uri.hpp"
#include "detail/utf8.hpp"

namespace jupyter_events::detail::uri {
namespace {

struct components {
    std::string_view scheme, authority, path, query, fragment;
    bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

bool is_scheme_char(char c, bool first) noexcept {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (first) {
        return alpha;
    }
    return alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// RFC 3986 appendix B, without the regex.
components split(std::string_view s) noexcept {
    components c;
    if (const auto hash = s.find('#'); hash != std::string_view::npos) {
        c.has_fragment = true;
        c.fragment = s.substr(hash + 1);
        s = s.substr(0, hash);
    }
    if (const auto q = s.find('?'); q != std::string_view::npos) {
        c.has_query = true;
        c.query = s.substr(q + 1);
        s = s.substr(0, q);
    }
    if (const auto colon = s.find(':'); colon != std::string_view::npos && colon > 0) {
        bool ok = true;
        for (std::size_t i = 0; i < colon && ok; ++i) {
            ok = is_scheme_char(s[i], i == 0);
        }
        if (ok) {
            c.has_scheme = true;
            c.scheme = s.substr(0, colon);
            s = s.substr(colon + 1);
        }
    }
    if (s.size() >= 2 && s[0] == '/' && s[1] == '/') {
        s = s.substr(2);
        const auto slash = s.find('/');
        c.has_authority = true;
        c.authority = s.substr(0, slash);
        s = slash == std::string_view::npos ? std::string_view{} : s.substr(slash);
    }
    c.path = s;
    return c;
}

// RFC 3986 5.2.4.
std::string remove_dot_segments(std::string_view in) {
    std::string out;
    while (!in.empty()) {
        if (in.substr(0, 3) == "../") {
            in.remove_prefix(3);
        } else if (in.substr(0, 2) == "./") {
            in.remove_prefix(2);
        } else if (in.substr(0, 3) == "/./") {
            in.remove_prefix(2);
        } else if (in == "/.") {
            in = "/";
        } else if (in.substr(0, 4) == "/../" || in == "/..") {
            in = in.size() == 3 ? std::string_view("/") : in.substr(3);
            const auto last = out.rfind('/');
            out.erase(last == std::string::npos ? 0 : last);
        } else if (in == "." || in == "..") {
            in = {};
        } else {
            const auto next = in.find('/', in[0] == '/' ? 1 : 0);
            const auto segment = in.substr(0, next);
            out.append(segment);
            in.remove_prefix(segment.size());
        }
    }
    return out;
}

std::string merge(const components& base, std::string_view ref_path) {
    if (base.has_authority && base.path.empty()) {
        return "/" + std::string(ref_path);
    }
    const auto slash = base.path.rfind('/');
    if (slash == std::string_view::npos) {
        return std::string(ref_path);
    }
    return std::string(base.path.substr(0, slash + 1)).append(ref_path);
}


}  // namespace

std::string resolve(std::string_view base_text, std::string_view ref_text) {
    const components ref = split(ref_text);
    const components base = split(base_text);
    std::string path;
    std::string_view scheme, authority, query;
    bool has_scheme = false, has_authority = false, has_query = false;
    if (ref.has_scheme) {
        has_scheme = true;
        scheme = ref.scheme;
        has_authority = ref.has_authority;
        authority = ref.authority;
        path = remove_dot_segments(ref.path);
        has_query = ref.has_query;
        query = ref.query;
    } else {
        has_scheme = base.has_scheme;
        scheme = base.scheme;
        if (ref.has_authority) {
            has_authority = true;
            authority = ref.authority;
            path = remove_dot_segments(ref.path);
            has_query = ref.has_query;
            query = ref.query;
        } else {
            has_authority = base.has_authority;
            authority = base.authority;
            if (ref.path.empty()) {
                path = std::string(base.path);
                has_query = ref.has_query || base.has_query;
                query = ref.has_query ? ref.query : base.query;
            } else {
                // A relative base keeps leading "../" segments it cannot remove; that is
                // fine because such URIs are only ever compared, never fetched.
                path = ref.path[0] == '/' ? remove_dot_segments(ref.path)
                                          : remove_dot_segments(merge(base, ref.path));
                has_query = ref.has_query;
                query = ref.query;
            }
        }
    }
    std::string out;
    if (has_scheme) {
        out.append(scheme).push_back(':');
    }
    if (has_authority) {
        out.append("//").append(authority);
    }
    out.append(path);
    if (has_query) {
        out.append("?").append(query);
    }
    if (ref.has_fragment) {
        out.append("#").append(ref.fragment);
    }
    return out;
}

std::string_view without_fragment(std::string_view u) noexcept { return u.substr(0, u.find('#')); }

std::optional<std::string_view> fragment(std::string_view u) noexcept {
    const auto hash = u.find('#');
    if (hash == std::string_view::npos) {
        return std::nullopt;
    }
    return u.substr(hash + 1);
}

std::optional<std::string> percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out.push_back(s[i]);
            continue;
        }
        if (i + 2 >= s.size()) {
            return std::nullopt;
        }
        const int hi = hex_digit(s[i + 1]);
        const int lo = hex_digit(s[i + 2]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

std::optional<std::vector<std::string>> pointer_tokens(std::string_view pointer) {
    std::vector<std::string> tokens;
    if (pointer.empty()) {
        return tokens;
    }
    if (pointer[0] != '/') {
        return std::nullopt;
    }
    std::string token;
    for (std::size_t i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer[i] == '/') {
            tokens.push_back(std::move(token));
            token.clear();
        } else if (pointer[i] == '~') {
            if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) {
                return std::nullopt;
            }
            token.push_back(pointer[i + 1] == '0' ? '~' : '/');
            ++i;
        } else {
            token.push_back(pointer[i]);
        }
    }
    return tokens;
}

}  // namespace jupyter_events::detail::uri
