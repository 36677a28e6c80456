// Building handler and logger configurations in tests without YAML (the sink tests, the
// syslog tests and the fault tests share these).
#pragma once

#include <jupyter_events/config.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace je_test {

/// A handler as a config file would give it; each setting is located at "test.yaml:<key>".
inline jupyter_events::handler_config handler(const std::string& name, const std::string& destination,
                                              const std::map<std::string, std::string>& settings) {
    jupyter_events::handler_config h;
    h.name = name;
    h.destination = destination;
    for (const auto& kv : settings) h.settings[kv.first] = {kv.second, "test.yaml:" + kv.first};
    return h;
}

/// A logger configuration with these handlers, allowing the `allowed` ids ("*": every schema).
inline jupyter_events::logger_config logger_with(std::vector<jupyter_events::handler_config> handlers,
                                                 const std::vector<std::string>& allowed = {"*"}) {
    jupyter_events::logger_config cfg;
    for (const auto& id : allowed) cfg.allowed_schemas.push_back({id, std::nullopt, {}});
    cfg.handlers = std::move(handlers);
    return cfg;
}

/// One TextFile handler "events" writing `file` line by line (AutoFlush), so a test can
/// read it at any time; allows the `allowed` ids.
inline jupyter_events::logger_config file_logger(const std::filesystem::path& file,
                                                 const std::vector<std::string>& allowed = {"*"}) {
    return logger_with({handler("events", "TextFile", {{"FileName", file.string()}, {"AutoFlush", "true"}})}, allowed);
}

}  // namespace je_test
