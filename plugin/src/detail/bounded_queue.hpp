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

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace jupyter_events::detail {

/// What a full queue does with one more record.
enum class overflow_policy {
    block,  ///< the caller waits for room (default)
    drop,   ///< the record is dropped for this handler and counted
};

/// The queueing strategy (Boost.Log's concept: enqueue, try_enqueue, try_dequeue_ready,
/// try_dequeue, dequeue_ready, interrupt_dequeue). Configure before the first record.
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
        std::unique_lock<std::mutex> lock(mutex_);
        while (queue_.size() >= limit_) {
            if (policy_ == overflow_policy::drop) {
                if (stats_) stats_->dropped_queue_full.fetch_add(1, std::memory_order_relaxed);
                return;
            }
            not_full_.wait(lock);
        }
        push(rec);
    }

    bool try_enqueue(const boost::log::record_view& rec) {
        std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
        if (!lock.owns_lock() || queue_.size() >= limit_) return false;  // the core then calls enqueue
        push(rec);
        return true;
    }

    bool try_dequeue_ready(boost::log::record_view& rec) { return try_dequeue(rec); }

    bool try_dequeue(boost::log::record_view& rec) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (queue_.empty()) return false;
        pop(rec);
        return true;
    }

    // Blocks until a record arrives or interrupt_dequeue is called.
    bool dequeue_ready(boost::log::record_view& rec) {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!interrupted_) {
            if (!queue_.empty()) {
                pop(rec);
                return true;
            }
            not_empty_.wait(lock);
        }
        interrupted_ = false;
        return false;
    }

    void interrupt_dequeue() {
        std::lock_guard<std::mutex> lock(mutex_);
        interrupted_ = true;
        not_empty_.notify_all();
    }

private:
    void push(const boost::log::record_view& rec) {
        queue_.push_back(rec);
        if (stats_) stats_->queue_depth.store(queue_.size(), std::memory_order_relaxed);
        if (queue_.size() == 1) not_empty_.notify_one();
    }
    void pop(boost::log::record_view& rec) {
        rec.swap(queue_.front());
        queue_.pop_front();
        if (stats_) stats_->queue_depth.store(queue_.size(), std::memory_order_relaxed);
        not_full_.notify_one();
    }

    std::mutex mutex_;
    std::condition_variable not_empty_, not_full_;
    std::deque<boost::log::record_view> queue_;
    std::size_t limit_ = 100000;
    overflow_policy policy_ = overflow_policy::block;
    std::shared_ptr<handler_stats> stats_;
    bool interrupted_ = false;
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
