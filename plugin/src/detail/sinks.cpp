#include "detail/sinks.hpp"

#include <jupyter_events/error.hpp>

#include <boost/core/null_deleter.hpp>
#include <boost/log/attributes/value_extraction.hpp>
#include <boost/log/expressions.hpp>
#include <boost/log/sinks/basic_sink_backend.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/text_file_backend.hpp>
#include <boost/log/sinks/text_ostream_backend.hpp>
#include <boost/log/utility/setup/filter_parser.hpp>
#include <boost/log/utility/setup/formatter_parser.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <limits>
#include <mutex>
#include <set>

namespace jupyter_events::detail {
namespace {

namespace logging = boost::log;
namespace sinks = boost::log::sinks;
namespace keywords = boost::log::keywords;
namespace fs = std::filesystem;

[[noreturn]] void fail(const handler_config& h, const std::string& key, const std::string& what) {
    auto it = h.settings.find(key);
    std::string where = it != h.settings.end() && !it->second.where.empty() ? it->second.where : h.where;
    throw error(errc::config_error, (where.empty() ? "" : where + ": ") + "handler " + h.name + ": " +
                                        (key.empty() ? "" : key + ": ") + what);
}

const std::string* find(const handler_config& h, const std::string& key) {
    auto it = h.settings.find(key);
    return it == h.settings.end() ? nullptr : &it->second.value;
}

bool get_bool(const handler_config& h, const std::string& key, bool fallback) {
    const std::string* v = find(h, key);
    if (!v) return fallback;
    std::string s = *v;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
    if (s == "false" || s == "no" || s == "off" || s == "0") return false;
    fail(h, key, "expected true or false (" + *v + ")");
}

std::uintmax_t get_size(const handler_config& h, const std::string& key, std::uintmax_t fallback) {
    const std::string* v = find(h, key);
    if (!v) return fallback;
    std::uintmax_t n = 0;
    if (v->empty() || v->size() > 19 || !std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; }))
        fail(h, key, "expected a non-negative whole number (" + *v + ")");
    for (char c : *v) n = n * 10 + static_cast<std::uintmax_t>(c - '0');
    return n;
}

// A text file backend that does size-based rotation itself. Debian's Boost 1.81 lacks the
// fix for Boost.Log issue #209: with a record larger than RotationSize, text_file_backend
// rotates forever, creating empty files. Here the inner backend never rotates by size; a
// record that does not fit rotates first and is then written whole, whatever its size.
class event_file_backend
    : public sinks::basic_formatted_sink_backend<char, sinks::combine_requirements<sinks::synchronized_feeding,
                                                                                   sinks::flushing>::type> {
public:
    event_file_backend(boost::shared_ptr<sinks::text_file_backend> inner, std::uintmax_t rotation_size, int mode)
        : inner_(std::move(inner)), rotation_size_(rotation_size), mode_(mode) {
        inner_->set_open_handler([this](std::ostream&) { on_open(); });
    }

    void consume(const logging::record_view& rec, const string_type& line) {
        const std::uintmax_t size = line.size() + 1;
        if (rotation_size_ && opened_ && written_ > 0 && written_ + size > rotation_size_) inner_->rotate_file();
        inner_->consume(rec, line);
        written_ += size;
    }

    void flush() { inner_->flush(); }

private:
    void on_open() {
        opened_ = true;
        std::error_code ec;
        const fs::path file = inner_->get_current_file_name().string();
        const auto existing = fs::file_size(file, ec);
        written_ = ec ? 0 : existing;  // Append keeps what is there; it counts toward the size
        if (mode_ >= 0) ::chmod(file.c_str(), static_cast<mode_t>(mode_));  // exact, not masked by umask
    }

    boost::shared_ptr<sinks::text_file_backend> inner_;
    std::uintmax_t rotation_size_;
    int mode_;
    bool opened_ = false;
    std::uintmax_t written_ = 0;
};

int parse_mode(const handler_config& h) {
    const std::string* v = find(h, "Mode");
    if (!v) return -1;
    std::string s = *v;
    if (s.size() == 4 && s[0] == '0') s.erase(0, 1);
    if (s.size() != 3 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '7'; }))
        fail(h, "Mode", "expected octal permission bits such as \"0640\" (" + *v + ")");
    return std::stoi(s, nullptr, 8);
}

void check_writable_dir(const handler_config& h, const fs::path& file) {
    fs::path dir = file.parent_path();
    if (dir.empty()) dir = ".";
    std::error_code ec;
    fs::path probe = dir;
    while (!probe.empty() && !fs::exists(probe, ec)) probe = probe.parent_path();  // nearest existing ancestor
    if (probe.empty()) probe = ".";
    if (!fs::is_directory(probe, ec))
        fail(h, "FileName", "\"" + probe.string() + "\" is not a directory; fix the path of " + file.string());
    if (::access(probe.c_str(), W_OK) != 0)
        fail(h, "FileName", "directory \"" + probe.string() + "\" is not writable; fix its permissions or the path");
}

boost::shared_ptr<sinks::synchronous_sink<event_file_backend>> text_file_sink(const handler_config& h, bool create_files) {
    static const std::set<std::string> unsupported = {"Asynchronous", "QueueLimit", "Overflow", "RotationTimePoint"};
    for (const auto& key : unsupported)
        if (find(h, key) && !(key == "Asynchronous" && !get_bool(h, key, false)))
            fail(h, key, "not supported yet by this version of jupyter_events; remove the key");
    const std::string* file_name = find(h, "FileName");
    if (!file_name || file_name->empty()) fail(h, "", "TextFile needs FileName; add FileName: events.jsonl");
    if (!find(h, "Target"))
        for (const char* key : {"MaxFiles", "MaxSize", "MinFreeSpace"})
            if (find(h, key))
                fail(h, key, "has no effect without Target (Boost.Log ignores it silently); add Target: DIR");
    const std::uintmax_t rotation = get_size(h, "RotationSize", 0);
    if (rotation != 0 && rotation < 4096)
        fail(h, "RotationSize", "must be at least 4096 bytes (" + std::to_string(rotation) + ")");
    const int mode = parse_mode(h);
    check_writable_dir(h, *file_name);
    if (!create_files) return {};

    std::error_code ec;
    fs::create_directories(fs::path(*file_name).parent_path().empty() ? fs::path(".") : fs::path(*file_name).parent_path(), ec);
    const bool append = get_bool(h, "Append", true);  // an event log keeps yesterday's events
    auto inner = boost::make_shared<sinks::text_file_backend>(
        keywords::file_name = *file_name,
        keywords::open_mode = append ? (std::ios_base::out | std::ios_base::app) : std::ios_base::out,
        keywords::auto_flush = get_bool(h, "AutoFlush", false),
        keywords::enable_final_rotation = get_bool(h, "EnableFinalRotation", true));
    if (const std::string* t = find(h, "TargetFileName")) inner->set_target_file_name_pattern(*t);
    if (std::uintmax_t interval = get_size(h, "RotationInterval", 0))
        inner->set_time_based_rotation(sinks::file::rotation_at_time_interval(
            boost::posix_time::seconds(static_cast<long>(std::min<std::uintmax_t>(interval, 1u << 30)))));
    if (const std::string* target = find(h, "Target")) {
        const auto none = std::numeric_limits<std::uintmax_t>::max();
        inner->set_file_collector(sinks::file::make_collector(
            keywords::target = *target, keywords::max_size = get_size(h, "MaxSize", none),
            keywords::min_free_space = get_size(h, "MinFreeSpace", 0),
            keywords::max_files = get_size(h, "MaxFiles", none)));
        const std::string* scan = find(h, "ScanForFiles");
        inner->scan_for_files(scan && *scan == "All" ? sinks::file::scan_all : sinks::file::scan_matching);
    }
    auto backend = boost::make_shared<event_file_backend>(inner, rotation, mode);
    return boost::make_shared<sinks::synchronous_sink<event_file_backend>>(backend);
}

boost::shared_ptr<sinks::synchronous_sink<sinks::text_ostream_backend>> console_sink(const handler_config& h, bool create_files) {
    for (const char* key : {"Asynchronous", "QueueLimit", "Overflow"})
        if (find(h, key) && !(std::string(key) == "Asynchronous" && !get_bool(h, key, false)))
            fail(h, key, "not supported yet by this version of jupyter_events; remove the key");
    const bool auto_flush = get_bool(h, "AutoFlush", true);
    if (!create_files) return {};
    auto backend = boost::make_shared<sinks::text_ostream_backend>();
    // Boost.Log's Console destination writes to std::clog; so does ours.
    backend->add_stream(boost::shared_ptr<std::ostream>(&std::clog, boost::null_deleter()));
    backend->auto_flush(auto_flush);
    return boost::make_shared<sinks::synchronous_sink<sinks::text_ostream_backend>>(backend);
}

template <typename Sink>
void set_formatter(const handler_config& h, Sink& sink) {
    const std::string* format = find(h, "Format");
    if (!format || *format == "%Message%") {
        // The record's Message is the JSON line: write it as is (no format parsing per record).
        sink.set_formatter([](const logging::record_view& rec, logging::formatting_ostream& strm) {
            if (auto msg = logging::extract<std::string>("Message", rec)) strm << *msg;
        });
        return;
    }
    try {
        sink.set_formatter(logging::parse_formatter(*format));
    } catch (const std::exception& e) {
        fail(h, "Format", std::string("invalid Boost.Log format string (") + e.what() + ")");
    }
}

// Formatter and filter: the plugin's sinks see only their own logger's records (two
// loggers never share), then the handler's Schemas and Filter.
template <typename Sink>
boost::shared_ptr<sinks::sink> finish(const handler_config& h, const boost::shared_ptr<Sink>& sink, unsigned logger_id,
                                      const logging::filter& user_filter) {
    set_formatter(h, *sink);
    std::set<std::string, std::less<>> allowed(h.schemas.begin(), h.schemas.end());
    sink->set_filter([logger_id, allowed = std::move(allowed), user_filter](const logging::attribute_value_set& attrs) {
        auto id = logging::extract<unsigned>("EventLoggerId", attrs);
        if (!id || *id != logger_id) return false;
        if (!allowed.empty()) {
            auto schema = logging::extract<std::string>("EventSchema", attrs);
            if (!schema || !allowed.count(*schema)) return false;
        }
        return user_filter(attrs);
    });
    return sink;
}

}  // namespace

void register_attribute_factories() {
    static std::once_flag once;
    std::call_once(once, [] {
        logging::register_simple_filter_factory<std::string, char>("EventSchema");
        logging::register_simple_filter_factory<std::string, char>("EventSchemaVersion");
        logging::register_simple_filter_factory<unsigned, char>("EventLoggerId");
    });
}

built_sink build_sink(const handler_config& h, unsigned logger_id, bool create_files) {
    register_attribute_factories();
    if (find(h, "Wide")) fail(h, "Wide", "wide-character sinks are not supported; remove the key");
    logging::filter user_filter;
    if (!h.filter.empty()) {
        try {
            user_filter = logging::parse_filter(h.filter);
        } catch (const std::exception& e) {
            auto where = h.where;
            throw error(errc::config_error, (where.empty() ? "" : where + ": ") + "handler " + h.name +
                                                ": Filter: invalid Boost.Log filter (" + h.filter + "): " + e.what());
        }
    }
    built_sink out;
    out.name = h.name;
    out.schemas = h.schemas;
    if (h.destination == "TextFile") {
        if (auto sink = text_file_sink(h, create_files)) out.sink = finish(h, sink, logger_id, user_filter);
    } else if (h.destination == "Console") {
        if (auto sink = console_sink(h, create_files)) out.sink = finish(h, sink, logger_id, user_filter);
    } else {
        throw error(errc::config_error,
                    (h.where.empty() ? "" : h.where + ": ") + "handler " + h.name + ": Destination: unsupported (" +
                        h.destination + "); use TextFile or Console");
    }
    return out;
}

}  // namespace jupyter_events::detail
