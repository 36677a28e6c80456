#include <jupyter_events/log_filters.hpp>

#include "detail/sinks.hpp"

namespace jupyter_events {

void register_log_factories() { detail::register_attribute_factories(); }

}  // namespace jupyter_events
