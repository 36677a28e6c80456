// What the sink builders share: reading handler keys, counting and reporting write
// failures, and wrapping a backend in a synchronous or bounded asynchronous frontend with
// the plugin's filter and formatter. Private to sinks*.cpp / sink_*.cpp.
#pragma once

#include "detail/bounded_queue.hpp"
#include "detail/sinks.hpp"
#include "detail/sync_sink.hpp"

#include <boost/log/attributes/value_extraction.hpp>
#include <boost/log/expressions/filter.hpp>
#include <boost/log/expressions/formatter.hpp>
#include <boost/log/sinks/auto_newline_mode.hpp>
#include <boost/make_shared.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace jupyter_events::detail {

// Throws error(config_error) "<where>: handler <name>: <key>: <what>", located at the key.
[[noreturn]] void sink_config_fail(const handler_config& h, const std::string& key, const std::string& what);
const std::string* sink_setting(const handler_config& h, const std::string& key);
bool sink_bool(const handler_config& h, const std::string& key, bool fallback);
std::uintmax_t sink_size(const handler_config& h, const std::string& key, std::uintmax_t fallback);
boost::log::sinks::auto_newline_mode sink_auto_newline(const handler_config& h);
// Syslog facility code (0..23) of a `Facility` value such as "local0"; -1 if unknown.
int syslog_facility_code(const std::string& name);
// Errors for keys the destination does not know (configs built in code skip the loader).
void check_sink_keys(const handler_config& h, const std::set<std::string>& known);
// The bytes an auto-newline mode adds after `line`.
std::size_t auto_newline_size(boost::log::sinks::auto_newline_mode mode, const std::string& line) noexcept;

// Counts one handler's failures and sends each where it belongs: a synchronous write
// failure to the caller (thrown, or noted for take_write_failure), everything else to the
// report hook (rate-limited stderr by default). Shared by the backend and the frontend.
class sink_failures {
public:
    sink_failures(std::string handler, std::shared_ptr<handler_stats> stats, const sink_options& options,
                  bool asynchronous);
    // A record was not written. Throws error(write_failed) for a synchronous handler
    // with throw_on_write_error.
    void write_failed(const std::string& what);
    // A flush failed: counted and reported, never thrown (flush has no caller to tell).
    void flush_failed(const std::string& what) noexcept;
    // Anything else worth an operator's attention (not counted as a write error).
    void report(const std::string& what) noexcept;
    handler_stats& stats() noexcept { return *stats_; }
    const std::shared_ptr<handler_stats>& stats_ptr() const noexcept { return stats_; }

private:
    std::string handler_;
    std::shared_ptr<handler_stats> stats_;
    std::function<void(std::string_view)> report_;
    bool throw_;
    bool asynchronous_;
    std::atomic<std::uint64_t> reports_{0};
};

// "<path>: <strerror(err)>", or "<path>: write failed" when errno says nothing.
std::string describe_errno(const std::string& what, int err);

// What build_sink parsed before handing over to a destination's builder.
struct sink_context {
    const handler_config& h;
    unsigned logger_id;
    bool create_files;
    const sink_options& options;
    std::shared_ptr<handler_stats> stats;
    boost::log::filter user_filter;       // the handler's Filter; accepts all when absent
    std::optional<boost::log::formatter> formatter;  // the handler's Format; none = %Message% as is
    bool asynchronous = false;
    std::size_t queue_limit = 100000;
    overflow_policy overflow = overflow_policy::block;

    std::shared_ptr<sink_failures> failures() const {
        return std::make_shared<sink_failures>(h.name, stats, options, asynchronous);
    }
};

// The plugin's filter (its own logger's records, then Schemas, then Filter) and
// formatter (the record's Message as is, unless Format says otherwise).
void apply_filter_and_formatter(boost::log::sinks::basic_formatting_sink_frontend<char>& sink,
                                const sink_context& ctx);

// Wraps `backend` in the frontend the handler asked for.
template <typename Backend>
boost::shared_ptr<boost::log::sinks::sink> make_frontend(const boost::shared_ptr<Backend>& backend,
                                                         const sink_context& ctx,
                                                         const std::shared_ptr<sink_failures>& failures) {
    if (!ctx.asynchronous) {
        auto sink = boost::make_shared<sync_sink<Backend>>(backend);
        apply_filter_and_formatter(*sink, ctx);
        return sink;
    }
    auto sink = boost::make_shared<bounded_async_sink<Backend>>(backend, ctx.queue_limit, ctx.overflow, ctx.stats);
    // Backends report their own write failures in asynchronous mode; this catches what
    // escapes them (a formatter that throws), which would otherwise end the worker thread.
    sink->set_exception_handler([failures] {
        try {
            throw;
        } catch (const std::exception& e) {
            failures->report(std::string("unexpected error while writing (") + e.what() + ")");
        } catch (...) {
            failures->report("unexpected error while writing");
        }
    });
    apply_filter_and_formatter(*sink, ctx);
    sink->start();
    return sink;
}

// The destinations (sink_file.cpp, sinks.cpp, sink_syslog.cpp, sink_journal.cpp).
// Each checks its keys, returns null when !ctx.create_files, else the frontend.
boost::shared_ptr<boost::log::sinks::sink> make_text_file_sink(const sink_context& ctx);
boost::shared_ptr<boost::log::sinks::sink> make_console_sink(const sink_context& ctx);
boost::shared_ptr<boost::log::sinks::sink> make_syslog_sink(const sink_context& ctx);
boost::shared_ptr<boost::log::sinks::sink> make_journal_sink(const sink_context& ctx);

}  // namespace jupyter_events::detail
