#include "detail/json_writer.hpp"
#include "detail/timestamp.hpp"
#include "detail/versions.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>

namespace je = jupyter_events;
namespace d = jupyter_events::detail;
namespace json = boost::json;

namespace {

std::string write(const json::value& v, je::json_style style = je::json_style::compact) {
    std::string out, bad;
    EXPECT_TRUE(d::write_json(out, v, style, bad));
    return out;
}

TEST(json_writer, compact_and_python_styles) {
    const auto v = json::parse(R"({"a": [1, -2, 1.5, true, null], "b": "é \u2603 \ud83d\ude00", "c": {}})");
    EXPECT_EQ(write(v), "{\"a\":[1,-2,1.5,true,null],\"b\":\"é ☃ 😀\",\"c\":{}}");
    EXPECT_EQ(write(v, je::json_style::python),
              R"({"a": [1, -2, 1.5, true, null], "b": "\u00e9 \u2603 \ud83d\ude00", "c": {}})");
}

TEST(json_writer, escapes_like_python) {
    EXPECT_EQ(write(json::string("q\"b\\n\n\t\r\b\f\x01\x7f")), "\"q\\\"b\\\\n\\n\\t\\r\\b\\f\\u0001\x7f\"");
    EXPECT_EQ(write(json::string("\x7f"), je::json_style::python), "\"\\u007f\"");
}

// Every ASCII byte, at every position of strings long enough for the word-at-a-time scan
// (8 bytes) and its byte-at-a-time tail, is escaped as on its own; so is a multi-byte
// UTF-8 character straddling a word boundary.
TEST(json_writer, escapes_every_byte_at_every_position) {
    auto escaped = [](unsigned char c, bool python) -> std::string {
        switch (c) {
            case '"': return "\\\"";
            case '\\': return "\\\\";
            case '\n': return "\\n";
            case '\r': return "\\r";
            case '\t': return "\\t";
            case '\b': return "\\b";
            case '\f': return "\\f";
            default: break;
        }
        if (c < 0x20 || (c == 0x7F && python)) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            return buf;
        }
        return std::string(1, static_cast<char>(c));
    };
    for (const auto style : {je::json_style::compact, je::json_style::python}) {
        const bool python = style == je::json_style::python;
        for (std::size_t length : {7u, 8u, 9u, 16u, 23u}) {
            for (std::size_t pos = 0; pos < length; ++pos) {
                for (int c = 0; c < 0x80; ++c) {
                    std::string text(length, 'a');
                    text[pos] = static_cast<char>(c);
                    const std::string expected = "\"" + std::string(pos, 'a') + escaped(static_cast<unsigned char>(c), python) +
                                                 std::string(length - pos - 1, 'a') + "\"";
                    ASSERT_EQ(write(json::string(text), style), expected) << "byte " << c << " at " << pos << " of " << length;
                }
            }
        }
        const std::string straddling = std::string(6, 'a') + "\xc3\xa9" + std::string(6, 'b');  // é at bytes 6-7
        EXPECT_EQ(write(json::string(straddling), style),
                  python ? "\"aaaaaa\\u00e9bbbbbb\"" : "\"" + straddling + "\"");
        const std::string cut = std::string(7, 'a') + "\xc3" + std::string(8, 'b');  // a lead byte without its tail
        std::string out, bad;
        EXPECT_FALSE(d::write_json(out, json::string(cut), style, bad));
    }
}

TEST(json_writer, floats_like_python_repr) {
    std::string out;
    auto repr = [&](double x) {
        out.clear();
        d::append_python_float(out, x);
        return out;
    };
    EXPECT_EQ(repr(1.0), "1.0");
    EXPECT_EQ(repr(-0.0), "-0.0");
    EXPECT_EQ(repr(0.1), "0.1");
    EXPECT_EQ(repr(1e16), "1e+16");
    EXPECT_EQ(repr(1234567890123456.0), "1234567890123456.0");
    EXPECT_EQ(repr(0.0001), "0.0001");
    EXPECT_EQ(repr(0.00001), "1e-05");
    EXPECT_EQ(repr(1.5e300), "1.5e+300");
    EXPECT_EQ(repr(123.456), "123.456");
    EXPECT_EQ(repr(5e-324), "5e-324");
}

TEST(json_writer, rejects_invalid_utf8_and_non_finite_with_pointer) {
    std::string out, bad;
    json::value v = {{"ok", 1}, {"deep", {{"list", json::array{1, std::numeric_limits<double>::quiet_NaN()}}}}};
    EXPECT_FALSE(d::write_json(out, v, je::json_style::compact, bad));
    EXPECT_EQ(bad, "/deep/list/1");
    for (const char* s : {"\xff", "\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80"}) {
        out.clear();
        json::value w = {{"a/b", s}};
        EXPECT_FALSE(d::write_json(out, w, je::json_style::compact, bad)) << s;
        EXPECT_EQ(bad, "/a~1b");
    }
}

TEST(timestamp, parses_and_writes_both_formats) {
    auto fmt = [](const char* in, je::timestamp_format f) {
        auto t = d::parse_timestamp(in);
        EXPECT_TRUE(t) << in;
        std::string out;
        if (t) d::append_timestamp(out, *t, f);
        return out;
    };
    using tf = je::timestamp_format;
    EXPECT_EQ(fmt("2026-11-23T11:17:47.123456Z", tf::rfc3339), "2026-11-23T11:17:47.123456Z");
    EXPECT_EQ(fmt("2026-11-23T11:17:47.123456789Z", tf::rfc3339), "2026-11-23T11:17:47.123456Z");
    EXPECT_EQ(fmt("2026-01-01T00:30:00+06:00", tf::rfc3339), "2025-12-31T18:30:00.000000Z");
    EXPECT_EQ(fmt("2026-01-01T00:30:00+06:00", tf::jupyter), "2026-01-01T00:30:00+06:00Z");
    EXPECT_EQ(fmt("2026-01-01T00:30:00.5+06:00Z", tf::jupyter), "2026-01-01T00:30:00.500000+06:00Z");
    EXPECT_EQ(fmt("2026-01-01T00:30:00", tf::jupyter), "2026-01-01T00:30:00Z");
    EXPECT_EQ(fmt("2026-01-01T00:30:00Z", tf::jupyter), "2026-01-01T00:30:00+00:00Z");
    EXPECT_EQ(fmt("2024-02-29T23:59:59-00:30", tf::rfc3339), "2024-03-01T00:29:59.000000Z");
    for (const char* bad : {"", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-01-01", "2026-01-01T25:00:00Z",
                            "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+0600", "2026-01-01T00:00:00Zjunk",
                            "2026-01-01T00:00:00.1234567890Z"})
        EXPECT_FALSE(d::parse_timestamp(bad)) << bad;
}

TEST(timestamp, now_is_rfc3339_with_microseconds) {
    std::string out;
    d::append_timestamp(out, d::now(), je::timestamp_format::rfc3339);
    ASSERT_EQ(out.size(), 27u);
    EXPECT_EQ(out[10], 'T');
    EXPECT_EQ(out.back(), 'Z');
}

TEST(versions, ordering) {
    EXPECT_LT(d::compare_versions("2", "10"), 0);
    EXPECT_LT(d::compare_versions("1.2", "1.10"), 0);
    EXPECT_LT(d::compare_versions("1-0-2", "1-1-0"), 0);
    EXPECT_LT(d::compare_versions("1.2", "1.2.1"), 0);
    EXPECT_GT(d::compare_versions("beta", "alpha"), 0);
    EXPECT_EQ(d::compare_versions("1.0", "1.0"), 0);
    EXPECT_LT(d::compare_versions("99999999999999999999", "100000000000000000000"), 0);
    EXPECT_EQ(d::version_string(json::value(1)), "1");
    EXPECT_EQ(d::version_string(json::value("1.0")), "1.0");
    EXPECT_FALSE(d::version_string(json::value(1.0)));
}

}  // namespace
