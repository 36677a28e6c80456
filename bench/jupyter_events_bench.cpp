// Recording cost against raw Boost.Log writing the same line, and the fast paths.
// Ratios measured in one run are what matter (bench/report prints them): these machines
// are shared and noisy, absolute numbers are not comparable between runs.
#include <jupyter_events/jupyter_events.hpp>

#include <benchmark/benchmark.h>
#include <boost/core/null_deleter.hpp>
#include <boost/log/attributes/constant.hpp>
#include <boost/log/attributes/value_extraction.hpp>
#include <boost/log/core.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/text_file_backend.hpp>
#include <boost/log/sources/logger.hpp>
#include <boost/log/utility/manipulators/add_value.hpp>
#include <boost/log/sources/record_ostream.hpp>
#include <boost/make_shared.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace je = jupyter_events;
namespace json = boost::json;
namespace logging = boost::log;
namespace fs = std::filesystem;

namespace {

const char* const schema_text = R"({
  "$id": "https://example.org/bench", "version": "1", "type": "object",
  "properties": {
    "user": {"type": "string"}, "action": {"type": "string", "enum": ["open", "save", "close"]},
    "count": {"type": "integer", "minimum": 0}, "success": {"type": "boolean"},
    "path": {"type": "string", "maxLength": 4096}},
  "required": ["user", "action", "count"]})";

// About 200 bytes once the envelope is added.
json::value make_event() {
    return {{"user", "alice"}, {"action", "save"}, {"count", 7}, {"success", true},
            {"path", "/home/alice/notebooks/analysis-2026.ipynb"}};
}

fs::path bench_dir() {
    static const fs::path dir = [] {
        fs::path d = fs::temp_directory_path() / ("je-bench-" + std::to_string(::getpid()));
        fs::create_directories(d);
        return d;
    }();
    return dir;
}

je::logger_config file_config(const std::string& name, bool async = false) {
    je::logger_config cfg;
    cfg.allowed_schemas.push_back({"https://example.org/bench", std::nullopt, {}});
    je::handler_config h;
    h.name = name;
    h.settings["FileName"] = {(bench_dir() / (name + ".jsonl")).string(), ""};
    h.settings["Append"] = {"false", ""};
    if (async) h.settings["Asynchronous"] = {"true", ""};
    cfg.handlers.push_back(h);
    return cfg;
}

// One logger shared by the single- and multi-threaded runs of a benchmark.
je::event_logger& shared_logger() {
    static std::unique_ptr<je::event_logger> logger = [] {
        auto l = std::make_unique<je::event_logger>(file_config("events"));
        l->register_schema_text(schema_text);
        return l;
    }();
    return *logger;
}

void BM_raw_boost_log_file(benchmark::State& state) {
    // The floor: Boost.Log writing a prebuilt line of the same size through a synchronous
    // text file sink, formatter writing the Message, no auto-flush. With threads, all of
    // them write into the one sink (thread 0 adds it before the start barrier).
    using file_sink = logging::sinks::synchronous_sink<logging::sinks::text_file_backend>;
    static boost::shared_ptr<file_sink> sink;
    if (state.thread_index() == 0) {
        je::event_logger& plugin = shared_logger();  // the same core setup as BM_record_event_file
        (void)plugin;
        auto backend = boost::make_shared<logging::sinks::text_file_backend>(
            logging::keywords::file_name = (bench_dir() / "raw.jsonl").string());
        sink = boost::make_shared<file_sink>(backend);
        sink->set_formatter([](const logging::record_view& rec, logging::formatting_ostream& strm) {
            if (auto m = logging::extract<std::string>("Message", rec)) strm << *m;
        });
        sink->set_filter([](const logging::attribute_value_set& attrs) { return attrs.count("RawBench") > 0; });
        logging::core::get()->add_sink(sink);
    }
    const std::string line =
        "{\"__timestamp__\":\"2026-11-24T09:15:00.123456Z\",\"__schema__\":\"https://example.org/bench\","
        "\"__schema_version__\":\"1\",\"__metadata_version__\":1,\"user\":\"alice\",\"action\":\"save\","
        "\"count\":7,\"success\":true,\"path\":\"/home/alice/notebooks/analysis-2026.ipynb\"}";
    logging::sources::logger lg;
    lg.add_attribute("RawBench", logging::attributes::constant<int>(1));
    for (auto _ : state) {
        logging::record rec = lg.open_record();
        if (rec) {
            logging::record_ostream strm(rec);
            strm << line;
            strm.flush();
            lg.push_record(boost::move(rec));
        }
    }
    if (state.thread_index() == 0) {
        logging::core::get()->remove_sink(sink);
        sink.reset();
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_raw_boost_log_file);
BENCHMARK(BM_raw_boost_log_file)->Threads(2);  // bench/report reads its wall time per event

void BM_record_event_file(benchmark::State& state) {
    je::event_logger& logger = shared_logger();
    const json::value event = make_event();
    for (auto _ : state) {
        auto outcome = logger.try_record_event("https://example.org/bench", "1", event);
        benchmark::DoNotOptimize(outcome.code);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_record_event_file);
BENCHMARK(BM_record_event_file)->Threads(2);  // bench/report reads its wall time per event

void BM_record_event_invalid(benchmark::State& state) {
    je::event_logger& logger = shared_logger();
    json::value event = make_event();
    event.as_object()["action"] = "explode";
    for (auto _ : state) {
        auto outcome = logger.try_record_event("https://example.org/bench", "1", event);
        benchmark::DoNotOptimize(outcome.code);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_record_event_invalid);

void BM_fast_path_no_sink(benchmark::State& state) {
    je::logger_config cfg;
    cfg.allowed_schemas.push_back({"*", std::nullopt, {}});
    je::event_logger logger{cfg};
    logger.register_schema_text(schema_text);
    const json::value event = make_event();
    for (auto _ : state) {
        auto outcome = logger.try_record_event("https://example.org/bench", "1", event);
        benchmark::DoNotOptimize(outcome.code);
    }
}
BENCHMARK(BM_fast_path_no_sink);

void BM_not_allowed(benchmark::State& state) {
    je::event_logger& logger = shared_logger();
    if (!logger.registry().find("https://example.org/other"))
        logger.register_schema_text(R"({"$id": "https://example.org/other", "version": "1", "properties": {}})");
    const json::value event = make_event();
    for (auto _ : state) {
        auto outcome = logger.try_record_event("https://example.org/other", "1", event);
        benchmark::DoNotOptimize(outcome.code);
    }
}
BENCHMARK(BM_not_allowed);

void BM_async_record(benchmark::State& state) {
    static std::unique_ptr<je::event_logger> logger;
    try {
        if (!logger) {
            logger = std::make_unique<je::event_logger>(file_config("async", true));
            logger->register_schema_text(schema_text);
        }
    } catch (const je::error& e) {
        state.SkipWithError(e.what());
        return;
    }
    const json::value event = make_event();
    for (auto _ : state) {
        auto outcome = logger->try_record_event("https://example.org/bench", "1", event);
        benchmark::DoNotOptimize(outcome.code);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_async_record);

void BM_validate_only(benchmark::State& state) {
    je::schema_registry registry;
    registry.register_schema_text(schema_text);
    const je::event_schema* schema = registry.find("https://example.org/bench", "1");
    const json::value event = make_event();
    for (auto _ : state) benchmark::DoNotOptimize(schema->is_valid(event));
}
BENCHMARK(BM_validate_only);

// Start-up: a configuration with 20 schemas (YAML files of 5-8 properties, some with
// formats and patterns) and one TextFile handler, loaded and turned into a logger.
fs::path write_startup_config() {
    const fs::path dir = bench_dir() / "startup";
    fs::create_directories(dir / "schemas");
    std::string allowed;
    for (int i = 0; i < 20; ++i) {
        const std::string id = "https://example.org/startup/event-" + std::to_string(i);
        std::FILE* f = std::fopen((dir / "schemas" / ("event-" + std::to_string(i) + ".yaml")).c_str(), "w");
        if (!f) continue;
        std::fprintf(f,
                     "$id: %s\nversion: %d\ntitle: Event %d\ndescription: A start-up benchmark event.\n"
                     "type: object\nrequired: [user, action]\nproperties:\n"
                     "  user: {type: string, title: User, description: Who, maxLength: 256}\n"
                     "  action: {type: string, title: Action, description: What, enum: [open, save, close]}\n"
                     "  count: {type: integer, title: Count, description: How many, minimum: 0}\n"
                     "  when: {type: string, title: When, description: At, format: date-time}\n"
                     "  path: {type: string, title: Path, description: Where, pattern: \"^/[^\\\\0]*$\"}\n"
                     "  tags:\n    type: array\n    title: Tags\n    description: Labels\n"
                     "    items: {type: string, title: Tag, description: One label}\n",
                     id.c_str(), 1 + i % 3, i);
        std::fclose(f);
        allowed += "    - " + id + "\n";
    }
    const fs::path config = dir / "config.yaml";
    if (std::FILE* f = std::fopen(config.c_str(), "w")) {
        std::fprintf(f,
                     "EventLogger:\n  schemas: [schemas/]\n  allowed_schemas:\n%s  handlers:\n"
                     "    events:\n      Destination: TextFile\n      FileName: out/events.jsonl\n",
                     allowed.c_str());
        std::fclose(f);
    }
    return config;
}

void BM_startup_20_schemas(benchmark::State& state) {
    const fs::path config = write_startup_config();
    for (auto _ : state) {
        try {
            je::event_logger logger{je::load_config({config})};
            benchmark::DoNotOptimize(&logger);
        } catch (const je::error& e) {
            state.SkipWithError(e.what());
            return;
        }
    }
}
BENCHMARK(BM_startup_20_schemas)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    std::error_code ec;
    fs::remove_all(bench_dir(), ec);
    return 0;
}
