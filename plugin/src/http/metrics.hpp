// The event server's counters and their Prometheus text (DESIGN section 10, "Metrics").
// No Asio or Beast here: the counters are plain atomics updated by the I/O threads.
#pragma once

#include <jupyter_events/event_logger.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace jupyter_events::server_detail {

/// Why an event got a 400 or 503, as the `reason` label and the JSON body's "reason".
enum class reject_reason { invalid, unregistered, bad_request, write_failed };
inline constexpr std::size_t reject_reason_count = 4;
const char* reason_name(reject_reason r) noexcept;

/// Per-schema counters of events received over HTTP.
struct schema_counters {
    std::atomic<std::uint64_t> recorded{0};
    std::array<std::atomic<std::uint64_t>, reject_reason_count> rejected{};
};

/// Everything the server counts. Thread-safe; lookups take a shared lock, only the first
/// event of a newly registered schema takes the exclusive one.
class server_counters {
public:
    /// Series for every schema registered now are present (at 0) from the start.
    explicit server_counters(const schema_registry& registry);

    /// The counters of `schema_id` when the registry knows that `$id` (in any version),
    /// else the shared bucket with an empty `schema` label: labels stay bounded whatever
    /// ids clients send.
    schema_counters& for_schema(std::string_view schema_id);

    /// Counts one HTTP response by status code.
    void count_response(unsigned status) noexcept;

    std::atomic<std::uint64_t> connections_open{0};      ///< gauge
    std::atomic<std::uint64_t> connections_accepted{0};  ///< counter

    /// Appends the Prometheus text of every series, `logger`'s counters included.
    void write_text(std::string& out, const event_logger& logger) const;

private:
    const schema_registry& registry_;
    mutable std::shared_mutex mutex_;
    std::map<std::string, std::unique_ptr<schema_counters>, std::less<>> schemas_;
    schema_counters unknown_;
    std::array<std::atomic<std::uint64_t>, 16> responses_{};
};

}  // namespace jupyter_events::server_detail
