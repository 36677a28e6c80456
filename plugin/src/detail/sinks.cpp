#include "detail/sinks.hpp"

#include "detail/event_formatter.hpp"
#include "detail/sink_common.hpp"

#include <jupyter_events/error.hpp>

#include <boost/core/null_deleter.hpp>
#include <boost/log/sinks/basic_sink_backend.hpp>
#include <boost/log/utility/setup/filter_parser.hpp>
#include <boost/log/utility/setup/formatter_parser.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>

namespace jupyter_events::detail {
namespace {

namespace logging = boost::log;
namespace sinks = boost::log::sinks;

thread_local std::optional<std::string> last_write_failure;

// Keys every destination takes besides its own (Filter and Schemas are not settings).
const std::set<std::string> frontend_keys = {"Asynchronous", "QueueLimit", "Overflow", "Format"};

std::set<std::string> with_frontend_keys(std::set<std::string> keys) {
    keys.insert(frontend_keys.begin(), frontend_keys.end());
    return keys;
}

const std::map<std::string, std::set<std::string>>& destination_keys() {
    static const std::map<std::string, std::set<std::string>> keys = {
        {"TextFile", with_frontend_keys({"FileName", "TargetFileName", "Target", "RotationSize", "RotationInterval",
                                         "RotationTimePoint", "MaxSize", "MinFreeSpace", "MaxFiles", "ScanForFiles",
                                         "Append", "AutoFlush", "EnableFinalRotation", "AutoNewline", "Mode"})},
        {"Console", with_frontend_keys({"AutoFlush", "AutoNewline"})},
        {"Syslog", with_frontend_keys({"LocalAddress", "TargetAddress", "Facility", "Ident"})},
        {"Journal", with_frontend_keys({"Ident", "Facility"})},
    };
    return keys;
}

// Console: like Boost.Log's (std::clog, AutoFlush default true), but a failed write is
// seen and counted instead of leaving std::clog silently in a failed state.
class console_backend
    : public sinks::basic_formatted_sink_backend<char, sinks::combine_requirements<sinks::synchronized_feeding,
                                                                                   sinks::flushing>::type> {
public:
    console_backend(std::ostream& out, bool auto_flush, sinks::auto_newline_mode newline,
                    std::shared_ptr<sink_failures> failures, std::shared_ptr<write_gate> gate)
        : out_(out), auto_flush_(auto_flush), newline_(newline), failures_(std::move(failures)), gate_(std::move(gate)) {}

    void consume(const logging::record_view&, const string_type& line) {
        if (gate_) {  // the replaced configuration's console sink may still be writing
            gate_->wait();
            gate_.reset();
        }
        errno = 0;
        out_.write(line.data(), static_cast<std::streamsize>(line.size()));
        if (auto_newline_size(newline_, line)) out_.put('\n');
        if (auto_flush_) out_.flush();
        if (!out_.good()) {
            const int err = errno;
            out_.clear();
            failures_->write_failed(describe_errno("console", err));
        }
    }

    void flush() {
        errno = 0;
        out_.flush();
        if (!out_.good()) {
            const int err = errno;
            out_.clear();
            failures_->flush_failed(describe_errno("console", err));
        }
    }

private:
    std::ostream& out_;
    bool auto_flush_;
    sinks::auto_newline_mode newline_;
    std::shared_ptr<sink_failures> failures_;
    std::shared_ptr<write_gate> gate_;  // null once passed
};

}  // namespace

// --- shared helpers (sink_common.hpp) ---------------------------------------------------

void sink_config_fail(const handler_config& h, const std::string& key, const std::string& what) {
    auto it = h.settings.find(key);
    std::string where = it != h.settings.end() && !it->second.where.empty() ? it->second.where : h.where;
    throw error(errc::config_error, (where.empty() ? "" : where + ": ") + "handler " + h.name + ": " +
                                        (key.empty() ? "" : key + ": ") + what);
}

const std::string* sink_setting(const handler_config& h, const std::string& key) {
    auto it = h.settings.find(key);
    return it == h.settings.end() ? nullptr : &it->second.value;
}

bool sink_bool(const handler_config& h, const std::string& key, bool fallback) {
    const std::string* v = sink_setting(h, key);
    if (!v) return fallback;
    std::string s = *v;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
    if (s == "false" || s == "no" || s == "off" || s == "0") return false;
    sink_config_fail(h, key, "expected true or false (" + *v + ")");
}

std::uintmax_t sink_size(const handler_config& h, const std::string& key, std::uintmax_t fallback) {
    const std::string* v = sink_setting(h, key);
    if (!v) return fallback;
    std::uintmax_t n = 0;
    if (v->empty() || v->size() > 19 || !std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; }))
        sink_config_fail(h, key, "expected a non-negative whole number (" + *v + ")");
    for (char c : *v) n = n * 10 + static_cast<std::uintmax_t>(c - '0');
    return n;
}

sinks::auto_newline_mode sink_auto_newline(const handler_config& h) {
    const std::string* v = sink_setting(h, "AutoNewline");
    if (!v || *v == "InsertIfMissing") return sinks::insert_if_missing;
    if (*v == "AlwaysInsert") return sinks::always_insert;
    if (*v == "Disabled") return sinks::disabled_auto_newline;
    sink_config_fail(h, "AutoNewline", "expected Disabled, AlwaysInsert or InsertIfMissing (" + *v + ")");
}

std::size_t auto_newline_size(sinks::auto_newline_mode mode, const std::string& line) noexcept {
    switch (mode) {
        case sinks::disabled_auto_newline: return 0;
        case sinks::always_insert: return 1;
        default: return line.empty() || line.back() != '\n' ? 1 : 0;
    }
}

int syslog_facility_code(const std::string& name) {
    static const char* const names[] = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
                                        "uucp", "cron", "authpriv", "ftp"};
    for (int i = 0; i < 12; ++i)
        if (name == names[i]) return i;
    if (name.size() == 6 && name.compare(0, 5, "local") == 0 && name[5] >= '0' && name[5] <= '7')
        return 16 + (name[5] - '0');
    return -1;
}

void check_sink_keys(const handler_config& h, const std::set<std::string>& known) {
    for (const auto& kv : h.settings) {
        if (known.count(kv.first)) continue;
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        sink_config_fail(h, kv.first, "unknown key for Destination " + h.destination + " (" + kv.first +
                                          "); known keys: " + list + ", Filter, Schemas");
    }
}

std::string describe_errno(const std::string& what, int err) {
    return what + ": " + (err ? std::string(std::strerror(err)) : std::string("write failed"));
}

sink_failures::sink_failures(std::string handler, std::shared_ptr<handler_stats> stats, const sink_options& options,
                             bool asynchronous)
    : handler_(std::move(handler)),
      stats_(std::move(stats)),
      report_(options.report),
      throw_(options.throw_on_write_error),
      asynchronous_(asynchronous) {}

void sink_failures::write_failed(const std::string& what) {
    stats_->write_errors.fetch_add(1, std::memory_order_relaxed);
    const std::string message = "handler " + handler_ + ": " + what;
    if (asynchronous_) {
        report(what);
    } else if (throw_) {
        throw error(errc::write_failed, message);
    } else {
        last_write_failure = message;
    }
}

void sink_failures::flush_failed(const std::string& what) noexcept {
    stats_->write_errors.fetch_add(1, std::memory_order_relaxed);
    report(what);
}

void sink_failures::report(const std::string& what) noexcept {
    try {
        const std::string message = "handler " + handler_ + ": " + what;
        if (report_) {
            report_(message);
            return;
        }
        // Default: stderr, for the 1st, 2nd, 4th, 8th... report of this handler, so a
        // full disk cannot flood the terminal.
        const std::uint64_t n = reports_.fetch_add(1, std::memory_order_relaxed) + 1;
        if ((n & (n - 1)) == 0)
            std::cerr << "jupyter_events: " << message << " [" << n << (n == 1 ? " failure" : " failures")
                      << " so far]\n";
    } catch (...) {
    }
}

void apply_filter_and_formatter(sinks::basic_formatting_sink_frontend<char>& sink, const sink_context& ctx) {
    if (!ctx.formatter) {
        // The record's Message is the JSON line: write it as is (no format parsing per record).
        sink.set_formatter([](const logging::record_view& rec, logging::formatting_ostream& strm) {
            if (auto msg = logging::extract<std::string>("Message", rec)) strm << *msg;
        });
    } else {
        sink.set_formatter(*ctx.formatter);
    }
    std::set<std::string, std::less<>> allowed(ctx.h.schemas.begin(), ctx.h.schemas.end());
    sink.set_filter([logger_id = ctx.logger_id, generation = ctx.options.generation, allowed = std::move(allowed),
                     user_filter = ctx.user_filter](const logging::attribute_value_set& attrs) {
        static const logging::attribute_name id_name("EventLoggerId"), generation_name("EventLoggerGeneration");
        auto id = logging::extract<unsigned>(id_name, attrs);
        if (!id || *id != logger_id) return false;
        auto gen = logging::extract<unsigned>(generation_name, attrs);
        if (!gen || *gen != generation) return false;
        if (!allowed.empty()) {
            auto schema = logging::extract<std::string>("EventSchema", attrs);
            if (!schema || !allowed.count(*schema)) return false;
        }
        return user_filter(attrs);
    });
}

boost::shared_ptr<sinks::sink> make_console_sink(const sink_context& ctx) {
    const bool auto_flush = sink_bool(ctx.h, "AutoFlush", true);
    const auto newline = sink_auto_newline(ctx.h);
    if (!ctx.create_files) return {};
    auto failures = ctx.failures();
    // Boost.Log's Console destination writes to std::clog; so does ours.
    return make_frontend(boost::make_shared<console_backend>(std::clog, auto_flush, newline, failures, ctx.options.gate),
                         ctx, failures);
}

#ifndef JUPYTER_EVENTS_WITH_JOURNAL
boost::shared_ptr<sinks::sink> make_journal_sink(const sink_context& ctx) {
    throw error(errc::config_error, (ctx.h.where.empty() ? "" : ctx.h.where + ": ") + "handler " + ctx.h.name +
                                        ": Destination: Journal is not available (this build of jupyter_events "
                                        "has no libsystemd); rebuild with libsystemd-dev installed and "
                                        "JUPYTER_EVENTS_WITH_JOURNAL=ON, or use Syslog");
}
#endif

// --- the public part (sinks.hpp) ----------------------------------------------------------

std::optional<std::string> take_write_failure() noexcept {
    std::optional<std::string> out;
    out.swap(last_write_failure);
    return out;
}

void register_attribute_factories() {
    static std::once_flag once;
    std::call_once(once, [] {
        logging::register_simple_filter_factory<std::string, char>("EventSchema");
        logging::register_simple_filter_factory<std::string, char>("EventSchemaVersion");
        logging::register_simple_filter_factory<unsigned, char>("EventLoggerId");
    });
    register_event_formatter();  // %EventJson%, in handler Formats and application settings alike
}

std::string known_destinations() {
#ifdef JUPYTER_EVENTS_WITH_JOURNAL
    return "TextFile, Console, Syslog or Journal";
#else
    return "TextFile, Console or Syslog";
#endif
}

built_sink build_sink(const handler_config& h, unsigned logger_id, bool create_files, const sink_options& options) {
    register_attribute_factories();
    if (sink_setting(h, "Wide")) sink_config_fail(h, "Wide", "wide-character sinks are not supported; remove the key");
    const auto known = destination_keys().find(h.destination);
    if (known == destination_keys().end()) {
        // Boost.Log 1.81 has no public way to build a sink of a destination registered
        // with register_sink_factory without attaching it to the core (init_from_settings
        // adds it, and the handle is never returned), so such destinations are rejected.
        throw error(errc::config_error, (h.where.empty() ? "" : h.where + ": ") + "handler " + h.name +
                                            ": Destination: unsupported (" + h.destination + "); use " +
                                            known_destinations());
    }
    check_sink_keys(h, known->second);

    built_sink out;
    out.name = h.name;
    out.schemas = h.schemas;
    sink_context ctx{h, logger_id, create_files, options, out.stats, {}, {}};
    if (!h.filter.empty()) {
        try {
            ctx.user_filter = logging::parse_filter(h.filter);
        } catch (const std::exception& e) {
            throw error(errc::config_error, (h.where.empty() ? "" : h.where + ": ") + "handler " + h.name +
                                                ": Filter: invalid Boost.Log filter (" + h.filter + "): " + e.what());
        }
    }
    if (const std::string* format = sink_setting(h, "Format"); format && *format != "%Message%") {
        try {
            ctx.formatter = logging::parse_formatter(*format);
        } catch (const std::exception& e) {
            sink_config_fail(h, "Format", std::string("invalid Boost.Log format string (") + e.what() + ")");
        }
    }
    ctx.asynchronous = sink_bool(h, "Asynchronous", false);
    if (sink_setting(h, "QueueLimit")) {
        ctx.queue_limit = static_cast<std::size_t>(sink_size(h, "QueueLimit", 100000));
        if (ctx.queue_limit == 0) sink_config_fail(h, "QueueLimit", "must be at least 1 (0)");
    }
    if (const std::string* overflow = sink_setting(h, "Overflow")) {
        if (*overflow == "drop") ctx.overflow = overflow_policy::drop;
        else if (*overflow != "block") sink_config_fail(h, "Overflow", "expected block or drop (" + *overflow + ")");
    }
    if (!ctx.asynchronous)
        for (const char* key : {"QueueLimit", "Overflow"})
            if (sink_setting(h, key))
                sink_config_fail(h, key, "has no effect without Asynchronous: true; add it or remove the key");

    if (h.destination == "TextFile") out.sink = make_text_file_sink(ctx);
    else if (h.destination == "Console") out.sink = make_console_sink(ctx);
    else if (h.destination == "Syslog") out.sink = make_syslog_sink(ctx);
    else out.sink = make_journal_sink(ctx);
    return out;
}

}  // namespace jupyter_events::detail
