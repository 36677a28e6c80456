// The synchronous frontend of the plugin's handlers: Boost.Log's synchronous_sink with a
// backend lock that spins briefly before it sleeps.
//
// synchronous_sink guards its backend with boost::recursive_mutex, which goes to the
// kernel the moment it is contended. The backend's critical section is short (a copy into
// the file buffer; now and then a write(2)), so with two threads recording into one file
// most of the cost was futex wake and wait handing that lock back and forth (perf: about a
// quarter of the samples), and two threads wrote fewer events per second than one. Waiting
// a little for the holder to finish is cheaper than a sleep and a wake-up.
#pragma once

#include <boost/log/sinks/basic_sink_frontend.hpp>
#include <boost/log/sinks/frontend_requirements.hpp>
#include <boost/smart_ptr/shared_ptr.hpp>

#include <atomic>
#include <mutex>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace jupyter_events::detail {

/// A recursive mutex (a handler's error callback may record from inside the backend, as
/// with synchronous_sink) that spins up to `spins` tries before blocking.
class spinning_recursive_mutex {
public:
    void lock() {
        const std::thread::id self = std::this_thread::get_id();
        if (owner_.load(std::memory_order_relaxed) == self) {
            ++depth_;
            return;
        }
        // Test and test-and-set: wait reading owner_ (no cache line ping-pong), then try.
        for (int tries = 0; !mutex_.try_lock();) {
            if (tries >= spins) {
                mutex_.lock();
                break;
            }
            do {
                pause();
            } while (++tries < spins && owner_.load(std::memory_order_relaxed) != std::thread::id());
        }
        owner_.store(self, std::memory_order_relaxed);
        depth_ = 1;
    }

    bool try_lock() {
        const std::thread::id self = std::this_thread::get_id();
        if (owner_.load(std::memory_order_relaxed) == self) {
            ++depth_;
            return true;
        }
        if (!mutex_.try_lock()) return false;
        owner_.store(self, std::memory_order_relaxed);
        depth_ = 1;
        return true;
    }

    void unlock() {
        if (--depth_ > 0) return;
        owner_.store(std::thread::id(), std::memory_order_relaxed);
        mutex_.unlock();
    }

private:
    static constexpr int spins = 1000;  // pauses: tens of microseconds at most, then sleep

    static void pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
        _mm_pause();
#else
        std::this_thread::yield();
#endif
    }

    std::mutex mutex_;
    std::atomic<std::thread::id> owner_{};
    unsigned depth_ = 0;  // only the owner touches it
};

/// boost::log::sinks::synchronous_sink with spinning_recursive_mutex as the backend lock.
template <typename Backend>
class sync_sink : public boost::log::sinks::aux::make_sink_frontend_base<Backend>::type {
    using base = typename boost::log::sinks::aux::make_sink_frontend_base<Backend>::type;
    static_assert(boost::log::sinks::has_requirement<typename Backend::frontend_requirements,
                                                     boost::log::sinks::synchronized_feeding>::value,
                  "sync_sink serializes the backend: it must ask for synchronized_feeding");

public:
    explicit sync_sink(boost::shared_ptr<Backend> backend) : base(false), backend_(std::move(backend)) {}

    void consume(const boost::log::record_view& rec) override { base::feed_record(rec, mutex_, *backend_); }
    bool try_consume(const boost::log::record_view& rec) override {
        return base::try_feed_record(rec, mutex_, *backend_);
    }
    void flush() override { base::flush_backend(mutex_, *backend_); }

private:
    spinning_recursive_mutex mutex_;
    const boost::shared_ptr<Backend> backend_;
};

}  // namespace jupyter_events::detail
