// The TextFile destination: Boost.Log's text_file_backend, wrapped so that size rotation,
// file modes and write errors behave as an event log needs.
#include "detail/sink_common.hpp"

#include <boost/date_time/gregorian/greg_day.hpp>
#include <boost/log/sinks/basic_sink_backend.hpp>
#include <boost/log/sinks/text_file_backend.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>

namespace jupyter_events::detail {
namespace {

namespace logging = boost::log;
namespace sinks = boost::log::sinks;
namespace keywords = boost::log::keywords;
namespace fs = std::filesystem;

// A text file backend that does size-based rotation itself. Debian's Boost 1.81 lacks the
// fix for Boost.Log issue #209: with a record larger than RotationSize, text_file_backend
// rotates forever, creating empty files. Here the inner backend never rotates by size; a
// record that does not fit rotates first and is then written whole, whatever its size.
//
// It also makes write errors visible: text_file_backend leaves a failed stream in its
// failed state (and on the next record closes and reopens the file), so a full disk
// would go unnoticed. After every write and flush the stream is checked; a failure is
// counted and reported, and the state cleared so the next record tries again.
class event_file_backend
    : public sinks::basic_formatted_sink_backend<char, sinks::combine_requirements<sinks::synchronized_feeding,
                                                                                   sinks::flushing>::type> {
public:
    event_file_backend(boost::shared_ptr<sinks::text_file_backend> inner, std::uintmax_t rotation_size, int mode,
                       sinks::auto_newline_mode newline, std::shared_ptr<sink_failures> failures,
                       fs::path directory, std::shared_ptr<write_gate> gate)
        : inner_(std::move(inner)),
          rotation_size_(rotation_size),
          mode_(mode),
          newline_(newline),
          failures_(std::move(failures)),
          directory_(std::move(directory)),
          gate_(std::move(gate)) {
        inner_->set_open_handler([this](std::ostream& stream) { on_open(stream); });
        inner_->set_close_handler([this](std::ostream&) { open_ = false; });
    }

    void consume(const logging::record_view& rec, const string_type& line) {
        if (gate_) {  // the configuration this one replaces may still have our file open
            gate_->wait();
            gate_.reset();
        }
        const std::uintmax_t size = line.size() + auto_newline_size(newline_, line);
        std::string failure;
        errno = 0;
        try {
            if (rotation_size_ && open_ && written_ > 0 && written_ + size > rotation_size_) inner_->rotate_file();
            inner_->consume(rec, line);
        } catch (const std::exception& e) {  // cannot open, rotate or move a file
            failure = e.what() + why_no_file();
        }
        if (failure.empty() && stream_ && !stream_->good()) {
            const int err = errno;
            failure = describe_errno(current_file(), err);
            stream_->clear();
        }
        if (!failure.empty()) {
            failures_->write_failed(failure);
            return;
        }
        written_ += size;
    }

    void flush() {
        if (!stream_) return;
        errno = 0;
        try {
            inner_->flush();
        } catch (const std::exception& e) {
            failures_->flush_failed(e.what());
            return;
        }
        if (!stream_->good()) {
            const int err = errno;
            stream_->clear();
            failures_->flush_failed(describe_errno(current_file(), err));
        }
    }

private:
    std::string current_file() const { return inner_->get_current_file_name().string(); }

    // Boost.Log reports a file it cannot create as "Input/output error" whatever the cause;
    // the directory says what is wrong (permissions, not a directory, gone).
    std::string why_no_file() const {
        if (directory_.empty()) return {};
        struct stat st {};
        std::string why;
        if (::stat(directory_.c_str(), &st) != 0) why = std::strerror(errno);
        else if (!S_ISDIR(st.st_mode)) why = std::strerror(ENOTDIR);
        else if (::access(directory_.c_str(), W_OK) != 0) why = std::strerror(errno);
        else return {};
        return "; cannot create files in " + directory_.string() + " (" + why + ")";
    }

    void on_open(std::ostream& stream) {
        stream_ = &stream;
        open_ = true;
        std::error_code ec;
        const fs::path file = current_file();
        const auto existing = fs::file_size(file, ec);
        written_ = ec ? 0 : existing;  // Append keeps what is there; it counts toward the size
        // A writer killed mid-line (SIGKILL, power loss) leaves a cut last line. Appending
        // right after it would glue the next event onto it and lose both; end it first,
        // so every new event starts on a line of its own.
        if (!ec && existing > 0 && newline_ != sinks::disabled_auto_newline && !ends_with_newline(file, existing)) {
            stream.put('\n');
            ++written_;
        }
        // Exact, not masked by the umask; only on regular files (never chmod /dev/full).
        struct stat st {};
        if (mode_ >= 0 && ::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            ::chmod(file.c_str(), static_cast<mode_t>(mode_)) != 0) {
            const int err = errno;
            failures_->report(describe_errno(file.string() + ": cannot apply Mode", err));
        }
    }

    static bool ends_with_newline(const fs::path& file, std::uintmax_t size) {
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return true;  // nothing to repair that we can see
        char last = '\n';
        struct stat st {};
        if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            ::pread(fd, &last, 1, static_cast<off_t>(size - 1)) != 1)
            last = '\n';
        ::close(fd);
        return last == '\n';
    }

    boost::shared_ptr<sinks::text_file_backend> inner_;
    std::uintmax_t rotation_size_;
    int mode_;
    sinks::auto_newline_mode newline_;
    std::shared_ptr<sink_failures> failures_;
    fs::path directory_;              // where FileName creates files ("" when it has placeholders)
    std::shared_ptr<write_gate> gate_;  // null once passed
    std::ostream* stream_ = nullptr;  // the inner backend's file stream (same object across reopens)
    bool open_ = false;
    std::uintmax_t written_ = 0;
};

int parse_mode(const handler_config& h) {
    const std::string* v = sink_setting(h, "Mode");
    if (!v) return -1;
    std::string s = *v;
    if (s.size() == 4 && s[0] == '0') s.erase(0, 1);
    if (s.size() != 3 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '7'; }))
        sink_config_fail(h, "Mode", "expected octal permission bits such as \"0640\" (" + *v + ")");
    return std::stoi(s, nullptr, 8);
}

// Boost.Log's syntax: "hh:mm:ss", "<weekday> hh:mm:ss" (Mon or Monday) or "<day> hh:mm:ss".
sinks::file::rotation_at_time_point parse_time_point(const handler_config& h) {
    const std::string& v = *sink_setting(h, "RotationTimePoint");
    auto bad = [&](const std::string& why) {
        sink_config_fail(h, "RotationTimePoint", why + " (" + v +
                                                     "); write \"hh:mm:ss\", \"Mon hh:mm:ss\" or \"31 hh:mm:ss\"");
    };
    std::string day, time = v;
    if (const auto space = v.find_first_of(" \t"); space != std::string::npos) {
        day = v.substr(0, space);
        time = v.substr(v.find_first_not_of(" \t", space) == std::string::npos ? v.size()
                                                                               : v.find_first_not_of(" \t", space));
    }
    auto two_digits = [&](std::size_t at) -> int {
        if (time.size() < at + 2 || !std::isdigit(static_cast<unsigned char>(time[at])) ||
            !std::isdigit(static_cast<unsigned char>(time[at + 1])))
            bad("expected a time of day as hh:mm:ss");
        return (time[at] - '0') * 10 + (time[at + 1] - '0');
    };
    if (time.size() != 8 || time[2] != ':' || time[5] != ':') bad("expected a time of day as hh:mm:ss");
    const int hour = two_digits(0), minute = two_digits(3), second = two_digits(6);
    if (hour > 23 || minute > 59 || second > 59) bad("time of day out of range");
    const auto hh = static_cast<unsigned char>(hour), mm = static_cast<unsigned char>(minute),
               ss = static_cast<unsigned char>(second);
    if (day.empty()) return sinks::file::rotation_at_time_point(hh, mm, ss);
    static const char* const weekdays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    for (int i = 0; i < 7; ++i)
        if (day == weekdays[i] || day == std::string(weekdays[i], 3))
            return sinks::file::rotation_at_time_point(static_cast<boost::date_time::weekdays>(i), hh, mm, ss);
    if (day.size() <= 2 && std::all_of(day.begin(), day.end(), [](unsigned char c) { return std::isdigit(c); })) {
        const int n = std::stoi(day);
        if (n < 1 || n > 31) bad("day of month out of range");
        return sinks::file::rotation_at_time_point(boost::gregorian::greg_day(static_cast<unsigned short>(n)), hh, mm, ss);
    }
    bad("expected a weekday (Mon or Monday) or a day of month (1-31) before the time");
    return sinks::file::rotation_at_time_point(hh, mm, ss);  // not reached
}

// check-config's writability check: an existing file itself, else the nearest existing
// directory on its path (which create_directories would extend).
void check_writable(const handler_config& h, const std::string& key, const fs::path& path, bool is_dir) {
    std::error_code ec;
    if (!is_dir && fs::exists(path, ec) && !fs::is_directory(path, ec)) {  // a file, /dev/null, a FIFO...
        if (::access(path.c_str(), W_OK) != 0)
            sink_config_fail(h, key, "file \"" + path.string() + "\" is not writable; fix its permissions or the path");
        return;
    }
    fs::path probe = is_dir ? path : path.parent_path();
    if (probe.empty()) probe = ".";
    while (!probe.empty() && !fs::exists(probe, ec)) probe = probe.parent_path();  // nearest existing ancestor
    if (probe.empty()) probe = ".";
    if (!fs::is_directory(probe, ec))
        sink_config_fail(h, key, "\"" + probe.string() + "\" is not a directory; fix the path of " + path.string());
    if (::access(probe.c_str(), W_OK) != 0)
        sink_config_fail(h, key, "directory \"" + probe.string() + "\" is not writable; fix its permissions or the path");
}

}  // namespace

boost::shared_ptr<sinks::sink> make_text_file_sink(const sink_context& ctx) {
    const handler_config& h = ctx.h;
    const std::string* file_name = sink_setting(h, "FileName");
    if (!file_name || file_name->empty()) sink_config_fail(h, "", "TextFile needs FileName; add FileName: events.jsonl");
    const std::string* target = sink_setting(h, "Target");
    if (!target)
        for (const char* key : {"MaxFiles", "MaxSize", "MinFreeSpace", "ScanForFiles"})
            if (sink_setting(h, key))
                sink_config_fail(h, key, "has no effect without Target (Boost.Log ignores it silently); add Target: DIR");
    const std::uintmax_t rotation = sink_size(h, "RotationSize", 0);
    if (rotation != 0 && rotation < 4096)
        sink_config_fail(h, "RotationSize", "must be at least 4096 bytes (" + std::to_string(rotation) + ")");
    const std::uintmax_t interval = sink_size(h, "RotationInterval", 0);
    if (sink_setting(h, "RotationInterval") && (interval == 0 || interval > std::numeric_limits<unsigned>::max()))
        sink_config_fail(h, "RotationInterval", "expected a number of seconds from 1 to 4294967295 (" +
                                                    *sink_setting(h, "RotationInterval") + ")");
    std::optional<sinks::file::rotation_at_time_point> time_point;
    if (sink_setting(h, "RotationTimePoint")) {
        if (interval)
            sink_config_fail(h, "RotationTimePoint", "cannot be combined with RotationInterval (Boost.Log would "
                                                     "ignore it); keep one of them");
        time_point = parse_time_point(h);
    }
    const std::string* scan = sink_setting(h, "ScanForFiles");
    if (scan && *scan != "All" && *scan != "Matching")
        sink_config_fail(h, "ScanForFiles", "expected All or Matching (" + *scan + ")");
    const auto none = std::numeric_limits<std::uintmax_t>::max();
    const std::uintmax_t max_size = sink_size(h, "MaxSize", none), min_free = sink_size(h, "MinFreeSpace", 0),
                         max_files = sink_size(h, "MaxFiles", none);
    const int mode = parse_mode(h);
    const bool append = sink_bool(h, "Append", true);  // an event log keeps yesterday's events
    const bool auto_flush = sink_bool(h, "AutoFlush", false);
    const bool final_rotation = sink_bool(h, "EnableFinalRotation", true);
    const auto newline = sink_auto_newline(h);
    check_writable(h, "FileName", *file_name, false);
    if (target) check_writable(h, "Target", *target, true);
    if (const std::string* t = sink_setting(h, "TargetFileName")) check_writable(h, "TargetFileName", *t, false);
    if (!ctx.create_files) return {};

    std::error_code ec;
    fs::create_directories(fs::path(*file_name).parent_path().empty() ? fs::path(".") : fs::path(*file_name).parent_path(), ec);
    auto inner = boost::make_shared<sinks::text_file_backend>(
        keywords::file_name = *file_name,
        keywords::open_mode = append ? (std::ios_base::out | std::ios_base::app) : std::ios_base::out,
        keywords::auto_flush = auto_flush, keywords::enable_final_rotation = final_rotation,
        keywords::auto_newline_mode = newline);
    if (const std::string* t = sink_setting(h, "TargetFileName")) inner->set_target_file_name_pattern(*t);
    if (interval)
        inner->set_time_based_rotation(sinks::file::rotation_at_time_interval(
            boost::posix_time::seconds(static_cast<long>(interval))));
    else if (time_point)
        inner->set_time_based_rotation(*time_point);
    if (target) {
        try {
            inner->set_file_collector(sinks::file::make_collector(keywords::target = *target,
                                                                  keywords::max_size = max_size,
                                                                  keywords::min_free_space = min_free,
                                                                  keywords::max_files = max_files));
            inner->scan_for_files(scan && *scan == "All" ? sinks::file::scan_all : sinks::file::scan_matching);
        } catch (const std::exception& e) {
            sink_config_fail(h, "Target", std::string("cannot use the directory (") + e.what() + ")");
        }
    }
    auto failures = ctx.failures();
    fs::path directory = fs::path(*file_name).parent_path();
    if (directory.empty()) directory = ".";
    if (directory.string().find('%') != std::string::npos) directory.clear();  // varies with the date
    return make_frontend(
        boost::make_shared<event_file_backend>(inner, rotation, mode, newline, failures, std::move(directory),
                                               ctx.options.gate),
        ctx, failures);
}

}  // namespace jupyter_events::detail
