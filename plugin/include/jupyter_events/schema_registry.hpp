/// \file schema_registry.hpp
/// The set of known event schemas, keyed by ($id, version) (port of `schema_registry.py`).
#pragma once

#include <jupyter_events/event_schema.hpp>
#include <jupyter_events/export.hpp>

#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace jupyter_events {

/// Limits for fetching a schema by URL (at registration only, never while recording).
struct url_options {
    std::chrono::milliseconds timeout{5000};  ///< whole fetch: connect, send, receive; default 5 s
    std::size_t max_bytes = 1 << 20;          ///< largest accepted schema document; default 1 MiB
};

/// Registered event schemas. Several versions of one `$id` may coexist; the same
/// ($id, version) twice is an error. A failed registration leaves the registry unchanged.
/// All members are thread-safe; returned schemas stay valid for the registry's lifetime.
///
/// Example:
///     je::schema_registry registry;
///     registry.register_schema_file("schemas/file-save.yaml");
///     const je::event_schema* s = registry.find("https://example.org/file-save", "1");
class JUPYTER_EVENTS_EXPORT schema_registry {
public:
    schema_registry();
    ~schema_registry();
    schema_registry(const schema_registry&) = delete;
    schema_registry& operator=(const schema_registry&) = delete;

    /// Registers a schema given as JSON. Throws `error` (invalid_schema, duplicate_schema).
    event_schema register_schema(const boost::json::value& schema);

    /// Registers a schema from YAML or JSON text; `source_name` names it in messages.
    /// Throws `error` (parse_error, invalid_schema, duplicate_schema), located by line:column.
    event_schema register_schema_text(std::string_view yaml_or_json,
                                      const std::string& source_name = "<text>");

    /// Registers a `.yaml`, `.yml` or `.json` file, or every such file in a directory
    /// (sorted by name, not recursive). A file already registered from the same path is
    /// skipped. Throws `error` (io_error, parse_error, invalid_schema, duplicate_schema);
    /// for a directory, all of its schemas register or none.
    std::vector<event_schema> register_schema_file(const std::filesystem::path& path);

    /// Registers the schema at `url`: `file:///path` (a file or directory, as
    /// register_schema_file) or `http://host[:port]/path` (fetched once, now, within
    /// `options`). Throws `error`: fetch_failed naming the URL and what failed (DNS,
    /// connect, timeout, HTTP status, size), then as register_schema_text.
    std::vector<event_schema> register_schema_url(const std::string& url, const url_options& options = {});

    /// The schema (id, version), or nullptr. An empty `version` means the highest
    /// registered version of `id` (integers and dotted numbers compare numerically).
    const event_schema* find(std::string_view id, std::string_view version = {}) const noexcept;

    /// All registered schemas in registration order.
    std::vector<event_schema> schemas() const;

    /// Every registered version of `id`, lowest first.
    std::vector<std::string> versions(std::string_view id) const;

private:
    struct JUPYTER_EVENTS_NO_EXPORT impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace jupyter_events
