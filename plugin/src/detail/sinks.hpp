// Building Boost.Log sinks from handler settings (DESIGN section 6). Private: this is
// where Boost.Log's sink headers are included, never in public headers.
#pragma once

#include <jupyter_events/config.hpp>

#include <boost/log/sinks/sink.hpp>
#include <boost/shared_ptr.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jupyter_events::detail {

/// Per-handler counters, shared by the sink (which updates them, possibly from its
/// worker thread) and whoever reports them (metrics, `record`'s summary). Lock-free.
struct handler_stats {
    std::atomic<std::uint64_t> write_errors{0};        ///< records or flushes that failed to write
    std::atomic<std::uint64_t> dropped_queue_full{0};  ///< Overflow: drop, queue was full
    std::atomic<std::uint64_t> queue_depth{0};         ///< records waiting (Asynchronous only)
};

/// Holds a new configuration's stream writers (TextFile, Console) back until the
/// configuration it replaces has closed its files: two generations appending to one file
/// would interleave their buffers and cut lines. Opened once; free to pass after that.
class write_gate {
public:
    void open() noexcept {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            open_ = true;
        }
        opened_.notify_all();
    }
    void wait() {
        std::unique_lock<std::mutex> lock(mutex_);
        opened_.wait(lock, [this] { return open_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable opened_;
    bool open_ = false;
};

/// How build_sink's sinks report what they cannot throw. All optional.
struct sink_options {
    /// Receives failures that have no caller to return to: asynchronous writes and
    /// flushes. Called from the sink's thread; must not block long. Empty: one line on
    /// stderr for the 1st, 2nd, 4th, 8th... failure of each handler.
    std::function<void(std::string_view message)> report;
    /// true (default): a synchronous write failure throws error(write_failed) out of the
    /// sink, so core::push_record throws and try_record_event returns write_failed. Note
    /// Boost.Log's core then skips the sinks it had not yet fed with that record.
    /// false: the failure is counted, noted for take_write_failure(), and every other sink
    /// still receives the record.
    bool throw_on_write_error = true;
    /// The local syslog socket (Syslog without TargetAddress). Tests point it elsewhere.
    std::string syslog_socket = "/dev/log";
    /// The logger configuration the sink belongs to: it accepts only records whose
    /// EventLoggerGeneration equals this, so a reload never writes a record twice.
    unsigned generation = 0;
    /// When set, file and console sinks write nothing before it opens (see write_gate).
    std::shared_ptr<write_gate> gate;
};

struct built_sink {
    std::string name;                                // the handler's name
    boost::shared_ptr<boost::log::sinks::sink> sink;  // not yet added to the core; null for check-config
    std::vector<std::string> schemas;                // per-handler allow-list, empty = all
    std::shared_ptr<handler_stats> stats = std::make_shared<handler_stats>();  // never null
};

/// Builds one handler's sink, filtered to records of logger `logger_id` (and its Schemas
/// and Filter). Throws error(errc::config_error) located at the offending key.
/// `create_files`: false for check-config, which must create and truncate nothing and
/// open no socket (the returned `sink` is then null; every key is still checked).
/// Asynchronous sinks drain their queue when flushed and when destroyed.
built_sink build_sink(const handler_config& handler, unsigned logger_id, bool create_files,
                      const sink_options& options = {});

/// With `throw_on_write_error = false`: the failure message of the last synchronous write
/// that failed in this thread since the previous call, and clears it. Call it right after
/// core::push_record to learn whether one of the plugin's handlers failed to write.
std::optional<std::string> take_write_failure() noexcept;

/// Registers the filter factories of the plugin's own attributes (EventSchema,
/// EventSchemaVersion, EventLoggerId) with Boost.Log's settings parser. Idempotent.
void register_attribute_factories();

/// The destinations build_sink knows, for messages: "TextFile, Console, Syslog, Journal".
std::string known_destinations();

}  // namespace jupyter_events::detail
