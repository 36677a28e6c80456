/// \file config.hpp
/// The configuration as plain structs (the traitlets `EventLogger` / `EventServer`
/// sections). Tests and programs can fill these without any YAML; `config_loader.hpp`
/// reads them from files.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace jupyter_events {

/// How `__timestamp__` is written.
enum class timestamp_format {
    rfc3339,  ///< 2026-11-23T11:17:47.123456Z (UTC, always 6 fraction digits); default
    jupyter,  ///< Python's 2026-11-23T11:17:47.123456+00:00Z, for consumers that parse it
};

/// How the JSON line is written.
enum class json_style {
    compact,  ///< {"a":1,"b":"é"}: no spaces, UTF-8; default
    python,   ///< {"a": 1, "b": "\u00e9"}: Python json.dumps bytes, for byte-level diffs
};

/// One `allowed_schemas` entry: an `$id` (or "*" for all) and its redaction settings.
struct allowed_schema {
    std::string id;                                         ///< `$id`, or "*"
    std::optional<std::vector<std::string>> allowed_categories;  ///< unset: plain entry
    std::vector<std::string> allowed_properties;            ///< top-level names always kept
};

/// One value of a handler's settings, and where it was written.
struct setting {
    std::string value;  ///< as Boost.Log settings see it: "true", "10485760", "events.jsonl"
    std::string where;  ///< "file:line:col" (or "" when built in code)
};

/// One handler: a Boost.Log sink built from Boost.Log settings keys.
struct handler_config {
    std::string name;                         ///< the key under `handlers`, [A-Za-z0-9_.-]+
    std::string destination = "TextFile";     ///< TextFile, Console, ... (Boost.Log's names)
    std::map<std::string, setting> settings;  ///< Boost.Log keys except the plugin's own
    std::vector<std::string> schemas;         ///< per-handler allow-list; empty = every allowed schema
    std::string filter;                       ///< Boost.Log filter string; "" = none
    std::string where;                        ///< "file:line:col" of the handler's entry
};

/// The `EventLogger` section.
struct logger_config {
    std::vector<std::string> schemas;  ///< schema files or directories (absolute after loading)
    std::vector<allowed_schema> allowed_schemas;  ///< nothing is recorded unless listed
    timestamp_format timestamp = timestamp_format::rfc3339;  ///< default rfc3339
    json_style style = json_style::compact;                  ///< default compact
    std::vector<handler_config> handlers;                    ///< in file order
    unsigned listener_threads = 1;           ///< threads running listeners; 0 = the recording thread; default 1
    std::size_t listener_queue_limit = 10000;  ///< listener calls waiting at most; more are dropped; default 10000
};

/// The `EventServer` section (used by `jupyter-events serve`).
struct server_config {
    std::string listen = "127.0.0.1:8585";  ///< HOST:PORT; port 0 binds an ephemeral port
    std::string token;                      ///< "" = no authentication
    std::size_t max_body_bytes = 65536;     ///< request body limit in bytes; default 64 KiB
    unsigned read_timeout_ms = 10000;       ///< per-request read timeout; default 10 s
    unsigned max_connections = 512;         ///< open connections at most; default 512
    unsigned threads = 0;                   ///< I/O threads; default 0 = one per CPU core
};

/// A whole configuration, as loaded from one or more layered files.
struct config {
    logger_config event_logger;            ///< `EventLogger`
    server_config event_server;            ///< `EventServer`
    std::vector<std::string> files;        ///< the files it was loaded from, in order
};

}  // namespace jupyter_events
