// Inputs the fuzz targets (tests/fuzz) found crashing, as ordinary tests: each replays the
// input through the public or detail API and states what must happen instead. The raw
// input is kept in tests/fuzz/corpus/<target>/regression-*; the ASan + UBSan flavour of
// .ci/test is what catches a relapse of the undefined-behaviour ones.
#include <jupyter_events/event_logger.hpp>

#include "detail/validator.hpp"
#include "test_support.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace je = jupyter_events;
namespace json = boost::json;
using namespace je_test;

namespace {

// fuzz_record, regression-nan-vs-integer.bin: {"count": 0e40039} parses as NaN with
// Boost.JSON 1.81, and comparing NaN with an integer bound cast it to int64 (undefined).
TEST(fuzz_regression, nan_compared_with_integer_bounds_is_defined) {
    const auto schema = je::detail::compiled_schema::compile(
        json::parse(R"({"properties": {"n": {"minimum": 0, "maximum": 18446744073709551615,
                        "exclusiveMaximum": -3, "multipleOf": 3, "enum": [1, 2.5], "const": 7}}})"),
        "", {});
    for (const double d : {std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
        json::value event = {{"n", d}};
        std::vector<je::validation_issue> issues;
        const bool valid = schema.validate(event, issues);
        EXPECT_EQ(valid, schema.is_valid(event)) << d;
        EXPECT_FALSE(valid) << d;  // not 7, whatever else
    }
}

TEST(fuzz_regression, nan_is_not_recorded) {
    const capture_sink capture;
    je::logger_config cfg;
    cfg.allowed_schemas = {{"*", std::nullopt, {}}};
    je::event_logger logger{cfg};
    logger.register_schema_text(R"($id: https://example.org/count
version: "1"
properties:
  count: {type: integer, minimum: 0, exclusiveMaximum: 1000000}
  ratio: {type: number, maximum: 1}
)");
    logger.add_listener("", [](std::string_view, const json::object&) {}, je::listen::modified);
    for (const char* key : {"count", "ratio"}) {
        const je::record_outcome out = logger.try_record_event(
            "https://example.org/count", "1", json::object{{key, std::numeric_limits<double>::quiet_NaN()}});
        EXPECT_TRUE(out.code == je::errc::validation_error || out.code == je::errc::invalid_event)
            << key << ": " << out.message;
        EXPECT_FALSE(out.written) << key;
    }
    logger.flush();
    EXPECT_EQ(capture.text(), "");
}

}  // namespace
