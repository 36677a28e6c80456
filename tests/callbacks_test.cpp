// Modifiers and listeners (jupyter_events' add_modifier / add_listener).
#include <jupyter_events/event_logger.hpp>

#include "test_support.hpp"

#include <gmock/gmock.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace je = jupyter_events;
namespace json = boost::json;
using namespace je_test;
using ::testing::HasSubstr;

namespace {

const char* const login_schema = R"({"$id": "https://example.org/login", "version": "1", "type": "object",
  "properties": {"user": {"type": "string"}, "status": {"enum": ["success", "failure"]}},
  "required": ["user", "status"]})";

class callbacks_test : public boost_log_fixture {
protected:
    temp_dir dir;
    fs::path out = dir.path / "events.jsonl";
    std::mutex mutex;
    std::vector<std::string> errors;

    je::logger_config config(bool with_handler = true, unsigned threads = 1) {
        je::logger_config cfg;
        cfg.allowed_schemas.push_back({"*", std::nullopt, {}});
        cfg.listener_threads = threads;
        if (with_handler) {
            je::handler_config h;
            h.name = "events";
            h.settings["FileName"] = {out.string(), ""};
            cfg.handlers.push_back(h);
        }
        return cfg;
    }
    void capture_errors(je::event_logger& logger) {
        logger.set_error_handler([this](std::string_view m) {
            std::lock_guard lock(mutex);
            errors.emplace_back(m);
        });
    }
};

TEST_F(callbacks_test, modifiers_run_in_order_on_a_copy) {
    je::event_logger logger{config()};
    logger.register_schema_text(login_schema);
    logger.add_modifier("https://example.org/login", [](std::string_view, json::object& e) { e["user"] = "anon"; });
    logger.add_modifier("", [](std::string_view id, json::object& e) {
        e["user"] = std::string(e["user"].as_string()) + "@" + std::string(id.substr(8, 11));
    });
    logger.add_modifier("https://example.org/other", [](std::string_view, json::object&) { throw std::runtime_error("not me"); });
    const json::value event = {{"user", "alice"}, {"status", "success"}};
    logger.record_event("https://example.org/login", "1", event);
    logger.flush();
    EXPECT_EQ(event.at("user"), json::value("alice"));
    EXPECT_THAT(read(out), HasSubstr("\"user\":\"anon@example.org\",\"status\":\"success\""));
}

TEST_F(callbacks_test, modified_event_is_validated_and_a_throwing_modifier_writes_nothing) {
    je::event_logger logger{config()};
    logger.register_schema_text(login_schema);
    const auto id = logger.add_modifier("", [](std::string_view, json::object& e) { e["status"] = "maybe"; });
    auto outcome = logger.try_record_event("https://example.org/login", "1", {{"user", "a"}, {"status", "success"}});
    EXPECT_EQ(outcome.code, je::errc::validation_error);
    EXPECT_THAT(outcome.message, HasSubstr("after modifiers: /status: \"maybe\" is not one of"));
    EXPECT_TRUE(logger.remove_modifier(id));
    EXPECT_FALSE(logger.remove_modifier(id));
    logger.add_modifier("", [](std::string_view, json::object&) { throw std::runtime_error("boom"); });
    try {
        logger.record_event("https://example.org/login", "1", {{"user", "a"}, {"status", "success"}});
        FAIL();
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::modifier_failed);
        EXPECT_THAT(e.what(), HasSubstr("a modifier failed (boom)"));
    }
    logger.flush();
    EXPECT_EQ(read(out), "");
    EXPECT_EQ(logger.stats().modifier_failures, 1u);
}

TEST_F(callbacks_test, listeners_see_modified_and_unmodified_events_off_the_recording_thread) {
    je::event_logger logger{config()};
    logger.register_schema_text(login_schema);
    logger.add_modifier("", [](std::string_view, json::object& e) { e["user"] = "anon"; });
    std::vector<std::string> seen;
    std::thread::id listener_thread;
    logger.add_listener("https://example.org/login", [&](std::string_view id, const json::object& e) {
        std::lock_guard lock(mutex);
        listener_thread = std::this_thread::get_id();
        seen.push_back("modified " + std::string(id) + " " + std::string(e.at("user").as_string()));
    });
    logger.add_listener("", [&](std::string_view, const json::object& e) {
        std::lock_guard lock(mutex);
        seen.push_back("unmodified " + std::string(e.at("user").as_string()));
    }, je::listen::unmodified);
    logger.record_event("https://example.org/login", "1", {{"user", "alice"}, {"status", "success"}});
    logger.flush();
    std::lock_guard lock(mutex);
    EXPECT_THAT(seen, ::testing::UnorderedElementsAre("modified https://example.org/login anon", "unmodified alice"));
    EXPECT_NE(listener_thread, std::this_thread::get_id());
}

TEST_F(callbacks_test, unmodified_listener_requires_a_valid_raw_event) {
    je::event_logger logger{config()};
    logger.register_schema_text(login_schema);
    logger.add_modifier("", [](std::string_view, json::object& e) { e["status"] = "success"; });
    EXPECT_TRUE(logger.try_record_event("https://example.org/login", "1", {{"user", "a"}, {"status", "?"}}));
    logger.add_listener("", [](std::string_view, const json::object&) {}, je::listen::unmodified);
    auto outcome = logger.try_record_event("https://example.org/login", "1", {{"user", "a"}, {"status", "?"}});
    EXPECT_EQ(outcome.code, je::errc::validation_error);
    EXPECT_THAT(outcome.message, HasSubstr("unmodified event: /status"));
}

TEST_F(callbacks_test, a_throwing_listener_is_reported_once_and_harms_nothing) {
    je::event_logger logger{config()};
    capture_errors(logger);
    logger.register_schema_text(login_schema);
    int calls = 0;
    logger.add_listener("", [](std::string_view, const json::object&) { throw std::runtime_error("bad\nlistener"); },
                        je::listen::modified, "audit-forwarder");
    logger.add_listener("", [&](std::string_view, const json::object&) { ++calls; });
    for (int i = 0; i < 3; ++i) logger.record_event("https://example.org/login", "1", {{"user", "a"}, {"status", "success"}});
    logger.flush();
    EXPECT_EQ(calls, 3);
    EXPECT_EQ(lines(read(out)).size(), 3u);
    EXPECT_EQ(logger.stats().listener_failures, 3u);
    std::lock_guard lock(mutex);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_THAT(errors[0], HasSubstr("audit-forwarder failed for schema https://example.org/login (bad listener)"));
    EXPECT_EQ(errors[0].find('\n'), std::string::npos);
}

TEST_F(callbacks_test, a_listener_alone_turns_off_the_fast_path_and_may_come_before_its_schema) {
    je::event_logger logger{config(false)};
    int calls = 0;
    logger.add_listener("https://example.org/login", [&](std::string_view, const json::object&) { ++calls; });
    logger.register_schema_text(login_schema);  // registered after the listener
    testing::internal::CaptureStdout();
    logger.record_event("https://example.org/login", "1", {{"user", "a"}, {"status", "success"}});
    logger.flush();
    EXPECT_EQ(testing::internal::GetCapturedStdout(), "");  // nothing reached Boost.Log's default sink
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(logger.stats().dropped_no_handler, 0u);
}

TEST_F(callbacks_test, inline_listeners_run_on_the_recording_thread) {
    je::event_logger logger{config(true, 0)};
    logger.register_schema_text(login_schema);
    std::thread::id where;
    logger.add_listener("", [&](std::string_view, const json::object&) { where = std::this_thread::get_id(); });
    logger.record_event("https://example.org/login", "1", {{"user", "a"}, {"status", "success"}});
    EXPECT_EQ(where, std::this_thread::get_id());
}

TEST_F(callbacks_test, a_full_listener_queue_drops_and_counts) {
    auto cfg = config();
    cfg.listener_queue_limit = 1;
    je::event_logger logger{cfg};
    capture_errors(logger);
    logger.register_schema_text(login_schema);
    std::mutex gate;
    std::unique_lock hold(gate);
    logger.add_listener("", [&](std::string_view, const json::object&) { std::lock_guard wait(gate); });
    // The first call blocks the worker, the second waits in the queue, the rest are dropped.
    for (int i = 0; i < 5; ++i) logger.record_event("https://example.org/login", "1", {{"user", "a"}, {"status", "success"}});
    hold.unlock();
    logger.flush();
    EXPECT_GE(logger.stats().listener_dropped, 2u);
    EXPECT_LE(logger.stats().listener_dropped, 4u);
    EXPECT_EQ(lines(read(out)).size(), 5u);  // the events themselves were all written
    std::lock_guard lock(mutex);
    ASSERT_FALSE(errors.empty());
    EXPECT_THAT(errors[0], HasSubstr("listeners: queue full"));
}

TEST_F(callbacks_test, remove_listener_stops_calls) {
    je::event_logger logger{config()};
    logger.register_schema_text(login_schema);
    int calls = 0;
    auto id = logger.add_listener("", [&](std::string_view, const json::object&) { ++calls; });
    logger.record_event("https://example.org/login", "1", {{"user", "a"}, {"status", "success"}});
    logger.flush();
    EXPECT_TRUE(logger.remove_listener(id));
    logger.record_event("https://example.org/login", "1", {{"user", "a"}, {"status", "success"}});
    logger.flush();
    EXPECT_EQ(calls, 1);
}

}  // namespace
