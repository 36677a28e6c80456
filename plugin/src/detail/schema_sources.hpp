// One place that knows an `EventLogger.schemas` entry is a path or a URL.
#pragma once

#include <jupyter_events/schema_registry.hpp>

#include <string>
#include <vector>

namespace jupyter_events::detail {

/// Registers one `EventLogger.schemas` entry: a URL (file://, http://) or a file or
/// directory path (already resolved against its config file's directory).
inline std::vector<event_schema> register_schema_entry(schema_registry& registry, const std::string& entry) {
    if (entry.find("://") != std::string::npos) return registry.register_schema_url(entry);
    return registry.register_schema_file(entry);
}

}  // namespace jupyter_events::detail
