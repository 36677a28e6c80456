#include "detail/logger_state.hpp"

#include <boost/log/attributes/constant.hpp>
#include <boost/log/trivial.hpp>

#include <mutex>

namespace jupyter_events::detail {

namespace logging = boost::log;
namespace attrs = boost::log::attributes;

const redaction_policy* logger_state::policy_for(std::string_view schema_id) const noexcept {
    auto it = policies.find(schema_id);
    if (it != policies.end()) return &it->second;
    return star_policy ? &*star_policy : nullptr;
}

const logging::attribute_set& logger_state::attributes_for(const event_schema& schema) const {
    // Per thread: Boost.Log takes a reference on every attribute of a record it opens, so
    // one set shared by all threads would bounce those counters between cores on every
    // event. Keyed by logger, generation and schema; logger ids are never reused.
    struct entry {
        unsigned logger_id;
        unsigned generation;
        const void* key;
        logging::attribute_set set;
    };
    constexpr std::size_t cache_limit = 32;  // oldest entries go first
    thread_local std::vector<entry> cache;
    const void* key = &schema.json();
    for (auto it = cache.rbegin(); it != cache.rend(); ++it)
        if (it->key == key && it->generation == generation && it->logger_id == logger_id) return it->set;
    if (cache.size() >= cache_limit) cache.erase(cache.begin());
    auto& set = cache.emplace_back(entry{logger_id, generation, key, {}}).set;
    set.insert("Channel", attrs::constant<std::string>("jupyter_events"));
    set.insert("Severity", attrs::constant<logging::trivial::severity_level>(logging::trivial::info));
    set.insert("EventLoggerId", attrs::constant<unsigned>(logger_id));
    set.insert("EventLoggerGeneration", attrs::constant<unsigned>(generation));
    set.insert("EventSchema", attrs::constant<std::string>(schema.id()));
    set.insert("EventSchemaVersion", attrs::constant<std::string>(schema.version()));
    return set;
}

std::unique_ptr<logger_state> build_state(const logger_config& cfg, unsigned logger_id, unsigned generation,
                                          const sink_options& options) {
    auto st = std::make_unique<logger_state>();
    st->logger_id = logger_id;
    st->generation = generation;
    st->timestamp = cfg.timestamp;
    st->style = cfg.style;
    for (const auto& entry : cfg.allowed_schemas) {
        if (entry.id == "*") {
            st->allow_all = true;
            st->star_policy = make_policy(entry);
        } else {
            st->allowed.insert(entry.id);
            st->policies[entry.id] = make_policy(entry);
        }
    }
    sink_options with_generation = options;
    with_generation.generation = generation;
    for (const auto& handler : cfg.handlers) {
        st->sinks.push_back(build_sink(handler, logger_id, true, with_generation));
        const auto& schemas = st->sinks.back().schemas;
        if (schemas.empty()) st->sink_for_every_schema = true;
        st->sink_schemas.insert(schemas.begin(), schemas.end());
    }
    return st;
}

}  // namespace jupyter_events::detail
