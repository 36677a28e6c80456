// reload() and reopen(): swapping configurations while threads record, all or nothing.
#include <jupyter_events/event_logger.hpp>

#include "test_support.hpp"

#include <boost/json/parse.hpp>

#include <gmock/gmock.h>

#include <atomic>
#include <set>
#include <thread>

namespace je = jupyter_events;
namespace json = boost::json;
using namespace je_test;

namespace {

const char* const schema = R"({"$id": "https://example.org/r", "version": "1", "type": "object",
  "properties": {"thread": {"type": "integer"}, "seq": {"type": "integer"}}})";

je::logger_config to_file(const fs::path& file, std::vector<std::string> allowed = {"*"}) {
    je::logger_config cfg;
    for (auto& id : allowed) cfg.allowed_schemas.push_back({id, std::nullopt, {}});
    je::handler_config h;
    h.name = "events";
    h.settings["FileName"] = {file.string(), ""};
    cfg.handlers.push_back(h);
    return cfg;
}

class reload_test : public boost_log_fixture {
protected:
    temp_dir dir;
};

TEST_F(reload_test, reloading_while_threads_record_loses_and_duplicates_nothing) {
    const fs::path a = dir.path / "a.jsonl", b = dir.path / "b.jsonl";
    je::event_logger logger{to_file(a)};
    logger.register_schema_text(schema);
    constexpr int threads = 4, per_thread = 3000;
    std::atomic<int> done{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) logger.record_event("https://example.org/r", "1", {{"thread", t}, {"seq", i}});
            ++done;
        });
    int reloads = 0;
    while (done.load() < threads) {
        logger.reload(to_file(reloads % 2 ? a : b));
        ++reloads;
    }
    for (auto& th : pool) th.join();
    logger.flush();
    std::set<std::pair<std::int64_t, std::int64_t>> seen;
    std::size_t total = 0;
    for (const auto& file : {a, b}) {
        for (const auto& line : lines(read(file))) {
            const auto v = json::parse(line).as_object();
            EXPECT_TRUE(seen.emplace(v.at("thread").as_int64(), v.at("seq").as_int64()).second) << "twice: " << line;
            ++total;
        }
    }
    EXPECT_EQ(total, static_cast<std::size_t>(threads * per_thread)) << "after " << reloads << " reloads";
    EXPECT_GT(reloads, 0);
}

TEST_F(reload_test, a_failing_configuration_changes_nothing) {
    const fs::path a = dir.path / "a.jsonl";
    je::event_logger logger{to_file(a, {"https://example.org/r"})};
    logger.register_schema_text(schema);
    auto bad = to_file(dir.path / "b.jsonl", {});
    bad.handlers[0].settings["RotationSize"] = {"12", "bad.yaml:4:7"};
    EXPECT_THROW(logger.reload(bad), je::error);
    logger.record_event("https://example.org/r", "1", {{"seq", 1}});
    logger.flush();
    EXPECT_EQ(lines(read(a)).size(), 1u);
    EXPECT_FALSE(fs::exists(dir.path / "b.jsonl"));
}

TEST_F(reload_test, reload_changes_what_is_allowed_and_where_it_goes) {
    const fs::path a = dir.path / "a.jsonl", b = dir.path / "b.jsonl";
    je::event_logger logger{to_file(a, {})};
    logger.register_schema_text(schema);
    EXPECT_EQ(logger.try_record_event("https://example.org/r", "1", {{"seq", 1}}).code, je::errc::not_allowed);
    logger.reload(to_file(b, {"https://example.org/r"}));
    EXPECT_TRUE(logger.is_allowed("https://example.org/r"));
    logger.record_event("https://example.org/r", "1", {{"seq", 2}});
    logger.flush();
    EXPECT_FALSE(fs::exists(a));
    EXPECT_EQ(lines(read(b)).size(), 1u);
    ASSERT_EQ(logger.handlers().size(), 1u);
    EXPECT_EQ(logger.handlers()[0].name, "events");
}

TEST_F(reload_test, reopen_follows_logrotate) {
    const fs::path file = dir.path / "events.jsonl";
    je::event_logger logger{to_file(file)};
    logger.register_schema_text(schema);
    for (int i = 0; i < 3; ++i) logger.record_event("https://example.org/r", "1", {{"seq", i}});
    fs::rename(file, dir.path / "events.jsonl.1");  // what logrotate does
    logger.record_event("https://example.org/r", "1", {{"seq", 3}});  // still the old file
    logger.reopen();                                                   // postrotate
    for (int i = 4; i < 6; ++i) logger.record_event("https://example.org/r", "1", {{"seq", i}});
    logger.flush();
    EXPECT_EQ(lines(read(dir.path / "events.jsonl.1")).size(), 4u);
    EXPECT_EQ(lines(read(file)).size(), 2u);
}

}  // namespace
