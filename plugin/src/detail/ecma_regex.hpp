// JSON Schema patterns are ECMA 262 regular expressions over Unicode text; boost::regex
// speaks Perl over bytes. This translates one into the other so that `.`, `\s`, `\W`,
// negated classes and quantified non-ASCII characters work on whole UTF-8 code points,
// and `^`/`$` anchor at the ends of the string only (Perl's `$` also matches before a
// final newline, ECMA 262's does not).
#pragma once

#include <boost/regex.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace jupyter_events::detail {

/// Translates the ECMA 262 `pattern` to boost::regex Perl syntax matching UTF-8 input.
/// Returns false and sets `problem` when `pattern` is not valid ECMA 262 or needs what
/// has no translation: Unicode property escapes (`\p{...}`).
bool translate_ecma_regex(std::string_view pattern, std::string& out, std::string& problem);

/// Translates and compiles `pattern`; nullopt with `problem` set when either step fails
/// (boost::regex also refuses variable-width lookbehind).
std::optional<boost::regex> compile_ecma_regex(std::string_view pattern, std::string& problem);

/// True iff `re` matches somewhere in `text` (patterns are not implicitly anchored).
/// Sets `gave_up` when the engine stops on its complexity limit instead of answering.
bool ecma_search(const boost::regex& re, std::string_view text, bool& gave_up) noexcept;

}  // namespace jupyter_events::detail
