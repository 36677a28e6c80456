// The native bridges attached to a logger (native.cpp), as the logger's destructor sees
// them: a bridge that outlives its logger by mistake must not forward into freed memory.
#pragma once

namespace jupyter_events::detail {

/// Detaches every native_bridge attached to the logger with this id. Never throws.
void detach_native_bridges(unsigned logger_id) noexcept;

}  // namespace jupyter_events::detail
