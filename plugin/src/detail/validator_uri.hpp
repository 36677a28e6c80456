// URI reference handling for `$id`/`$ref` (RFC 3986 section 5): resolution against a
// base, fragments, and the percent/JSON-pointer decoding of `#/...` fragments.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jupyter_events::detail::uri {

/// `ref` resolved against `base` (RFC 3986 5.2.2). Works on scheme-less bases too, so
/// schema ids like `url.to.event.schema` behave as relative paths.
std::string resolve(std::string_view base, std::string_view ref);

/// `u` without its fragment (and without the '#').
std::string_view without_fragment(std::string_view u) noexcept;

/// The fragment of `u` without '#', or nullopt when `u` has none.
std::optional<std::string_view> fragment(std::string_view u) noexcept;

/// `%XX` decoded. Returns nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view s);

/// The reference tokens of a JSON pointer ("" -> none; ~1 -> '/', ~0 -> '~'). Returns
/// nullopt when `pointer` is neither empty nor starts with '/', or has a bad '~' escape.
std::optional<std::vector<std::string>> pointer_tokens(std::string_view pointer);

}  // namespace jupyter_events::detail::uri
