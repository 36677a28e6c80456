/// \file config_loader.hpp
/// Reads the YAML configuration into `config` (the only public code that knows YAML).
#pragma once

#include <jupyter_events/config.hpp>
#include <jupyter_events/export.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace jupyter_events {

/// Which sections get `${VAR}` substitution (EventLogger always).
struct load_options {
    bool resolve_server = false;  ///< also EventServer (for `serve`); default false
    bool resolve_all = false;     ///< every section (for `check-config`); default false
};

/// Loads and layers YAML files: later files deep-merge into earlier ones (mappings key by
/// key, lists and scalars replace, `handlers: {name: null}` removes a handler); then
/// `overrides` ("EventLogger.key=value", YAML value) apply; then `${VAR}`,
/// `${VAR:-default}`, `${VAR:?message}` are substituted; then the result is checked against
/// schemas/jupyter-events-config.schema.json. Relative paths resolve against the
/// directory of the file that wrote them.
/// Throws `error` (io_error, parse_error, config_error) with one line per problem, each
/// starting "file:line:col: " and ending with what to do (unknown keys get "did you mean").
///
/// Example:
///     auto cfg = jupyter_events::load_config({"config/events.yaml"});
JUPYTER_EVENTS_EXPORT config load_config(const std::vector<std::filesystem::path>& files,
                   const std::vector<std::string>& overrides = {}, const load_options& options = {});

}  // namespace jupyter_events
