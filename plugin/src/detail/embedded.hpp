// Files from schemas/ compiled into the library (no runtime data-file lookup).
#pragma once

#include <string_view>

namespace jupyter_events::detail {

/// The text of an embedded file by base name (e.g. "json-schema-draft-07.json"), or an
/// empty view when there is none.
std::string_view embedded_file(std::string_view name) noexcept;

}  // namespace jupyter_events::detail
