// Fetching a schema by URL at registration (the seed README: "from a dict, a file, or a
// URL"): http:// over a plain POSIX socket with a deadline and a size limit. Never used
// while recording. The core library does not link Beast (DESIGN section 2); an HTTP/1.0
// GET needs none of it.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace jupyter_events::detail {

/// The body of `url` (http:// only). Throws jupyter_events::error(errc::fetch_failed)
/// whose message names the URL and what failed: DNS, connect, timeout, HTTP status,
/// size, or malformed response.
std::string http_get(const std::string& url, std::chrono::milliseconds timeout, std::size_t max_bytes);

/// The local path of a file:// URL (percent-decoded; host must be empty or localhost).
/// Throws errc::fetch_failed when it is not one.
std::string file_url_path(const std::string& url);

}  // namespace jupyter_events::detail
