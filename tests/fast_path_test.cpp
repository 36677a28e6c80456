// The fast paths of record_event allocate nothing: a schema that is not allowed, and an
// allowed schema no handler or listener wants, are dropped after a lookup (issue 8). This
// binary replaces the global operator new to count allocations, so it stands alone.
// GCC 12 inlines the replaced operators into library templates and then misreads the
// malloc/free pairs (-Wmismatched-new-delete): off for this file, before any header.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#include <jupyter_events/event_logger.hpp>

#include "handler_support.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
    ++allocations;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

namespace je = jupyter_events;
namespace json = boost::json;
using namespace je_test;

const char* const schema_a = R"({"$id": "https://example.org/a", "version": 1, "type": "object",
  "properties": {"n": {"type": "integer"}}})";
const char* const schema_b = R"({"$id": "https://example.org/b", "version": 1, "type": "object",
  "properties": {"n": {"type": "integer"}}})";

class fast_path_test : public boost_log_fixture {};

// Allocations made by `n` calls of try_record_event for (`id`, "1").
long allocations_of(je::event_logger& logger, const char* id, const json::value& event, int n) {
    const long before = allocations.load();
    for (int i = 0; i < n; ++i) {
        const je::record_outcome out = logger.try_record_event(id, "1", event);
        if (!out) ADD_FAILURE() << out.message;
    }
    return allocations.load() - before;
}

TEST_F(fast_path_test, not_allowed_and_unwanted_schemas_allocate_nothing) {
    temp_dir dir;
    // "a" is allowed but its only handler takes "b" alone; "b" is not allowed.
    je::handler_config h = handler("events", "TextFile", {{"FileName", (dir.path / "e.jsonl").string()}});
    h.schemas = {"https://example.org/b"};
    je::event_logger logger{logger_with({h}, {"https://example.org/a"})};
    logger.register_schema_text(schema_a);
    logger.register_schema_text(schema_b);
    const json::value event = {{"n", 1}};
    allocations_of(logger, "https://example.org/a", event, 1);  // first calls may set up caches
    allocations_of(logger, "https://example.org/b", event, 1);

    EXPECT_EQ(allocations_of(logger, "https://example.org/b", event, 1000), 0) << "not allowed";
    EXPECT_EQ(allocations_of(logger, "https://example.org/a", event, 1000), 0) << "no handler wants it";
    const je::logger_stats s = logger.stats();
    EXPECT_EQ(s.dropped_not_allowed, 1001u);
    EXPECT_EQ(s.dropped_no_handler, 1001u);
    EXPECT_EQ(s.recorded, 0u);
    // The counter sees allocations at all: a recorded event makes some.
    logger.add_listener("", [](std::string_view, const json::object&) {});
    EXPECT_GT(allocations_of(logger, "https://example.org/a", event, 10), 0);
}

}  // namespace
