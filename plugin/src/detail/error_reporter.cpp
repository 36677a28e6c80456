#include "detail/error_reporter.hpp"

#include <cstdio>

namespace jupyter_events::detail {
namespace {

void to_stderr(std::string_view message) {
    // One write per line so concurrent reports do not interleave within a line.
    std::string line = "jupyter_events: ";
    line.append(message.data(), message.size());
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

error_reporter::error_reporter() : handler_(std::make_shared<handler>(to_stderr)) {}

void error_reporter::set_handler(handler h) {
    auto next = std::make_shared<handler>(h ? std::move(h) : handler(to_stderr));
    std::lock_guard lock(mutex_);
    handler_ = std::move(next);
}

void error_reporter::report(std::string_view message) noexcept {
    try {
        std::shared_ptr<handler> h;
        std::string text;
        {
            std::lock_guard lock(mutex_);
            const auto now = std::chrono::steady_clock::now();
            if (now - window_start_ >= std::chrono::seconds(1)) {
                window_start_ = now;
                in_window_ = 0;
            }
            if (++in_window_ > burst) {
                ++suppressed_;
                suppressed_total_.fetch_add(1, std::memory_order_relaxed);
                return;
            }
            h = handler_;
            text.assign(message.data(), message.size());
            // One report, one line: exception texts may carry newlines.
            for (char& c : text)
                if (c == '\n' || c == '\r') c = ' ';
            if (suppressed_) {
                text += " (" + std::to_string(suppressed_) + " earlier messages suppressed)";
                suppressed_ = 0;
            }
        }
        reported_.fetch_add(1, std::memory_order_relaxed);
        (*h)(text);
    } catch (...) {
        // A failing handler must not take the logging path down with it.
    }
}

}  // namespace jupyter_events::detail
