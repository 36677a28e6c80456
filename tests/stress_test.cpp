// Concurrency stress: 8 threads record while another thread calls reload() and reopen()
// as fast as it can and the files rotate every few kilobytes; then the logger is destroyed
// (shutdown). Every accepted event must be in the files exactly once, and every line must
// be one complete JSON object. Prints how many events it checked.
#include <jupyter_events/event_logger.hpp>

#include "test_support.hpp"

#include <boost/json/parse.hpp>

#include <gmock/gmock.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>
#include <vector>

namespace je = jupyter_events;
namespace json = boost::json;
using namespace je_test;

namespace {

const std::string s_id = "https://example.org/stress";
const char* const s_schema = R"({"$id": "https://example.org/stress", "version": "1", "type": "object",
  "required": ["t", "i"], "properties": {"t": {"type": "integer"}, "i": {"type": "integer"}, "pad": {"type": "string"}}})";

constexpr int recording_threads = 8;
constexpr int events_per_thread = 6000;

// One handler writing `prefix`_%N.jsonl in `dir`, a new file every 4 KiB. (No Target:
// Boost.Log's file collector rescans its whole directory on every reload, which thousands
// of reloads into thousands of archived files would make a benchmark of Boost's scan.)
struct variant {
    const char* name;
    bool asynchronous;
    const char* rotation_size;
};

je::logger_config config_for(const fs::path& dir, const std::string& prefix, const variant& v) {
    je::logger_config cfg;
    cfg.allowed_schemas.push_back({"*", std::nullopt, {}});
    je::handler_config h;
    h.name = "events";
    h.settings["FileName"] = {(dir / (prefix + "_%N.jsonl")).string(), ""};
    h.settings["RotationSize"] = {v.rotation_size, ""};
    h.settings["AutoFlush"] = {"false", ""};
    if (v.asynchronous) {
        h.settings["Asynchronous"] = {"true", ""};
        h.settings["QueueLimit"] = {"256", ""};
    }
    cfg.handlers.push_back(h);
    return cfg;
}

struct tally {
    std::size_t files = 0, lines = 0, events = 0;
    std::vector<std::string> problems;  // the first few, for the failure message
    void problem(std::string p) {
        if (problems.size() < 10) problems.push_back(std::move(p));
    }
};

// Reads every file under `dir`; counts each (t, i) seen.
tally check_files(const fs::path& dir, std::map<std::pair<std::int64_t, std::int64_t>, int>& seen) {
    tally out;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        ++out.files;
        const std::string text = read(entry.path());
        if (!text.empty() && text.back() != '\n') out.problem(entry.path().string() + ": no newline at the end");
        for (const auto& line : lines(text)) {
            ++out.lines;
            boost::system::error_code ec;
            const json::value v = json::parse(line, ec);
            const json::object* o = ec ? nullptr : v.if_object();
            if (!o || !o->contains("t") || !o->contains("i")) {
                out.problem(entry.path().filename().string() + ": not a complete event: " + line.substr(0, 200));
                continue;
            }
            ++seen[{o->at("t").as_int64(), o->at("i").as_int64()}];
        }
    }
    return out;
}

class stress : public boost_log_fixture, public ::testing::WithParamInterface<variant> {};

TEST_P(stress, reload_reopen_rotation_and_shutdown_lose_and_duplicate_nothing) {
    const variant& v = GetParam();
    temp_dir dir;
    auto logger = std::make_unique<je::event_logger>(config_for(dir.path, "g", v));
    logger->register_schema_text(s_schema);
    const std::string pad(120, 'p');  // ~200-byte lines

    std::atomic<int> done{0};
    std::atomic<std::uint64_t> accepted{0};
    std::vector<std::string> failures[recording_threads];
    std::vector<std::thread> pool;
    const auto start = std::chrono::steady_clock::now();
    for (int t = 0; t < recording_threads; ++t) {
        pool.emplace_back([&, t] {
            for (int i = 0; i < events_per_thread; ++i) {
                const auto out = logger->try_record_event(s_id, "1", json::object{{"t", t}, {"i", i}, {"pad", pad}});
                if (out.code == je::errc::ok) accepted.fetch_add(1, std::memory_order_relaxed);
                else if (failures[t].size() < 3) failures[t].push_back(out.message);
            }
            ++done;
        });
    }
    // Metrics and flushes read the configuration in force while it is being replaced.
    std::atomic<bool> stop_reader{false};
    std::uint64_t reads = 0;
    std::thread reader([&] {
        while (!stop_reader.load()) {
            for (const auto& h : logger->handlers()) EXPECT_EQ(h.name, "events");
            if (++reads % 16 == 0) logger->flush();
        }
    });
    // Reload (to a new file name each time) and reopen (the same names again: appending
    // to the generation's files) until the recorders finish.
    int reloads = 0, reopens = 0;
    for (int k = 0; done.load() < recording_threads; ++k) {
        if (k % 2) {
            logger->reopen();
            ++reopens;
        } else {
            logger->reload(config_for(dir.path, "g" + std::to_string(k), v));
            ++reloads;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // leave the recorders some CPU on 2 cores
    }
    for (auto& th : pool) th.join();
    stop_reader = true;
    reader.join();
    logger.reset();  // shutdown: no flush() first, the destructor must write everything accepted
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    for (const auto& f : failures)
        for (const auto& m : f) ADD_FAILURE() << "not accepted: " << m;
    std::map<std::pair<std::int64_t, std::int64_t>, int> seen;
    tally t = check_files(dir.path, seen);
    for (const auto& p : t.problems) ADD_FAILURE() << p;
    std::size_t missing = 0, duplicated = 0;
    for (int th = 0; th < recording_threads; ++th)
        for (int i = 0; i < events_per_thread; ++i) {
            auto it = seen.find({th, i});
            if (it == seen.end()) ++missing;
            else if (it->second > 1) ++duplicated;
        }
    EXPECT_EQ(accepted.load(), std::uint64_t(recording_threads) * events_per_thread);
    EXPECT_EQ(missing, 0u);
    EXPECT_EQ(duplicated, 0u);
    EXPECT_EQ(t.lines, accepted.load()) << "lines that are not accepted events";
    EXPECT_GT(reloads, 2);
    EXPECT_GT(reopens, 2);
    EXPECT_GT(t.files, std::size_t(reloads)) << "the files did not rotate";
    std::printf("[ stress   ] %s: %zu events checked in %zu lines of %zu files, exactly once; %d reloads and "
                "%d reopens in %.2f s\n",
                v.name, seen.size(), t.lines, t.files, reloads, reopens, seconds);
}

// 4 KiB files (the smallest RotationSize) rotate every ~20 events; 64 KiB files are larger
// than the stream buffer, so lines reach the disk in pieces while generations overlap.
INSTANTIATE_TEST_SUITE_P(handlers, stress,
                         ::testing::Values(variant{"synchronous_4k", false, "4096"},
                                           variant{"asynchronous_4k", true, "4096"},
                                           variant{"synchronous_64k", false, "65536"},
                                           variant{"asynchronous_64k", true, "65536"}),
                         [](const ::testing::TestParamInfo<variant>& param) { return std::string(param.param.name); });

}  // namespace
