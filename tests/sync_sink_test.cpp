// The backend lock of the plugin's synchronous frontend (detail/sync_sink.hpp): exclusive
// across threads, re-entrant in the owning thread (an error callback may record from inside
// a backend, as Boost.Log's synchronous_sink allows), try_lock fails only when another
// thread holds it.
#include "detail/sync_sink.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

namespace {

using jupyter_events::detail::spinning_recursive_mutex;

TEST(spinning_recursive_mutex, is_reentrant_in_the_owning_thread) {
    spinning_recursive_mutex m;
    m.lock();
    m.lock();
    EXPECT_TRUE(m.try_lock());
    m.unlock();
    m.unlock();
    // Still held once: another thread cannot take it.
    EXPECT_FALSE(std::async(std::launch::async, [&] { return m.try_lock(); }).get());
    m.unlock();
    EXPECT_TRUE(std::async(std::launch::async, [&] {
                    const bool got = m.try_lock();
                    if (got) m.unlock();
                    return got;
                }).get());
}

TEST(spinning_recursive_mutex, excludes_other_threads_while_they_spin_and_sleep) {
    spinning_recursive_mutex m;
    long counter = 0;  // plain: a missing exclusion shows as a lost update (and under TSan)
    std::atomic<int> inside{0};
    std::atomic<bool> overlap{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 20000; ++i) {
                m.lock();
                if (inside.fetch_add(1) != 0) overlap = true;
                ++counter;
                if (i % 1000 == 0) std::this_thread::yield();  // a holder that is descheduled
                inside.fetch_sub(1);
                m.unlock();
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_FALSE(overlap.load());
    EXPECT_EQ(counter, 4 * 20000);
}

}  // namespace
