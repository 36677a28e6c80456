// Building Boost.Log sinks from handler settings (DESIGN section 6). Private: this is
// where Boost.Log's sink headers are included, never in public headers.
#pragma once

#include <jupyter_events/config.hpp>

#include <boost/log/sinks/sink.hpp>
#include <boost/shared_ptr.hpp>

#include <string>
#include <vector>

namespace jupyter_events::detail {

struct built_sink {
    std::string name;                                // the handler's name
    boost::shared_ptr<boost::log::sinks::sink> sink;  // not yet added to the core
    std::vector<std::string> schemas;                // per-handler allow-list, empty = all
};

/// Builds one handler's sink, filtered to records of logger `logger_id` (and its Schemas
/// and Filter). Throws error(errc::config_error) located at the offending key.
/// `create_files`: false for check-config, which must create and truncate nothing.
built_sink build_sink(const handler_config& handler, unsigned logger_id, bool create_files);

/// Registers the filter factories of the plugin's own attributes (EventSchema,
/// EventSchemaVersion, EventLoggerId) with Boost.Log's settings parser. Idempotent.
void register_attribute_factories();

}  // namespace jupyter_events::detail
