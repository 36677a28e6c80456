// Draft-7 `format` checkers, hand-written scanners: no regex is built or run per check
// (valijson rebuilds a std::regex for every date-time, the cost this project avoids).
// Each takes UTF-8 text and is thread-safe and allocation-free unless noted.
#pragma once

#include <string_view>

namespace jupyter_events::detail {

/// A checker: true iff `text` is in the format.
using format_checker = bool (*)(std::string_view text) noexcept;

/// The checker for a draft-7 format name, or nullptr for a name we do not know (unknown
/// formats are annotations only and always pass).
format_checker find_format_checker(std::string_view name) noexcept;

/// RFC 3339 `date-time`: full-date "T" full-time, case-insensitive T/Z, leap second only at
/// 23:59:60 UTC.
bool is_date_time(std::string_view text) noexcept;
/// RFC 3339 `full-date`, with days per month and leap years.
bool is_date(std::string_view text) noexcept;
/// RFC 3339 `full-time` (the offset is required).
bool is_time(std::string_view text) noexcept;
/// RFC 5321 mailbox: dot-atom or quoted local part, host name or address literal domain.
bool is_email(std::string_view text) noexcept;
/// `is_email` allowing UTF-8 in the local part and an internationalized domain (RFC 6531).
bool is_idn_email(std::string_view text) noexcept;
/// RFC 1123 host name; `xn--` labels must be valid Punycode of a valid IDNA2008 label.
bool is_hostname(std::string_view text) noexcept;
/// RFC 5890 internationalized host name: IDNA2008 label rules (contextual rules, Bidi
/// rule, Punycode round trip), approximated with compact Unicode tables. Allocates.
bool is_idn_hostname(std::string_view text) noexcept;
/// Dotted-quad IPv4, no leading zeros.
bool is_ipv4(std::string_view text) noexcept;
/// RFC 4291 text form, with `::` and a trailing IPv4 part; no zone id, no brackets.
bool is_ipv6(std::string_view text) noexcept;
/// RFC 3986 absolute URI (a scheme is required).
bool is_uri(std::string_view text) noexcept;
/// RFC 3986 URI reference (relative allowed).
bool is_uri_reference(std::string_view text) noexcept;
/// RFC 3987 IRI: `is_uri` that allows non-ASCII characters.
bool is_iri(std::string_view text) noexcept;
/// RFC 3987 IRI reference.
bool is_iri_reference(std::string_view text) noexcept;
/// RFC 6570 URI template (levels 1-4 syntax).
bool is_uri_template(std::string_view text) noexcept;
/// RFC 6901 JSON pointer.
bool is_json_pointer(std::string_view text) noexcept;
/// Relative JSON pointer (draft-handrews-relative-json-pointer-01).
bool is_relative_json_pointer(std::string_view text) noexcept;
/// RFC 4122 UUID text form (8-4-4-4-12 hex digits), as in draft 2019-09.
bool is_uuid(std::string_view text) noexcept;
/// An ECMA 262 regular expression that this validator can compile. Allocates.
bool is_regex(std::string_view text) noexcept;

}  // namespace jupyter_events::detail
