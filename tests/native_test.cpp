// Recording events through an application's own Boost.Log loggers and macros
// (native.hpp), the %EventJson% formatter and schema filters in settings files, and the
// promise that the plugin leaves an application's Boost.Log setup as it found it.
#include <jupyter_events/native.hpp>

#include <jupyter_events/log_filters.hpp>

#include "handler_support.hpp"
#include "test_support.hpp"

#include <boost/log/sources/severity_channel_logger.hpp>
#include <boost/log/trivial.hpp>
#include <boost/log/utility/setup/filter_parser.hpp>
#include <boost/log/utility/setup/formatter_parser.hpp>
#include <boost/log/utility/setup/from_stream.hpp>

#include <gmock/gmock.h>

#include <atomic>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

namespace je = jupyter_events;
namespace json = boost::json;
namespace logging = boost::log;
namespace expr = boost::log::expressions;
namespace attrs = boost::log::attributes;
using namespace je_test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using severity = logging::trivial::severity_level;
using app_logger = logging::sources::severity_channel_logger_mt<severity, std::string>;

namespace {

const char* const file_save_schema = R"(
$id: https://example.org/file-save
version: "1"
type: object
properties:
  path: {type: string}
  action: {type: string, enum: [save, autosave]}
required: [path, action]
)";

const char* const login_schema = R"(
$id: https://example.org/login
version: "1"
type: object
properties:
  user: {type: string, categories: [user-identifier]}
  client: {type: string, categories: [unrestricted]}
  ok: {type: boolean, categories: [unrestricted]}
required: [user]
)";

const std::string file_save = "https://example.org/file-save";
const std::string login = "https://example.org/login";
const std::string stamp = "2026-11-23T11:17:47.123456Z";

std::string envelope(const std::string& schema) {
    return "{\"__timestamp__\":\"" + stamp + "\",\"__schema__\":\"" + schema +
           "\",\"__schema_version__\":\"1\",\"__metadata_version__\":1,";
}

// An event_logger with a file handler, both schemas, a bridge and a collected error log.
struct plugin {
    je::event_logger logger;
    std::shared_ptr<std::vector<std::string>> errors = std::make_shared<std::vector<std::string>>();
    std::shared_ptr<std::mutex> errors_mutex = std::make_shared<std::mutex>();
    je::native_bridge bridge;

    explicit plugin(const je::logger_config& cfg, je::bridge_options options = {})
        : logger(cfg), bridge(logger, std::move(options)) {
        logger.register_schema_text(file_save_schema);
        logger.register_schema_text(login_schema);
        logger.set_error_handler([errors = errors, m = errors_mutex](std::string_view message) {
            std::lock_guard lock(*m);
            errors->emplace_back(message);
        });
    }
    std::vector<std::string> reported() const {
        std::lock_guard lock(*errors_mutex);
        return *errors;
    }
};

class native_test : public boost_log_fixture {
protected:
    temp_dir dir;
    fs::path out = dir.path / "events.jsonl";
    app_logger events{logging::keywords::channel = "jupyter_events"};

    void TearDown() override {
        logging::core::get()->reset_filter();
        boost_log_fixture::TearDown();
    }
};

TEST_F(native_test, valid_event_is_written_with_the_envelope_exactly_once) {
    plugin p{file_logger(out)};
    BOOST_LOG_SEV(events, logging::trivial::info)
        << je::event(file_save, 1, R"({"path":"a.ipynb","action":"save"})", stamp);
    BOOST_LOG_SEV(events, logging::trivial::warning)
        << je::event(file_save, "", {{"action", "autosave"}, {"path", "b.ipynb"}}, stamp);
    p.logger.flush();
    EXPECT_EQ(read(out), envelope(file_save) + "\"path\":\"a.ipynb\",\"action\":\"save\"}\n" + envelope(file_save) +
                             "\"action\":\"autosave\",\"path\":\"b.ipynb\"}\n");
    EXPECT_EQ(p.logger.stats().recorded, 2u);
    EXPECT_TRUE(p.reported().empty());
}

TEST_F(native_test, invalid_event_is_counted_and_reported_never_thrown_or_written) {
    plugin p{file_logger(out)};
    EXPECT_NO_THROW(BOOST_LOG_SEV(events, logging::trivial::info)
                    << je::event(file_save, 1, R"({"path":"a.ipynb","action":"open"})"));
    p.logger.flush();
    EXPECT_EQ(read(out), "");
    EXPECT_EQ(p.logger.stats().rejected_invalid, 1u);
    EXPECT_EQ(p.logger.stats().recorded, 0u);
    EXPECT_THAT(p.reported(), ElementsAre("record event: /action: \"open\" is not one of [\"save\",\"autosave\"] "
                                          "(schema https://example.org/file-save v1)"));
}

TEST_F(native_test, payload_that_is_not_a_json_object_is_invalid) {
    plugin p{file_logger(out)};
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, R"({"path": )");
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, "[1, 2]");
    EXPECT_EQ(p.logger.stats().rejected_invalid, 2u);
    const auto errors = p.reported();
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_THAT(errors[0], HasSubstr("record event: payload: invalid JSON"));
    EXPECT_THAT(errors[0], HasSubstr("(schema https://example.org/file-save v1); stream a JSON object"));
    EXPECT_EQ(errors[1], "record event: an event must be a JSON object, not an array "
                         "(schema https://example.org/file-save v1)");
    EXPECT_EQ(read(out), "");
}

TEST_F(native_test, not_allowed_schema_is_dropped_and_counted_silently) {
    plugin p{file_logger(out, {login})};
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, R"({"path":"a","action":"save"})");
    // Not allowed: not even looked at, so a payload that is not JSON is no error either.
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, "{nope");
    EXPECT_EQ(p.logger.stats().dropped_not_allowed, 2u);
    EXPECT_EQ(p.logger.stats().rejected_invalid, 0u);
    EXPECT_TRUE(p.reported().empty());
    EXPECT_EQ(read(out), "");
}

TEST_F(native_test, unknown_schema_or_version_is_reported) {
    plugin p{file_logger(out)};
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event("https://example.org/nope", 1, R"({})");
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 7, R"({"path":"a","action":"save"})");
    EXPECT_EQ(p.logger.stats().rejected_unregistered, 2u);
    const auto errors = p.reported();
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_THAT(errors[0], HasSubstr("record event: schema is not registered ($id https://example.org/nope, version 1)"));
    EXPECT_THAT(errors[1], HasSubstr("registered versions: 1"));
}

TEST_F(native_test, redaction_applies_as_for_record_event) {
    je::logger_config cfg = file_logger(out, {});
    cfg.allowed_schemas.push_back({login, std::vector<std::string>{}, {"client"}});
    plugin p{cfg};
    BOOST_LOG_SEV(events, logging::trivial::info)
        << je::event(login, 1, R"({"user":"alice","client":"lab","ok":true})", stamp);
    p.logger.record_event(login, 1, {{"user", "alice"}, {"client", "lab"}, {"ok", true}}, stamp);
    p.logger.flush();
    const std::string line = envelope(login) + "\"user\":null,\"client\":\"lab\",\"ok\":true}\n";
    EXPECT_EQ(read(out), line + line);
}

TEST_F(native_test, modifiers_and_listeners_see_native_events) {
    plugin p{file_logger(out)};
    p.logger.add_modifier(file_save, [](std::string_view, json::object& e) { e["path"] = "modified"; });
    std::atomic<int> heard{0};
    p.logger.add_listener(file_save, [&](std::string_view, const json::object& e) {
        if (e.at("path") == "modified") ++heard;
    });
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, R"({"path":"a","action":"save"})");
    p.logger.flush();
    EXPECT_EQ(heard.load(), 1);
    EXPECT_THAT(read(out), HasSubstr("\"path\":\"modified\""));
}

TEST_F(native_test, native_record_reaches_no_handler_raw_and_apps_own_lines_stay_apart) {
    capture_sink app_sink;  // the application's sink, keeping events out as documented
    app_sink.sink->set_filter(!je::is_event_record);
    capture_sink routed;  // a sink of the application routing events in
    routed.sink->set_filter(je::is_validated_event);
    plugin p{file_logger(out)};
    app_logger app{logging::keywords::channel = "app"};
    BOOST_LOG_SEV(app, logging::trivial::info) << "before";
    BOOST_LOG_SEV(events, logging::trivial::info)
        << je::event(file_save, 1, R"({"path":"a","action":"save"})", stamp) << "text the bridge ignores";
    BOOST_LOG_SEV(events, logging::trivial::info) << "no event here: ignored, not reported";
    BOOST_LOG_SEV(app, logging::trivial::info) << "after";
    p.logger.flush();
    const std::string line = envelope(file_save) + "\"path\":\"a\",\"action\":\"save\"}";
    EXPECT_EQ(read(out), line + "\n");
    EXPECT_EQ(app_sink.text(), "before\nafter\n");
    EXPECT_EQ(routed.text(), line + "\n");
    EXPECT_EQ(p.logger.stats().recorded, 1u);
    EXPECT_TRUE(p.reported().empty());
}

TEST_F(native_test, every_event_is_written_exactly_once_from_four_threads) {
    capture_sink app_sink;
    app_sink.sink->set_filter(!je::is_event_record);
    plugin p{file_logger(out)};
    constexpr int threads = 4, per_thread = 2000;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            app_logger app{logging::keywords::channel = "app"};
            for (int n = 0; n < per_thread; ++n) {
                const std::string path = std::to_string(t) + "-" + std::to_string(n);
                if (n % 100 == 99) {  // one in a hundred is invalid
                    BOOST_LOG_SEV(events, logging::trivial::info)
                        << je::event(file_save, 1, {{"path", path}, {"action", "open"}});
                } else {
                    BOOST_LOG_SEV(events, logging::trivial::info)
                        << je::event(file_save, 1, R"({"path":")" + path + R"(","action":"save"})");
                }
                if (n % 10 == 0) BOOST_LOG_SEV(app, logging::trivial::info) << "app " << path;
            }
        });
    }
    for (auto& th : pool) th.join();
    p.logger.flush();
    const int invalid = threads * per_thread / 100;
    const auto written = lines(read(out));
    ASSERT_EQ(written.size(), static_cast<std::size_t>(threads * per_thread - invalid));
    std::set<std::string> paths;
    const std::regex path_re(R"re("path":"(\d+-\d+)","action":"save"\}$)re");
    for (const auto& line : written) {
        std::smatch m;
        ASSERT_TRUE(std::regex_search(line, m, path_re)) << line;
        EXPECT_TRUE(paths.insert(m[1]).second) << "twice: " << line;
    }
    const auto stats = p.logger.stats();
    EXPECT_EQ(stats.recorded, static_cast<std::uint64_t>(threads * per_thread - invalid));
    EXPECT_EQ(stats.rejected_invalid, static_cast<std::uint64_t>(invalid));
    EXPECT_EQ(lines(app_sink.text()).size(), static_cast<std::size_t>(threads * per_thread / 10));
}

TEST_F(native_test, two_loggers_never_write_into_each_others_handlers) {
    const fs::path out_b = dir.path / "b.jsonl";
    plugin a{file_logger(out, {file_save})};
    plugin b{file_logger(out_b, {login})};
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, R"({"path":"a","action":"save"})", stamp);
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(login, 1, R"({"user":"u"})", stamp);
    a.logger.record_event(file_save, 1, {{"path", "direct"}, {"action", "save"}}, stamp);
    a.logger.flush();
    b.logger.flush();
    EXPECT_EQ(read(out), envelope(file_save) + "\"path\":\"a\",\"action\":\"save\"}\n" + envelope(file_save) +
                             "\"path\":\"direct\",\"action\":\"save\"}\n");
    EXPECT_EQ(read(out_b), envelope(login) + "\"user\":null}\n");  // plain entry: categories redacted
    EXPECT_EQ(a.logger.stats().recorded, 2u);
    EXPECT_EQ(a.logger.stats().dropped_not_allowed, 1u);
    EXPECT_EQ(b.logger.stats().recorded, 1u);
    EXPECT_EQ(b.logger.stats().dropped_not_allowed, 1u);
}

TEST_F(native_test, selectors_route_records_to_one_logger_and_a_miss_is_reported) {
    const fs::path out_b = dir.path / "b.jsonl";
    auto channel_is = [](std::string name) {
        return je::bridge_options{expr::attr<std::string>("Channel") == name};
    };
    plugin a{file_logger(out), channel_is("events.a")};
    plugin b{file_logger(out_b), channel_is("events.b")};
    app_logger lg;
    // A record no sink opens never runs its manipulators: nothing can tell it is lost.
    BOOST_LOG_CHANNEL_SEV(lg, "elsewhere", logging::trivial::info)
        << je::event(file_save, 1, R"({"path":"unseen","action":"save"})", stamp);
    EXPECT_TRUE(a.reported().empty());
    capture_sink app_sink;  // the application's catch-all sink opens it
    BOOST_LOG_CHANNEL_SEV(lg, "events.a", logging::trivial::info)
        << je::event(file_save, 1, R"({"path":"a","action":"save"})", stamp);
    BOOST_LOG_CHANNEL_SEV(lg, "events.b", logging::trivial::info)
        << je::event(file_save, 1, R"({"path":"b","action":"save"})", stamp);
    BOOST_LOG_CHANNEL_SEV(lg, "elsewhere", logging::trivial::info)
        << je::event(file_save, 1, R"({"path":"lost","action":"save"})", stamp);
    a.logger.flush();
    b.logger.flush();
    EXPECT_EQ(read(out), envelope(file_save) + "\"path\":\"a\",\"action\":\"save\"}\n");
    EXPECT_EQ(read(out_b), envelope(file_save) + "\"path\":\"b\",\"action\":\"save\"}\n");
    const std::string miss = "record event: no native_bridge takes this Boost.Log record (Channel elsewhere) "
                             "(schema https://example.org/file-save v1); log events on channel jupyter_events or "
                             "widen bridge_options::selector";
    EXPECT_THAT(a.reported(), ElementsAre(miss));
    EXPECT_THAT(b.reported(), ElementsAre(miss));
    // One event per record: a second one is not silently dropped either.
    BOOST_LOG_CHANNEL_SEV(lg, "events.a", logging::trivial::info)
        << je::event(file_save, 1, R"({"path":"a2","action":"save"})", stamp)
        << je::event(file_save, 1, R"({"path":"ignored","action":"save"})", stamp);
    EXPECT_EQ(a.reported().back(), "record event: a Boost.Log record carries one event, this second one is ignored "
                                   "(schema https://example.org/file-save v1); stream one event per logging statement");
    EXPECT_THAT(read(out), HasSubstr("\"path\":\"a2\""));
    EXPECT_THAT(read(out), ::testing::Not(HasSubstr("ignored")));
}

TEST_F(native_test, one_bridge_per_logger_and_detach_stops_it) {
    plugin p{file_logger(out)};
    try {
        je::native_bridge second{p.logger};
        FAIL() << "a second bridge was attached";
    } catch (const je::error& e) {
        EXPECT_EQ(e.code(), je::errc::invalid_argument);
        EXPECT_THAT(e.what(), HasSubstr("attach native bridge: event_logger " + std::to_string(p.logger.id()) +
                                        " already has one"));
    }
    EXPECT_TRUE(p.bridge.attached());
    p.bridge.detach();
    p.bridge.detach();
    EXPECT_FALSE(p.bridge.attached());
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, R"({"path":"a","action":"save"})");
    EXPECT_EQ(p.logger.stats().recorded, 0u);
    EXPECT_TRUE(p.reported().empty());  // no bridge at all: nobody listens, nothing to say
    je::native_bridge again{p.logger};  // a detached bridge no longer counts
    je::native_bridge moved = std::move(again);
    EXPECT_FALSE(again.attached());
    EXPECT_TRUE(moved.attached());
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, R"({"path":"a","action":"save"})");
    EXPECT_EQ(p.logger.stats().recorded, 1u);
}

TEST_F(native_test, a_logger_destroyed_first_detaches_its_bridge) {
    auto logger = std::make_unique<je::event_logger>(file_logger(out));
    logger->register_schema_text(file_save_schema);
    je::native_bridge bridge{*logger};
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, R"({"path":"a","action":"save"})");
    EXPECT_EQ(logger->stats().recorded, 1u);
    logger.reset();
    EXPECT_FALSE(bridge.attached());
    capture_sink app_sink;  // the record opens (for this sink) and finds no bridge
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, R"({"path":"b","action":"save"})");
    EXPECT_EQ(lines(read(out)).size(), 1u);
}

TEST_F(native_test, detaching_and_attaching_while_threads_log_never_duplicates) {
    plugin p{file_logger(out)};
    std::atomic<bool> stop{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < 3; ++t) {
        pool.emplace_back([&, t] {
            for (int n = 0; !stop.load() || n < 500; ++n)
                BOOST_LOG_SEV(events, logging::trivial::info) << je::event(
                    file_save, 1, R"({"path":")" + std::to_string(t) + "-" + std::to_string(n) + R"(","action":"save"})");
        });
    }
    for (int i = 0; i < 50; ++i) {
        p.bridge.detach();
        std::this_thread::yield();
        p.bridge = je::native_bridge{p.logger};
    }
    stop = true;
    for (auto& th : pool) th.join();
    p.logger.flush();
    const auto written = lines(read(out));
    EXPECT_EQ(written.size(), p.logger.stats().recorded);
    EXPECT_EQ(std::set<std::string>(written.begin(), written.end()).size(), written.size());
    EXPECT_GT(written.size(), 0u);
    EXPECT_TRUE(p.reported().empty());
}

TEST_F(native_test, records_the_core_filter_rejects_never_reach_the_bridge) {
    logging::core::get()->set_filter(expr::attr<severity>("Severity") >= logging::trivial::warning);
    plugin p{file_logger(out)};
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, R"({"path":"a","action":"save"})");
    BOOST_LOG_SEV(events, logging::trivial::error) << je::event(file_save, 1, R"({"path":"b","action":"save"})");
    EXPECT_EQ(p.logger.stats().recorded, 1u);
}

// --- settings files: %EventJson% and schema filters -----------------------------------

TEST_F(native_test, event_json_formatter_writes_events_as_is_and_wraps_other_messages) {
    je::register_log_factories();
    capture_sink sink;
    sink.sink->set_formatter(logging::parse_formatter("%EventJson%"));
    plugin p{file_logger(out)};
    app_logger app{logging::keywords::channel = "app"};
    BOOST_LOG_SEV(app, logging::trivial::info) << "say \"hi\"\tnow";
    BOOST_LOG_SEV(app, logging::trivial::info) << "bad \xff byte";
    p.logger.record_event(file_save, 1, {{"path", "a"}, {"action", "save"}}, stamp);
    const std::string line = envelope(file_save) + "\"path\":\"a\",\"action\":\"save\"}";
    EXPECT_EQ(sink.text(), "{\"message\":\"say \\\"hi\\\"\\tnow\"}\n"
                           "{\"message\":\"bad \xEF\xBF\xBD byte\"}\n" + line + "\n");
    EXPECT_THROW(logging::parse_formatter("%EventJson(x=1)%"), je::error);
}

TEST_F(native_test, event_json_works_in_a_handler_format_without_registering_anything) {
    auto cfg = file_logger(out);
    cfg.handlers[0].settings["Format"] = {"%EventSchemaVersion% %EventJson%", ""};
    plugin p{cfg};
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, R"({"path":"a","action":"save"})", stamp);
    p.logger.flush();
    EXPECT_EQ(read(out), "1 " + envelope(file_save) + "\"path\":\"a\",\"action\":\"save\"}\n");
}

TEST_F(native_test, settings_file_sinks_filter_on_schema_and_format_event_json) {
    je::register_log_factories();
    const fs::path audit = dir.path / "audit.jsonl";
    std::istringstream settings("[Sinks.Audit]\n"
                                "Destination=TextFile\n"
                                "FileName=\"" + audit.string() + "\"\n"
                                "AutoFlush=true\n"
                                "Filter=\"%EventSchema% = \\\"https://example.org/file-save\\\"\"\n"
                                "Format=\"%EventJson%\"\n"
                                "[Sinks.Events]\n"
                                "Destination=TextFile\n"
                                "FileName=\"" + (dir.path / "all.jsonl").string() + "\"\n"
                                "AutoFlush=true\n"
                                "Filter=\"%Channel% = jupyter_events and %EventSchema%\"\n"
                                "Format=\"%Message%\"\n");
    logging::init_from_stream(settings);
    plugin p{file_logger(out)};
    app_logger app{logging::keywords::channel = "app"};
    BOOST_LOG_SEV(app, logging::trivial::info) << "an app line";
    p.logger.record_event(login, 1, {{"user", "u"}}, stamp);
    BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, R"({"path":"n","action":"save"})", stamp);
    p.logger.record_event(file_save, 1, {{"path", "d"}, {"action", "save"}}, stamp);
    logging::core::get()->flush();
    const std::string native = envelope(file_save) + "\"path\":\"n\",\"action\":\"save\"}\n";
    const std::string direct = envelope(file_save) + "\"path\":\"d\",\"action\":\"save\"}\n";
    EXPECT_EQ(read(audit), native + direct);
    EXPECT_EQ(read(dir.path / "all.jsonl"), envelope(login) + "\"user\":null}\n" + native + direct);
}

// --- the application's setup is left as it was ----------------------------------------

// Everything an application's setup decides, observed from outside: which records open,
// what its sinks write, the core's global state.
struct app_setup_probe {
    std::string lines;
    std::vector<bool> opened;
    std::vector<std::string> global_attributes;
    bool logging_enabled = false;
    long sink_refs = 0;
    std::vector<bool> parsed_severity_filter;

    bool operator==(const app_setup_probe& o) const {
        return lines == o.lines && opened == o.opened && global_attributes == o.global_attributes &&
               logging_enabled == o.logging_enabled && sink_refs == o.sink_refs &&
               parsed_severity_filter == o.parsed_severity_filter;
    }
};

TEST_F(native_test, application_setup_is_unchanged_after_the_plugin_is_added_and_removed) {
    // The application: a severity filter factory, a core filter, a global attribute, its
    // own sink (events kept out, as documented) with its own formatter.
    logging::register_simple_filter_factory<severity, char>("Severity");
    auto core = logging::core::get();
    core->set_filter(expr::attr<severity>("Severity") >= logging::trivial::info);
    core->add_global_attribute("Host", attrs::constant<std::string>("box"));
    capture_sink app_sink;
    app_sink.sink->set_filter(!je::is_event_record);
    app_sink.sink->set_formatter([](const logging::record_view& rec, logging::formatting_ostream& strm) {
        strm << "[" << logging::extract<severity>("Severity", rec) << "] "
             << logging::extract<std::string>("Channel", rec) << ": " << logging::extract<std::string>("Message", rec);
    });
    app_logger app{logging::keywords::channel = "app"};

    auto probe = [&] {
        app_setup_probe p;
        const std::size_t before = app_sink.text().size();
        for (auto level : {logging::trivial::debug, logging::trivial::info, logging::trivial::error}) {
            BOOST_LOG_SEV(app, level) << "line at " << level;
            BOOST_LOG_SEV(events, level) << "event-channel line at " << level;
        }
        p.lines = app_sink.text().substr(before);
        // Which records open: the core filter and every attached sink's filter decide.
        for (const char* channel : {"app", "jupyter_events"}) {
            for (auto level : {logging::trivial::debug, logging::trivial::warning}) {
                logging::attribute_set set;
                set.insert("Channel", attrs::constant<std::string>(channel));
                set.insert("Severity", attrs::constant<severity>(level));
                set.insert("EventLoggerId", attrs::constant<unsigned>(1));
                set.insert("EventLoggerGeneration", attrs::constant<unsigned>(1));
                set.insert("EventSchema", attrs::constant<std::string>(file_save));
                p.opened.push_back(static_cast<bool>(core->open_record(set)));
            }
        }
        for (const auto& kv : core->get_global_attributes()) p.global_attributes.push_back(kv.first.string());
        p.logging_enabled = core->get_logging_enabled();
        p.sink_refs = app_sink.sink.use_count();  // still attached exactly once
        auto parsed = logging::parse_filter("%Severity% >= warning");
        for (auto level : {logging::trivial::info, logging::trivial::error}) {
            logging::attribute_set set;
            set.insert("Severity", attrs::constant<severity>(level));
            p.parsed_severity_filter.push_back(parsed(logging::attribute_value_set(set, {}, {})));
        }
        return p;
    };

    const app_setup_probe before = probe();
    EXPECT_THAT(before.lines, HasSubstr("[info] app: line at info\n"));
    EXPECT_THAT(before.lines, ::testing::Not(HasSubstr("debug")));
    unsigned plugin_id = 0;
    {
        je::register_log_factories();
        auto cfg = file_logger(out);
        je::handler_config console;
        console.name = "console";
        console.destination = "Console";
        console.schemas = {login};
        cfg.handlers.push_back(console);
        plugin p{cfg};
        plugin_id = p.logger.id();
        {  // the probe below means something: while attached, the plugin's sinks take these
            logging::attribute_set mine;
            mine.insert("EventLoggerId", attrs::constant<unsigned>(plugin_id));
            mine.insert("EventLoggerGeneration", attrs::constant<unsigned>(1u));
            mine.insert("Severity", attrs::constant<severity>(logging::trivial::info));  // the core filter's
            mine.insert("EventSchema", attrs::constant<std::string>(file_save));
            EXPECT_TRUE(core->open_record(mine));
        }
        BOOST_LOG_SEV(events, logging::trivial::info) << je::event(file_save, 1, R"({"path":"a","action":"save"})");
        p.logger.record_event(file_save, 1, {{"path", "b"}, {"action", "save"}});
        p.logger.reload(cfg);
        p.logger.record_event(file_save, 1, {{"path", "c"}, {"action", "save"}});
        EXPECT_EQ(p.logger.stats().recorded, 3u);
    }
    const app_setup_probe after = probe();
    EXPECT_EQ(after.lines, before.lines);
    EXPECT_EQ(after.opened, before.opened);
    EXPECT_EQ(after.global_attributes, before.global_attributes);
    EXPECT_EQ(after.logging_enabled, before.logging_enabled);
    EXPECT_EQ(after.sink_refs, before.sink_refs);
    EXPECT_EQ(after.parsed_severity_filter, before.parsed_severity_filter);
    EXPECT_TRUE(after == before);
    EXPECT_EQ(lines(read(out)).size(), 3u);
    // None of the plugin's sinks is left: its own records open nowhere now.
    logging::attribute_set mine;
    mine.insert("Channel", attrs::constant<std::string>("jupyter_events"));
    mine.insert("Severity", attrs::constant<severity>(logging::trivial::info));
    mine.insert("EventLoggerId", attrs::constant<unsigned>(plugin_id));
    mine.insert("EventSchema", attrs::constant<std::string>(file_save));
    for (unsigned generation = 0; generation < 4; ++generation) {
        mine.insert("EventLoggerGeneration", attrs::constant<unsigned>(generation));
        EXPECT_FALSE(core->open_record(mine)) << generation;
        mine.erase(mine.find("EventLoggerGeneration"));
    }
    core->remove_global_attribute(core->get_global_attributes().find("Host"));
}

}  // namespace
