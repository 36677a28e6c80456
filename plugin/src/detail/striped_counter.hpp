// A counter that many threads bump without sharing a cache line: each thread adds to its
// own stripe, readers sum the stripes. Recording threads update several counters per
// event; one shared atomic would bounce its cache line between cores on every event.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace jupyter_events::detail {

inline constexpr std::size_t counter_stripes = 16;

/// The stripe of the calling thread, fixed for its life (threads get stripes round robin).
inline std::size_t this_thread_stripe() noexcept {
    static std::atomic<std::size_t> next{0};
#if defined(__GNUC__)
    // initial-exec: a plain %fs-relative load instead of a __tls_get_addr call from the .so.
    __attribute__((tls_model("initial-exec")))
#endif
    thread_local const std::size_t mine = next.fetch_add(1, std::memory_order_relaxed) % counter_stripes;
    return mine;
}

template <typename T = std::uint64_t>
class striped_counter {
public:
    void add(T n = 1, std::memory_order order = std::memory_order_relaxed) noexcept {
        stripes_[this_thread_stripe()].value.fetch_add(n, order);
    }
    void sub(T n = 1, std::memory_order order = std::memory_order_relaxed) noexcept {
        stripes_[this_thread_stripe()].value.fetch_sub(n, order);
    }
    /// The sum of all stripes. Exact once writers are quiet; a snapshot otherwise.
    T load(std::memory_order order = std::memory_order_relaxed) const noexcept {
        T sum = 0;
        for (const auto& s : stripes_) sum += s.value.load(order);
        return sum;
    }

private:
    struct alignas(64) stripe {
        std::atomic<T> value{0};
    };
    std::array<stripe, counter_stripes> stripes_{};
};

}  // namespace jupyter_events::detail
