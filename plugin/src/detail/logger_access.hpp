// What library code outside event_logger.cpp may reach inside an event_logger (the
// native bridge reports through the logger's error handler). Defined in event_logger.cpp.
#pragma once

#include <jupyter_events/event_logger.hpp>

#include <string_view>

namespace jupyter_events::detail {

struct logger_access {
    /// Reports a logging-path failure through `logger`'s error handler (rate-limited).
    static void report(event_logger& logger, std::string_view message) noexcept;
};

}  // namespace jupyter_events::detail
