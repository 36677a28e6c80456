// Where logging-path failures go (DESIGN section 5): never thrown, always counted,
// reported through a replaceable handler (default: one line on stderr), rate-limited so
// a failing disk or listener cannot flood the terminal.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace jupyter_events::detail {

class error_reporter {
public:
    using handler = std::function<void(std::string_view message)>;

    error_reporter();

    /// Replaces the handler; an empty one restores the default (stderr). Thread-safe.
    void set_handler(handler h);

    /// Reports `message` unless more than `burst` messages were reported in the last
    /// second; suppressed ones are counted and summarized with the next one that passes.
    /// Never throws, even if the handler does.
    void report(std::string_view message) noexcept;

    /// Messages reported (passed to the handler) and suppressed so far.
    std::uint64_t reported() const noexcept { return reported_.load(std::memory_order_relaxed); }
    std::uint64_t suppressed() const noexcept { return suppressed_total_.load(std::memory_order_relaxed); }

private:
    static constexpr int burst = 10;  // messages per second before suppression
    std::mutex mutex_;
    std::shared_ptr<handler> handler_;
    std::chrono::steady_clock::time_point window_start_{};
    int in_window_ = 0;
    std::uint64_t suppressed_ = 0;
    std::atomic<std::uint64_t> reported_{0}, suppressed_total_{0};
};

}  // namespace jupyter_events::detail
