// A queueing strategy for boost::log::sinks::asynchronous_sink whose bound is chosen at
// run time (Boost.Log's bounded_fifo_queue takes it as a template argument), and the
// asynchronous frontend that uses it and drains its queue when destroyed.
//
// Unlike bounded_fifo_queue + block_on_overflow, a flush never makes a blocked producer
// give up its record: interrupt_dequeue wakes only the consumer, so `Overflow: block`
// loses nothing.
#pragma once

#include "detail/sinks.hpp"

#include <boost/log/core/record_view.hpp>
#include <boost/log/sinks/async_frontend.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace jupyter_events::detail {

/// What a full queue does with one more record.
enum class overflow_policy {
    block,  ///< the caller waits for room (default)
    drop,   ///< the record is dropped for this handler and counted
};

/// The queueing strategy (Boost.Log's concept: enqueue, try_enqueue, try_dequeue_ready,
/// try_dequeue, dequeue_ready, interrupt_dequeue). Configure before the first record.
///
/// Cheap for the caller: a producer wakes the worker only when the worker sleeps, and the
/// worker does not go to sleep the moment the queue is empty: it first waits briefly
/// (linger) for more, so a steady stream costs the caller a lock and a push, not a futex
/// wake per record. The worker takes everything queued in one lock (a batch) and hands it
/// out record by record. A record waits at most `linger` plus the write before reaching
/// the backend; a flush or the destructor drains everything.
///
/// Written records are freed by a producer, not by the worker. glibc's malloc keeps freed
/// memory in the freeing thread's cache, so a worker freeing what a producer allocated takes
/// the producer's arena lock on every free while the producer takes it on every malloc: on
/// 2 cores that contention made the asynchronous handler drain at 0.28x the synchronous
/// rate (perf: most samples in futex wake/wait under malloc and free). The worker keeps a
/// reference to each record it hands out (`spent_`), passes them back with the next batch
/// (`returned_`), and the next enqueue takes them and drops the last reference after
/// unlocking, so the memory goes back to the cache it came from. At most one batch plus
/// `returned_limit` written records wait to be freed.
class bounded_queue {
protected:
    bounded_queue() = default;
    template <typename Args>
    explicit bounded_queue(const Args&) {}

    void configure_queue(std::size_t limit, overflow_policy policy, std::shared_ptr<handler_stats> stats) {
        std::lock_guard<std::mutex> lock(mutex_);
        limit_ = limit ? limit : 1;
        policy_ = policy;
        stats_ = std::move(stats);
    }

    void enqueue(const boost::log::record_view& rec) {
        std::vector<boost::log::record_view> written;  // freed after the lock is released
        std::unique_lock<std::mutex> lock(mutex_);
        while (queued_.load(std::memory_order_relaxed) >= limit_) {
            if (policy_ == overflow_policy::drop) {
                if (stats_) stats_->dropped_queue_full.fetch_add(1, std::memory_order_relaxed);
                return;
            }
            wake_worker();  // a full queue must not wait out the linger
            producers_waiting_.fetch_add(1);
            // Timed: hand_out signals without mutex_, so a wake can slip past; re-check.
            not_full_.wait_for(lock, std::chrono::milliseconds(1));
            producers_waiting_.fetch_sub(1);
        }
        push(rec, written);
    }

    bool try_enqueue(const boost::log::record_view& rec) {
        std::vector<boost::log::record_view> written;  // freed after the lock is released
        std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
        // Busy or full: the core then calls enqueue, which waits or drops per policy.
        if (!lock.owns_lock() || queued_.load(std::memory_order_relaxed) >= limit_) return false;
        push(rec, written);
        return true;
    }

    bool try_dequeue_ready(boost::log::record_view& rec) { return try_dequeue(rec); }

    bool try_dequeue(boost::log::record_view& rec) {
        std::lock_guard<std::mutex> consumer(consumer_mutex_);
        if (batch_.empty()) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (queue_.empty()) return false;
            take_batch();
        }
        hand_out(rec);
        return true;
    }

    // Blocks until a record arrives or interrupt_dequeue is called.
    bool dequeue_ready(boost::log::record_view& rec) {
        std::lock_guard<std::mutex> consumer(consumer_mutex_);
        if (interrupted_.exchange(false)) return false;  // stop or flush asked, even mid-stream
        if (batch_.empty()) {
            std::unique_lock<std::mutex> lock(mutex_);
            bool lingered = false;
            while (queue_.empty()) {
                if (interrupted_.exchange(false)) return false;
                if (!lingered) {  // a short wait nobody signals: the stream usually goes on
                    lingered = true;
                    not_empty_.wait_for(lock, linger);
                    continue;
                }
                worker_sleeping_ = true;
                not_empty_.wait(lock);
                worker_sleeping_ = false;
            }
            take_batch();
        }
        hand_out(rec);
        return true;
    }

    void interrupt_dequeue() {
        std::lock_guard<std::mutex> lock(mutex_);
        interrupted_.store(true);
        worker_sleeping_ = false;
        not_empty_.notify_all();
    }

private:
    static constexpr std::chrono::microseconds linger{200};
    static constexpr std::size_t returned_limit = 4096;  // beyond it the worker frees them

    void wake_worker() {
        if (worker_sleeping_) {
            worker_sleeping_ = false;
            not_empty_.notify_one();
        }
    }
    void push(const boost::log::record_view& rec, std::vector<boost::log::record_view>& written) {  // under mutex_
        if (!returned_.empty()) written.swap(returned_);
        queue_.push_back(rec);
        const std::size_t depth = queued_.fetch_add(1, std::memory_order_relaxed) + 1;
        if (stats_) stats_->queue_depth.store(depth, std::memory_order_relaxed);
        wake_worker();
    }
    void take_batch() {  // under both mutexes
        batch_.swap(queue_);
        if (spent_.empty()) return;
        if (returned_.size() < returned_limit) {
            if (returned_.empty()) {
                returned_.swap(spent_);
            } else {
                returned_.insert(returned_.end(), std::make_move_iterator(spent_.begin()),
                                 std::make_move_iterator(spent_.end()));
            }
        }
        spent_.clear();  // no producer came for them: freed here after all
    }
    void hand_out(boost::log::record_view& rec) {  // under consumer_mutex_
        rec.swap(batch_.front());
        batch_.pop_front();
        spent_.push_back(rec);  // a second reference: the worker's copy dies without a free
        const std::size_t depth = queued_.fetch_sub(1, std::memory_order_relaxed) - 1;
        if (stats_) stats_->queue_depth.store(depth, std::memory_order_relaxed);
        if (producers_waiting_.load()) not_full_.notify_all();
    }

    std::mutex mutex_;           // queue_ and the flags
    std::mutex consumer_mutex_;  // batch_: the worker, or a flush when no worker runs
    std::condition_variable not_empty_, not_full_;
    std::deque<boost::log::record_view> queue_;
    std::deque<boost::log::record_view> batch_;
    std::vector<boost::log::record_view> spent_;     // handed out from batch_ (consumer_mutex_)
    std::vector<boost::log::record_view> returned_;  // written, for a producer to free (mutex_)
    std::atomic<std::size_t> queued_{0};  // records in queue_ and batch_: what the limit bounds
    std::size_t limit_ = 100000;
    overflow_policy policy_ = overflow_policy::block;
    std::shared_ptr<handler_stats> stats_;
    std::atomic<std::size_t> producers_waiting_{0};
    bool worker_sleeping_ = false;
    std::atomic<bool> interrupted_{false};
};

/// asynchronous_sink over bounded_queue with its own worker thread (started by start(),
/// once the queue is configured). The destructor stops the worker, then writes whatever
/// is still queued and flushes: a record the sink accepted is never lost.
template <typename Backend>
class bounded_async_sink : public boost::log::sinks::asynchronous_sink<Backend, bounded_queue> {
    using base = boost::log::sinks::asynchronous_sink<Backend, bounded_queue>;

public:
    bounded_async_sink(const boost::shared_ptr<Backend>& backend, std::size_t limit, overflow_policy policy,
                       std::shared_ptr<handler_stats> stats)
        : base(backend, false) {
        this->configure_queue(limit, policy, std::move(stats));
    }

    void start() {
        worker_ = std::thread([this] {
            try {
                this->run();
            } catch (...) {  // run() throws only if started twice; nothing to report to
            }
        });
    }

    ~bounded_async_sink() override {
        try {
            this->stop();
            if (worker_.joinable()) worker_.join();
            this->flush();  // in this thread: drains the queue, then flushes the backend
        } catch (...) {
        }
    }

private:
    std::thread worker_;
};

}  // namespace jupyter_events::detail
