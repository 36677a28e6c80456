#include "detail/callbacks.hpp"

#include <algorithm>

namespace jupyter_events::detail {

callback_id callback_registry::add_modifier(std::string schema_id, modifier_fn fn) {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<std::vector<modifier_entry>>(*modifiers_);
    const callback_id id = next_id_++;
    next->push_back({id, std::move(schema_id), std::move(fn)});
    modifiers_ = std::move(next);
    any_modifiers_.store(true, std::memory_order_release);
    return id;
}

callback_id callback_registry::add_listener(std::string schema_id, listener_fn fn, listen mode, std::string name) {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<std::vector<listener_entry>>(*listeners_);
    const callback_id id = next_id_++;
    if (name.empty()) name = "listener #" + std::to_string(id);
    next->push_back({id, std::move(schema_id), std::move(fn), mode, std::move(name)});
    listeners_ = std::move(next);
    any_listeners_.store(true, std::memory_order_release);
    return id;
}

bool callback_registry::remove(callback_id id) noexcept {
    try {
        std::lock_guard lock(mutex_);
        auto drop = [id](auto& list) {
            auto next = std::make_shared<std::remove_const_t<std::remove_reference_t<decltype(*list)>>>(*list);
            auto it = std::remove_if(next->begin(), next->end(), [id](const auto& e) { return e.id == id; });
            if (it == next->end()) return false;
            next->erase(it, next->end());
            list = std::move(next);
            return true;
        };
        const bool removed = drop(modifiers_) || drop(listeners_);
        any_modifiers_.store(!modifiers_->empty(), std::memory_order_release);
        any_listeners_.store(!listeners_->empty(), std::memory_order_release);
        return removed;
    } catch (...) {
        return false;
    }
}

std::shared_ptr<const std::vector<modifier_entry>> callback_registry::modifiers() const {
    std::lock_guard lock(mutex_);
    return modifiers_;
}

std::shared_ptr<const std::vector<listener_entry>> callback_registry::listeners() const {
    std::lock_guard lock(mutex_);
    return listeners_;
}

bool callback_registry::has_listener_for(std::string_view schema_id) const {
    if (!any_listeners()) return false;
    auto list = listeners();
    return std::any_of(list->begin(), list->end(),
                       [&](const listener_entry& e) { return e.schema_id.empty() || e.schema_id == schema_id; });
}

listener_pool::listener_pool(unsigned threads, std::size_t queue_limit, error_reporter& errors)
    : errors_(errors), queue_limit_(queue_limit) {
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { worker(); });
}

listener_pool::~listener_pool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) t.join();
}

void listener_pool::dispatch(std::shared_ptr<const std::vector<listener_entry>> listeners, std::string schema_id,
                             std::shared_ptr<const boost::json::object> modified,
                             std::shared_ptr<const boost::json::object> unmodified) noexcept {
    try {
        task t{std::move(listeners), std::move(schema_id), std::move(modified), std::move(unmodified)};
        if (threads_.empty()) {
            run(t);
            return;
        }
        {
            std::lock_guard lock(mutex_);
            if (queue_.size() >= queue_limit_) {
                dropped_.fetch_add(1, std::memory_order_relaxed);
                errors_.report("listeners: queue full (" + std::to_string(queue_limit_) + " events waiting); listener calls for " +
                               t.schema_id + " dropped; make listeners faster or raise listener_queue_limit");
                return;
            }
            queue_.push_back(std::move(t));
        }
        ready_.notify_one();
    } catch (...) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
    }
}

void listener_pool::drain() noexcept {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return queue_.empty() && running_ == 0; });
}

void listener_pool::worker() {
    std::unique_lock lock(mutex_);
    for (;;) {
        ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping and nothing left to run
        task t = std::move(queue_.front());
        queue_.pop_front();
        ++running_;
        lock.unlock();
        run(t);
        lock.lock();
        --running_;
        if (queue_.empty() && running_ == 0) idle_.notify_all();
    }
}

void listener_pool::run(const task& t) noexcept {
    for (const auto& l : *t.listeners) {
        if (!l.schema_id.empty() && l.schema_id != t.schema_id) continue;
        const auto& event = l.mode == listen::modified ? t.modified : t.unmodified;
        if (!event) continue;
        try {
            l.fn(t.schema_id, *event);
        } catch (...) {
            failures_.fetch_add(1, std::memory_order_relaxed);
            std::string what = "unknown exception";
            try {
                throw;
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            try {
                std::lock_guard lock(reported_mutex_);
                if (reported_.emplace(l.id, t.schema_id).second)
                    errors_.report(l.name + " failed for schema " + t.schema_id + " (" + what +
                                   "); further failures of it for this schema are counted, not reported");
            } catch (...) {
            }
        }
    }
}

}  // namespace jupyter_events::detail
