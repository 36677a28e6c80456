// Handlers: write errors, bounded asynchronous queues, file modes, rotation, Journal,
// key checks, and check-config creating nothing. Syslog has its own suite (syslog_test).
#include "detail/sinks.hpp"

#include "handler_support.hpp"
#include "test_support.hpp"

#include <jupyter_events/event_logger.hpp>

#include <boost/json/parse.hpp>
#include <boost/log/attributes/constant.hpp>
#include <boost/log/utility/setup/from_settings.hpp>

#include <gmock/gmock.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace je = jupyter_events;
namespace json = boost::json;
namespace logging = boost::log;
using namespace je_test;
using ::testing::HasSubstr;

namespace {

const char* const n_schema = R"({"$id": "https://example.org/n", "version": "1", "type": "object",
  "properties": {"t": {"type": "integer"}, "i": {"type": "integer"}, "blob": {"type": "string"}}})";

std::atomic<unsigned> next_id{4000000};

void push(unsigned logger_id, const std::string& message) { push_event_record(logger_id, message); }

// A built sink attached to the core for the scope (flushed and removed at the end).
struct attached {
    je::detail::built_sink built;
    explicit attached(je::detail::built_sink b) : built(std::move(b)) { logging::core::get()->add_sink(built.sink); }
    ~attached() { detach(); }
    void detach() {
        if (!built.sink) return;
        built.sink->flush();
        logging::core::get()->remove_sink(built.sink);
        built.sink.reset();  // the last reference: an asynchronous sink drains here
    }
    je::detail::handler_stats& stats() { return *built.stats; }
};

struct captured_reports {
    std::mutex mutex;
    std::vector<std::string> messages;
    je::detail::sink_options options() {
        je::detail::sink_options o;
        o.report = [this](std::string_view m) {
            std::lock_guard<std::mutex> lock(mutex);
            messages.emplace_back(m);
        };
        return o;
    }
    std::string all() {
        std::lock_guard<std::mutex> lock(mutex);
        std::string s;
        for (auto& m : messages) s += m + "\n";
        return s;
    }
};

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_regular_file()) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string config_error(const je::handler_config& h, bool create_files = false) {
    try {
        je::detail::build_sink(h, 1, create_files);
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::config_error);
        return e.what();
    }
    return "(no error)";
}

class sinks_test : public boost_log_fixture {
protected:
    temp_dir dir;
    unsigned id = next_id.fetch_add(1);
};

// --- 1. write errors ------------------------------------------------------------------------

TEST_F(sinks_test, full_disk_fails_the_record_and_is_counted) {
    attached full(je::detail::build_sink(
        handler("full", "TextFile", {{"FileName", "/dev/full"}, {"AutoFlush", "true"}}), id, true));
    for (int i = 0; i < 2; ++i) {
        try {
            push(id, R"({"i":1})");
            FAIL() << "a write to /dev/full succeeded";
        } catch (const je::error& e) {
            EXPECT_EQ(e.kind(), je::errc::write_failed);
            EXPECT_THAT(e.what(), HasSubstr("handler full: /dev/full: No space left on device"));
        }
    }
    EXPECT_EQ(full.stats().write_errors.load(), 2u);
}

TEST_F(sinks_test, full_disk_through_the_logger_is_write_failed) {
    je::event_logger logger{logger_with({handler("full", "TextFile", {{"FileName", "/dev/full"}, {"AutoFlush", "true"}})})};
    logger.register_schema_text(n_schema);
    auto out = logger.try_record_event("https://example.org/n", "1", json::parse(R"({"i": 1})"));
    EXPECT_EQ(out.code, je::errc::write_failed);
    EXPECT_FALSE(out.written);
    EXPECT_THAT(out.message, HasSubstr("No space left on device"));
}

TEST_F(sinks_test, failed_flush_is_counted_and_reported) {
    captured_reports reports;
    attached full(je::detail::build_sink(handler("full", "TextFile", {{"FileName", "/dev/full"}}), id, true,
                                         reports.options()));
    push(id, R"({"i":1})");  // buffered: AutoFlush is false
    EXPECT_EQ(full.stats().write_errors.load(), 0u);
    full.built.sink->flush();
    EXPECT_EQ(full.stats().write_errors.load(), 1u);
    EXPECT_THAT(reports.all(), HasSubstr("handler full: /dev/full: No space left on device"));
}

TEST_F(sinks_test, without_throwing_other_sinks_still_get_the_record) {
    je::detail::sink_options quiet;
    quiet.throw_on_write_error = false;
    attached full(je::detail::build_sink(
        handler("full", "TextFile", {{"FileName", "/dev/full"}, {"AutoFlush", "true"}}), id, true, quiet));
    const fs::path good = dir.path / "good.jsonl";
    attached ok(je::detail::build_sink(
        handler("ok", "TextFile", {{"FileName", good.string()}, {"AutoFlush", "true"}}), id, true, quiet));
    EXPECT_FALSE(je::detail::take_write_failure());
    push(id, R"({"i":1})");
    auto failure = je::detail::take_write_failure();
    ASSERT_TRUE(failure);
    EXPECT_THAT(*failure, HasSubstr("handler full: /dev/full"));
    EXPECT_FALSE(je::detail::take_write_failure()) << "taking it clears it";
    EXPECT_EQ(read(good), "{\"i\":1}\n");
    EXPECT_EQ(full.stats().write_errors.load(), 1u);
}

TEST_F(sinks_test, asynchronous_write_errors_are_counted_and_reported) {
    captured_reports reports;
    attached full(je::detail::build_sink(
        handler("full", "TextFile", {{"FileName", "/dev/full"}, {"AutoFlush", "true"}, {"Asynchronous", "true"}}), id,
        true, reports.options()));
    for (int i = 0; i < 3; ++i) push(id, R"({"i":1})");  // accepted: the caller cannot know yet
    full.built.sink->flush();
    EXPECT_EQ(full.stats().write_errors.load(), 4u) << "three records, then the flush that still cannot write them";
    EXPECT_THAT(reports.all(), HasSubstr("handler full: /dev/full: No space left on device"));
}

TEST_F(sinks_test, cli_record_to_a_full_disk_exits_74) {
    dir.write("schemas/n.json", n_schema);
    auto config = dir.write("full.yaml", R"(EventLogger:
  schemas: [schemas/]
  allowed_schemas: ["*"]
  handlers:
    full: {Destination: TextFile, FileName: /dev/full, AutoFlush: true}
)");
    auto r = run_cli("record --config " + sq(config.string()) + " --schema https://example.org/n --version 1 " +
                     sq(R"({"i": 1})"));
    EXPECT_EQ(r.code, 74) << r.err;
    EXPECT_THAT(r.err, HasSubstr("No space left on device"));
    // From stdin: every line fails; 74 wins over 1 (line 2 is invalid).
    r = run_cli("record --config " + sq(config.string()),
                R"({"schema": "https://example.org/n", "version": "1", "event": {"i": 1}})" "\n"
                R"({"schema": "https://example.org/n", "version": "1", "event": {"i": "x"}})" "\n");
    EXPECT_EQ(r.code, 74) << r.err;
}

// --- 2. asynchronous handlers -------------------------------------------------------------

TEST_F(sinks_test, asynchronous_loses_nothing_when_the_logger_is_destroyed) {
    const fs::path out = dir.path / "async.jsonl";
    constexpr int threads = 8, per_thread = 5000;
    {
        je::event_logger logger{logger_with({handler(
            "async", "TextFile", {{"FileName", out.string()}, {"Asynchronous", "true"}, {"QueueLimit", "64"}})})};
        logger.register_schema_text(n_schema);
        std::vector<std::thread> pool;
        std::atomic<int> failures{0};
        std::atomic<bool> done{false};
        // Flushes while producers wait for room: none of them may lose its record (Boost.Log's
        // bounded_fifo_queue + block_on_overflow drops them when a flush interrupts it).
        std::thread flusher([&] {
            while (!done) logger.flush();
        });
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                for (int i = 0; i < per_thread; ++i)
                    if (!logger.try_record_event("https://example.org/n", "1", json::object{{"t", t}, {"i", i}}))
                        ++failures;
            });
        for (auto& th : pool) th.join();
        done = true;
        flusher.join();
        EXPECT_EQ(failures.load(), 0);
    }  // destroyed here: flush, remove, drain
    std::set<std::pair<std::int64_t, std::int64_t>> seen;
    for (const auto& line : lines(read(out))) {
        auto v = json::parse(line).as_object();
        seen.emplace(v.at("t").as_int64(), v.at("i").as_int64());
    }
    EXPECT_EQ(lines(read(out)).size(), static_cast<std::size_t>(threads * per_thread));
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(threads * per_thread)) << "each event exactly once";
}

TEST_F(sinks_test, flush_drains_the_queue) {
    const fs::path out = dir.path / "async.jsonl";
    attached async(je::detail::build_sink(
        handler("async", "TextFile", {{"FileName", out.string()}, {"Asynchronous", "true"}, {"QueueLimit", "10"}}), id,
        true));
    for (int i = 0; i < 1000; ++i) push(id, "{\"i\":" + std::to_string(i) + "}");
    async.built.sink->flush();
    EXPECT_EQ(lines(read(out)).size(), 1000u);
    EXPECT_EQ(async.stats().queue_depth.load(), 0u);
    EXPECT_EQ(async.stats().dropped_queue_full.load(), 0u);
}

// A FIFO nobody reads yet is a backend that cannot make progress: its worker blocks in
// open(2) until a reader comes, so with QueueLimit 1 at most two records are accepted
// (one in the worker, one queued) and the rest must be dropped and counted.
TEST_F(sinks_test, overflow_drop_counts_and_drops_for_that_handler_only) {
    const fs::path fifo = dir.path / "slow.fifo", all = dir.path / "all.jsonl";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    attached slow(je::detail::build_sink(handler("slow", "TextFile",
                                                 {{"FileName", fifo.string()},
                                                  {"Append", "false"},  // a FIFO cannot seek to its end
                                                  {"Asynchronous", "true"},
                                                  {"QueueLimit", "1"},
                                                  {"Overflow", "drop"}}),
                                         id, true));
    attached sync(je::detail::build_sink(handler("all", "TextFile", {{"FileName", all.string()}}), id, true));
    constexpr int n = 50;
    for (int i = 0; i < n; ++i) push(id, "{\"i\":" + std::to_string(i) + "}");
    const auto dropped = slow.stats().dropped_queue_full.load();
    EXPECT_GE(dropped, static_cast<std::uint64_t>(n - 2));
    std::string received;
    std::thread reader([&] {
        const int fd = ::open(fifo.c_str(), O_RDONLY);
        char buf[4096];
        for (ssize_t got; (got = ::read(fd, buf, sizeof buf)) > 0;) received.append(buf, static_cast<std::size_t>(got));
        ::close(fd);
    });
    slow.detach();  // flush (the worker now writes), remove, destroy: the FIFO closes
    reader.join();
    EXPECT_EQ(lines(received).size() + dropped, static_cast<std::size_t>(n));
    EXPECT_EQ(slow.stats().dropped_queue_full.load(), dropped) << "nothing dropped after the queue had room";
    sync.detach();
    EXPECT_EQ(lines(read(all)).size(), static_cast<std::size_t>(n)) << "the other handler got every event";
}

// Removed and destroyed without a flush, the sink still writes what it had accepted. The
// FIFO holds the worker in open(2) until the reader comes, so 49 records are queued then.
TEST_F(sinks_test, destruction_without_flush_drains_the_queue) {
    const fs::path fifo = dir.path / "slow.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    auto built = je::detail::build_sink(
        handler("slow", "TextFile", {{"FileName", fifo.string()}, {"Append", "false"}, {"Asynchronous", "true"}}), id,
        true);
    logging::core::get()->add_sink(built.sink);
    constexpr int n = 50;
    for (int i = 0; i < n; ++i) push(id, "{\"i\":" + std::to_string(i) + "}");
    EXPECT_GE(built.stats->queue_depth.load(), static_cast<std::uint64_t>(n - 1));
    std::string received;
    std::thread reader([&] {
        const int fd = ::open(fifo.c_str(), O_RDONLY);
        char buf[4096];
        for (ssize_t got; (got = ::read(fd, buf, sizeof buf)) > 0;) received.append(buf, static_cast<std::size_t>(got));
        ::close(fd);
    });
    logging::core::get()->remove_sink(built.sink);
    built.sink.reset();  // no flush: the destructor drains
    reader.join();
    EXPECT_EQ(lines(received).size(), static_cast<std::size_t>(n));
    EXPECT_EQ(built.stats->queue_depth.load(), 0u);
}

TEST_F(sinks_test, queue_keys_are_checked) {
    EXPECT_THAT(config_error(handler("q", "Console", {{"QueueLimit", "10"}})),
                HasSubstr("test.yaml:QueueLimit: handler q: QueueLimit: has no effect without Asynchronous: true"));
    EXPECT_THAT(config_error(handler("q", "Console", {{"Asynchronous", "true"}, {"QueueLimit", "0"}})),
                HasSubstr("QueueLimit: must be at least 1"));
    EXPECT_THAT(config_error(handler("q", "Console", {{"Asynchronous", "true"}, {"Overflow", "wait"}})),
                HasSubstr("Overflow: expected block or drop (wait)"));
    EXPECT_THAT(config_error(handler("q", "Console", {{"Asynchronous", "maybe"}})),
                HasSubstr("Asynchronous: expected true or false (maybe)"));
}

// --- 3. Mode ----------------------------------------------------------------------------------

TEST_F(sinks_test, mode_is_exact_for_created_and_rotated_files_whatever_the_umask) {
    const std::string blob(100, 'x');
    for (auto [mask, mode] : {std::pair<mode_t, std::string>{0077, "0640"}, {0, "0600"}, {0022, "0600"}}) {
        const fs::path sub = dir.path / ("m" + mode + std::to_string(mask));
        const mode_t old = ::umask(mask);
        {
            attached file(je::detail::build_sink(handler("m", "TextFile",
                                                         {{"FileName", (sub / "cur/e_%N.jsonl").string()},
                                                          {"Target", (sub / "archive").string()},
                                                          {"RotationSize", "4096"},
                                                          {"Mode", mode}}),
                                                 id, true));
            for (int i = 0; i < 100; ++i) push(id, "{\"blob\":\"" + blob + "\"}");
            file.built.sink->flush();
            auto current = files_in(sub / "cur");  // the file being written, created by the handler
            ASSERT_EQ(current.size(), 1u);
            struct stat st {};
            ASSERT_EQ(::stat(current[0].c_str(), &st), 0);
            EXPECT_EQ(st.st_mode & 07777, static_cast<mode_t>(std::stoi(mode, nullptr, 8))) << current[0];
        }
        ::umask(old);
        auto rotated = files_in(sub / "archive");
        EXPECT_GE(rotated.size(), 3u);
        for (const auto& f : rotated) {
            struct stat st {};
            ASSERT_EQ(::stat(f.c_str(), &st), 0);
            EXPECT_EQ(st.st_mode & 07777, static_cast<mode_t>(std::stoi(mode, nullptr, 8)))
                << f << " with umask " << std::oct << mask;
        }
    }
}

// --- 4. rotation --------------------------------------------------------------------------------

TEST_F(sinks_test, a_record_larger_than_rotation_size_is_written_whole_and_returns) {
    // Through the CLI under timeout(1): Debian's Boost 1.81 alone would never return.
    dir.write("schemas/n.json", n_schema);
    auto config = dir.write("big.yaml", R"(EventLogger:
  schemas: [schemas/]
  allowed_schemas: ["*"]
  handlers:
    big: {Destination: TextFile, FileName: out/e_%N.jsonl, RotationSize: 4096}
)");
    const std::string blob(10 * 1024, 'b');
    const std::string small = R"({"schema": "https://example.org/n", "version": "1", "event": {"i": 1}})";
    const std::string big = R"({"schema": "https://example.org/n", "version": "1", "event": {"blob": ")" + blob + "\"}}";
    auto r = run_cli("record --config " + sq(config.string()), small + "\n" + big + "\n" + small + "\n", {},
                     "timeout 120");
    ASSERT_NE(r.code, 124) << "record did not return within 120 s";
    EXPECT_EQ(r.code, 0) << r.err;
    auto files = files_in(dir.path / "out");
    ASSERT_EQ(files.size(), 3u) << "small | big alone | small";
    std::vector<std::size_t> counts;
    for (const auto& f : files) counts.push_back(lines(read(f)).size());
    EXPECT_EQ(counts, (std::vector<std::size_t>{1, 1, 1}));
    auto big_line = lines(read(files[1]));
    ASSERT_EQ(big_line.size(), 1u);
    EXPECT_EQ(json::parse(big_line[0]).as_object().at("blob").as_string(), blob);
}

TEST_F(sinks_test, rotation_by_size_splits_without_losing_a_line) {
    attached file(je::detail::build_sink(
        handler("r", "TextFile", {{"FileName", (dir.path / "r_%N.jsonl").string()}, {"RotationSize", "4096"}}), id,
        true));
    constexpr int n = 1000;
    for (int i = 0; i < n; ++i) push(id, "{\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string(40, 'p') + "\"}");
    file.detach();
    auto files = files_in(dir.path);
    EXPECT_GE(files.size(), 10u);
    std::size_t total = 0;
    std::set<std::int64_t> seen;
    for (const auto& f : files) {
        EXPECT_LE(fs::file_size(f), 4096u) << f;
        for (const auto& line : lines(read(f))) {
            seen.insert(json::parse(line).as_object().at("i").as_int64());
            ++total;
        }
    }
    EXPECT_EQ(total, static_cast<std::size_t>(n));
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(n));
}

TEST_F(sinks_test, rotation_time_point_uses_boost_log_syntax) {
    const std::string file = (dir.path / "e.jsonl").string();
    for (const char* ok : {"00:00:00", "23:59:59", "Mon 12:00:00", "Sunday 01:02:03", "1 00:00:00", "31 23:00:00"})
        EXPECT_NO_THROW(je::detail::build_sink(
            handler("t", "TextFile", {{"FileName", file}, {"RotationTimePoint", ok}}), 1, true))
            << ok;
    for (const char* bad : {"24:00:00", "1:00:00", "12:60:00", "Mon12:00:00", "Funday 00:00:00", "0 00:00:00",
                            "32 00:00:00", "00:00", "midnight"})
        EXPECT_THAT(config_error(handler("t", "TextFile", {{"FileName", file}, {"RotationTimePoint", bad}})),
                    HasSubstr("test.yaml:RotationTimePoint: handler t: RotationTimePoint: "))
            << bad;
    EXPECT_THAT(config_error(handler("t", "TextFile",
                                     {{"FileName", file}, {"RotationTimePoint", "00:00:00"}, {"RotationInterval", "60"}})),
                HasSubstr("RotationTimePoint: cannot be combined with RotationInterval"));
    EXPECT_THAT(config_error(handler("t", "TextFile", {{"FileName", file}, {"RotationSize", "100"}})),
                HasSubstr("RotationSize: must be at least 4096 bytes (100)"));
}

TEST_F(sinks_test, auto_newline_disabled_writes_no_newline) {
    const fs::path out = dir.path / "n.jsonl";
    attached file(je::detail::build_sink(
        handler("n", "TextFile", {{"FileName", out.string()}, {"AutoNewline", "Disabled"}}), id, true));
    push(id, "a");
    push(id, "b");
    file.detach();
    EXPECT_EQ(read(out), "ab");
}

// --- 7. Target and MaxFiles -------------------------------------------------------------------

TEST_F(sinks_test, target_with_max_files_keeps_only_that_many) {
    const fs::path archive = dir.path / "archive";
    attached file(je::detail::build_sink(handler("k", "TextFile",
                                                 {{"FileName", (dir.path / "cur/k_%N.jsonl").string()},
                                                  {"Target", archive.string()},
                                                  {"RotationSize", "4096"},
                                                  {"MaxFiles", "3"}}),
                                         id, true));
    constexpr int n = 500;  // ~60 bytes each: a dozen rotations
    for (int i = 0; i < n; ++i) push(id, "{\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string(40, 'p') + "\"}");
    file.detach();  // final rotation moves the current file too
    auto kept = files_in(archive);
    ASSERT_EQ(kept.size(), 3u);
    std::string newest;
    for (const auto& f : kept) newest += read(f);
    EXPECT_THAT(newest, HasSubstr("{\"i\":" + std::to_string(n - 1) + ","));
    EXPECT_THAT(newest, ::testing::Not(HasSubstr("{\"i\":0,"))) << "the oldest file was deleted";
}

TEST_F(sinks_test, collector_keys_need_target) {
    for (const char* key : {"MaxFiles", "MaxSize", "MinFreeSpace", "ScanForFiles"})
        EXPECT_THAT(config_error(handler("c", "TextFile", {{"FileName", "e.jsonl"}, {key, "1"}})),
                    HasSubstr(std::string(key) + ": has no effect without Target"));
}

// --- check-config ---------------------------------------------------------------------------

TEST_F(sinks_test, check_config_creates_truncates_and_opens_nothing) {
    const fs::path existing = dir.write("old.jsonl", "yesterday\n");
    std::vector<je::handler_config> handlers = {
        handler("new", "TextFile",
                {{"FileName", (dir.path / "a/b/e_%N.jsonl").string()},
                 {"Target", (dir.path / "archive/x").string()},
                 {"MaxFiles", "2"}}),
        handler("old", "TextFile", {{"FileName", existing.string()}, {"Append", "false"}}),
        handler("net", "Syslog", {{"TargetAddress", "no-such-host.invalid:5514"}, {"LocalAddress", "127.0.0.1:0"}}),
        handler("local", "Syslog", {{"Facility", "local3"}}),
        handler("console", "Console", {{"Asynchronous", "true"}}),
    };
    for (const auto& h : handlers) {
        auto built = je::detail::build_sink(h, 1, false);
        EXPECT_FALSE(built.sink) << h.name;
        ASSERT_TRUE(built.stats) << h.name;
    }
    EXPECT_FALSE(fs::exists(dir.path / "a"));
    EXPECT_FALSE(fs::exists(dir.path / "archive"));
    EXPECT_EQ(read(existing), "yesterday\n");
    // The same through the CLI.
    dir.write("schemas/n.json", n_schema);
    auto config = dir.write("check.yaml", "EventLogger:\n  schemas: [schemas/]\n  handlers:\n"
                                          "    f: {FileName: logs/e.jsonl, Target: logs/archive, MaxFiles: 2}\n"
                                          "    s: {Destination: Syslog, TargetAddress: 127.0.0.1:5514, Facility: local0}\n");
    auto r = run_cli("check-config " + sq(config.string()));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_FALSE(fs::exists(dir.path / "logs"));
}

TEST_F(sinks_test, check_config_reports_an_unwritable_target) {
    const fs::path file = dir.write("plain-file", "x");
    EXPECT_THAT(config_error(handler("t", "TextFile",
                                     {{"FileName", (dir.path / "e.jsonl").string()}, {"Target", (file / "sub").string()}})),
                HasSubstr("handler t: Target: \"" + file.string() + "\" is not a directory"));
}

// --- keys -------------------------------------------------------------------------------------

TEST_F(sinks_test, keys_are_checked_per_destination) {
    EXPECT_THAT(config_error(handler("c", "Console", {{"Mode", "0600"}})),
                HasSubstr("test.yaml:Mode: handler c: Mode: unknown key for Destination Console (Mode)"));
    EXPECT_THAT(config_error(handler("s", "Syslog", {{"FileName", "x"}})),
                HasSubstr("unknown key for Destination Syslog (FileName)"));
    EXPECT_THAT(config_error(handler("s", "Syslog", {{"LocalAddress", "127.0.0.1"}})),
                HasSubstr("LocalAddress: has no effect without TargetAddress"));
    EXPECT_THAT(config_error(handler("s", "Syslog", {{"Facility", "local9"}})),
                HasSubstr("Facility: unknown syslog facility (local9)"));
    EXPECT_THAT(config_error(handler("s", "Syslog", {{"Ident", "has space"}})), HasSubstr("Ident: expected 1 to 32"));
    for (const char* bad : {"127.0.0.1:0", "127.0.0.1:99999", "host:", ":514", "[::1", "[::1]x", "a b"})
        EXPECT_THAT(config_error(handler("s", "Syslog", {{"TargetAddress", bad}})), HasSubstr("TargetAddress: "))
            << bad;
    for (const char* ok : {"127.0.0.1", "localhost:5514", "[::1]:514", "::1", "logs.example.org"})
        EXPECT_NO_THROW(je::detail::build_sink(handler("s", "Syslog", {{"TargetAddress", ok}}), 1, false)) << ok;
    EXPECT_THAT(config_error(handler("s", "TextFile", {{"FileName", "e.jsonl"}, {"Format", "%Message"}})),
                HasSubstr("Format: invalid Boost.Log format string"));
    EXPECT_THAT(config_error(handler("w", "Console", {{"Wide", "true"}})), HasSubstr("Wide: wide-character sinks"));
}

// --- 8. destinations registered with Boost.Log -------------------------------------------------

struct null_factory : logging::sink_factory<char> {
    boost::shared_ptr<logging::sinks::sink> create_sink(const settings_section&) override { return {}; }
};

TEST_F(sinks_test, a_destination_registered_with_boost_log_is_rejected_with_the_known_list) {
    logging::register_sink_factory("HostSink", boost::make_shared<null_factory>());
    auto h = handler("h", "HostSink", {});
    h.where = "events.yaml:3:5";
    EXPECT_THAT(config_error(h), HasSubstr("events.yaml:3:5: handler h: Destination: unsupported (HostSink); use "
                                           "TextFile, Console"));
}

// --- 6. Journal ---------------------------------------------------------------------------------

#ifdef JE_WITH_JOURNAL
TEST_F(sinks_test, journal_handler_keys) {
    EXPECT_NO_THROW(je::detail::build_sink(handler("j", "Journal", {{"Ident", "myapp"}, {"Facility", "local1"}}), 1, false));
    EXPECT_THAT(config_error(handler("j", "Journal", {{"Facility", "nope"}})), HasSubstr("Facility: unknown syslog facility"));
    EXPECT_THAT(config_error(handler("j", "Journal", {{"FileName", "x"}})),
                HasSubstr("unknown key for Destination Journal (FileName)"));
}

TEST_F(sinks_test, journal_without_journald_fails_visibly) {
    if (fs::exists("/run/systemd/journal/socket")) GTEST_SKIP() << "journald is running here; see journal_writes_fields";
    attached journal(je::detail::build_sink(handler("j", "Journal", {}), id, true));
    try {
        push(id, R"({"i":1})");
        FAIL() << "sending to an absent journald succeeded";
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::write_failed);
        EXPECT_THAT(e.what(), HasSubstr("handler j: journald is not running (/run/systemd/journal/socket: "));
    }
    EXPECT_EQ(journal.stats().write_errors.load(), 1u);
}

TEST_F(sinks_test, journal_writes_fields) {
    if (!fs::exists("/run/systemd/journal/socket"))
        GTEST_SKIP() << "no journald: /run/systemd/journal/socket does not exist on this machine";
    const std::string ident = "je-test-" + std::to_string(::getpid()) + "-" + std::to_string(id);
    attached journal(je::detail::build_sink(handler("j", "Journal", {{"Ident", ident}}), id, true));
    push(id, R"({"i":42})");
    std::string out;
    for (int attempt = 0; attempt < 50 && out.find("MESSAGE") == std::string::npos; ++attempt) {
        temp_dir io;
        [[maybe_unused]] const int rc = std::system(("journalctl -o json --no-pager SYSLOG_IDENTIFIER=" + ident + " >" + (io.path / "j").string() +
                     " 2>/dev/null").c_str());
        out = read(io.path / "j");
        if (out.find("MESSAGE") == std::string::npos) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_THAT(out, HasSubstr("\"MESSAGE\":\"{\\\"i\\\":42}\""));
    EXPECT_THAT(out, HasSubstr("\"EVENT_SCHEMA\":\"https://example.org/n\""));
    EXPECT_THAT(out, HasSubstr("\"EVENT_SCHEMA_VERSION\":\"1\""));
    EXPECT_THAT(out, HasSubstr("\"PRIORITY\":\"6\""));
}
#else
TEST_F(sinks_test, journal_is_rejected_when_not_built) {
    EXPECT_THAT(config_error(handler("j", "Journal", {})), HasSubstr("Journal is not available"));
}
#endif

}  // namespace
