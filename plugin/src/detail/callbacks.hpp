// Modifiers and listeners of an event_logger (jupyter_events' add_modifier /
// add_listener), and the small bounded worker pool listeners run on.
#pragma once

#include <jupyter_events/event_logger.hpp>

#include "detail/error_reporter.hpp"

#include <boost/json/value.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace jupyter_events::detail {

struct modifier_entry {
    callback_id id;
    std::string schema_id;  // "" = every schema
    modifier_fn fn;
};

struct listener_entry {
    callback_id id;
    std::string schema_id;  // "" = every schema
    listener_fn fn;
    listen mode;
    std::string name;
};

/// The registered callbacks. Reads take an immutable snapshot (copy-on-write), so
/// recording never waits for add/remove; the `any_*` flags keep the no-callback path at
/// one relaxed load.
class callback_registry {
public:
    callback_id add_modifier(std::string schema_id, modifier_fn fn);
    callback_id add_listener(std::string schema_id, listener_fn fn, listen mode, std::string name);
    bool remove(callback_id id) noexcept;

    bool any_modifiers() const noexcept { return any_modifiers_.load(std::memory_order_acquire); }
    bool any_listeners() const noexcept { return any_listeners_.load(std::memory_order_acquire); }

    std::shared_ptr<const std::vector<modifier_entry>> modifiers() const;
    std::shared_ptr<const std::vector<listener_entry>> listeners() const;

    /// True if a listener (of any mode) is registered for `schema_id` or for all.
    bool has_listener_for(std::string_view schema_id) const;

private:
    mutable std::mutex mutex_;
    callback_id next_id_ = 1;
    std::shared_ptr<const std::vector<modifier_entry>> modifiers_ = std::make_shared<std::vector<modifier_entry>>();
    std::shared_ptr<const std::vector<listener_entry>> listeners_ = std::make_shared<std::vector<listener_entry>>();
    std::atomic<bool> any_modifiers_{false}, any_listeners_{false};
};

/// Runs listener calls off the recording thread: `threads` workers (0 = run inline on
/// the caller's thread) and at most `queue_limit` waiting calls; beyond that a call is
/// dropped, counted and reported. A throwing listener is reported (once per listener and
/// schema) and affects nothing else.
class listener_pool {
public:
    listener_pool(unsigned threads, std::size_t queue_limit, error_reporter& errors);
    ~listener_pool();  // runs what is queued, then stops

    /// Queues calls of `listeners` with `event`. Never throws.
    void dispatch(std::shared_ptr<const std::vector<listener_entry>> listeners, std::string schema_id,
                  std::shared_ptr<const boost::json::object> modified,
                  std::shared_ptr<const boost::json::object> unmodified) noexcept;

    /// Waits until every queued call has run.
    void drain() noexcept;

    std::uint64_t failures() const noexcept { return failures_.load(std::memory_order_relaxed); }
    std::uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }

private:
    struct task {
        std::shared_ptr<const std::vector<listener_entry>> listeners;
        std::string schema_id;
        std::shared_ptr<const boost::json::object> modified, unmodified;
    };
    void run(const task& t) noexcept;
    void worker();

    error_reporter& errors_;
    std::size_t queue_limit_;
    std::mutex mutex_;
    std::condition_variable ready_, idle_;
    std::deque<task> queue_;
    std::size_t running_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
    std::mutex reported_mutex_;
    std::set<std::pair<callback_id, std::string>> reported_;  // (listener, schema) already reported
    std::atomic<std::uint64_t> failures_{0}, dropped_{0};
};

}  // namespace jupyter_events::detail
