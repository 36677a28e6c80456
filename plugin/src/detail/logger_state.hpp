// One configuration of an event_logger: what is allowed, how lines are written, and the
// sinks that write them. Immutable once built, so recording threads read it without
// locks; reload() builds a new one and swaps it in (event_logger.cpp).
#pragma once

#include <jupyter_events/config.hpp>
#include <jupyter_events/event_schema.hpp>

#include "detail/redaction.hpp"
#include "detail/sinks.hpp"
#include "detail/striped_counter.hpp"

#include <boost/log/attributes/attribute_set.hpp>

#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace jupyter_events::detail {

struct logger_state {
    unsigned logger_id = 0;
    unsigned generation = 0;  // sinks accept records of their own generation only
    timestamp_format timestamp = timestamp_format::rfc3339;
    json_style style = json_style::compact;

    bool allow_all = false;
    std::set<std::string, std::less<>> allowed;
    std::map<std::string, redaction_policy, std::less<>> policies;  // an id's own entry wins over "*"
    std::optional<redaction_policy> star_policy;

    std::vector<built_sink> sinks;
    std::shared_ptr<write_gate> gate;  // opened once the state this one replaces is retired
    bool sink_for_every_schema = false;               // some handler has no Schemas list
    std::set<std::string, std::less<>> sink_schemas;  // union of handlers' Schemas lists

    // Recording threads inside this state's write path; reload waits for zero. Striped:
    // every event enters and leaves, and one shared atomic would serialise the threads.
    mutable striped_counter<std::uint64_t> in_flight;

    bool allows(std::string_view schema_id) const noexcept { return allow_all || allowed.count(schema_id) > 0; }
    bool sink_wants(std::string_view schema_id) const noexcept {
        return sink_for_every_schema || (!sink_schemas.empty() && sink_schemas.count(schema_id) > 0);
    }
    const redaction_policy* policy_for(std::string_view schema_id) const noexcept;

    /// The source attributes of a record of `schema` (built once per schema and thread):
    /// Channel, Severity, EventLoggerId, EventLoggerGeneration, EventSchema,
    /// EventSchemaVersion. Boost.Log runs sink filters when a record opens, so these must
    /// be there already. Valid until this thread's next call.
    const boost::log::attribute_set& attributes_for(const event_schema& schema) const;
};

/// Builds the state of `cfg` (sinks built, not attached). Throws error (config_error...).
std::unique_ptr<logger_state> build_state(const logger_config& cfg, unsigned logger_id, unsigned generation,
                                          const sink_options& options);

}  // namespace jupyter_events::detail
