#include "detail/yaml_json.hpp"

#include "detail/utf8.hpp"
#include "detail/validator.hpp"

#include <jupyter_events/error.hpp>

#include <boost/json/parser.hpp>
#include <boost/json/stream_parser.hpp>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

namespace jupyter_events::detail {
namespace {

namespace json = boost::json;

std::string located(const std::string& file, text_position pos) {
    if (pos.line == 0) return file;
    return file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

[[noreturn]] void fail(const std::string& file, text_position pos, const std::string& what) {
    throw error(errc::parse_error, located(file, pos) + ": " + what);
}

bool is_one_of(std::string_view s, std::initializer_list<std::string_view> options) {
    return std::find(options.begin(), options.end(), s) != options.end();
}

// YAML 1.2 core schema resolution of a plain scalar. yaml-cpp leaves this to the caller.
json::value plain_scalar(const std::string& s) {
    if (is_one_of(s, {"true", "True", "TRUE"})) return true;
    if (is_one_of(s, {"false", "False", "FALSE"})) return false;
    if (is_one_of(s, {"null", "Null", "NULL", "~", ""})) return nullptr;
    if (is_one_of(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}))
        return std::numeric_limits<double>::infinity();
    if (is_one_of(s, {"-.inf", "-.Inf", "-.INF"})) return -std::numeric_limits<double>::infinity();
    if (is_one_of(s, {".nan", ".NaN", ".NAN"})) return std::numeric_limits<double>::quiet_NaN();

    const char* first = s.data();
    const char* last = s.data() + s.size();
    std::string_view body = s;
    bool negative = false;
    if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
        negative = body[0] == '-';
        body.remove_prefix(1);
    }
    if (body.empty()) return json::string(s);
    auto all_of = [&](std::string_view digits, auto pred) {
        return !digits.empty() && std::all_of(digits.begin(), digits.end(), pred);
    };
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    if (all_of(body, is_digit)) {
        std::int64_t i = 0;
        auto [p, ec] = std::from_chars(first, last, i);
        if (ec == std::errc() && p == last) return i;
        if (!negative) {
            std::uint64_t u = 0;
            auto [pu, ecu] = std::from_chars(body.data(), body.data() + body.size(), u);
            if (ecu == std::errc() && pu == body.data() + body.size()) return u;
        }
        return std::strtod(s.c_str(), nullptr);  // out of 64-bit range: a double, like JSON
    }
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o')) {
        const int base = body[1] == 'x' ? 16 : 8;
        std::uint64_t u = 0;
        auto digits = body.substr(2);
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
        if (ec == std::errc() && p == digits.data() + digits.size() && !negative &&
            u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return static_cast<std::int64_t>(u);
        return json::string(s);
    }
    // [-+]? ( . [0-9]+ | [0-9]+ ( . [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    std::size_t i = 0;
    std::size_t int_digits = 0, frac_digits = 0;
    while (i < body.size() && is_digit(body[i])) ++i, ++int_digits;
    bool dot = false;
    if (i < body.size() && body[i] == '.') {
        dot = true;
        ++i;
        while (i < body.size() && is_digit(body[i])) ++i, ++frac_digits;
    }
    if (int_digits + frac_digits == 0 || (!dot && i == body.size())) return json::string(s);
    if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
        ++i;
        if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
        std::size_t exp_digits = 0;
        while (i < body.size() && is_digit(body[i])) ++i, ++exp_digits;
        if (exp_digits == 0) return json::string(s);
    }
    if (i != body.size()) return json::string(s);
    return std::strtod(s.c_str(), nullptr);
}

json::value tagged_scalar(const YAML::Node& node, const std::string& file) {
    const std::string& tag = node.Tag();
    const std::string& s = node.Scalar();
    text_position pos{node.Mark().line + 1, node.Mark().column + 1};
    if (tag == "!" || tag == "tag:yaml.org,2002:str") return json::string(s);
    if (tag == "?" || tag.empty()) return plain_scalar(s);
    json::value v = plain_scalar(s);
    if (tag == "tag:yaml.org,2002:int" && (v.is_int64() || v.is_uint64())) return v;
    if (tag == "tag:yaml.org,2002:float" && v.is_number()) return v.to_number<double>();
    if (tag == "tag:yaml.org,2002:bool" && v.is_bool()) return v;
    if (tag == "tag:yaml.org,2002:null" && v.is_null()) return v;
    fail(file, pos, "parse YAML: unsupported tag or value (" + tag + " " + s +
                        "); use plain JSON-compatible scalars");
}

class converter {
public:
    converter(located_json& out, const parse_limits& limits, bool record_positions)
        : out_(out), limits_(limits), record_(record_positions) {}

    json::value convert(const YAML::Node& node, std::string& pointer, std::size_t depth) {
        const text_position pos{node.Mark().line + 1, node.Mark().column + 1};
        if (record_) out_.positions.emplace(pointer, pos);
        if (++nodes_ > limits_.max_nodes)
            fail(out_.file, pos,
                 "parse YAML: document expands to more than " + std::to_string(limits_.max_nodes) +
                     " values (aliases?); simplify the document");
        if (depth > limits_.max_depth)
            fail(out_.file, pos,
                 "parse YAML: nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
        switch (node.Type()) {
            case YAML::NodeType::Null:
                return nullptr;
            case YAML::NodeType::Scalar:
                return tagged_scalar(node, out_.file);
            case YAML::NodeType::Sequence: {
                json::array arr;
                arr.reserve(node.size());
                const std::size_t base = pointer.size();
                for (const auto& item : node) {
                    pointer += '/';
                    pointer += std::to_string(arr.size());
                    arr.push_back(convert(item, pointer, depth + 1));
                    pointer.resize(base);
                }
                return arr;
            }
            case YAML::NodeType::Map: {
                json::object obj;
                const std::size_t base = pointer.size();
                for (const auto& kv : node) {
                    const YAML::Node& key = kv.first;
                    const text_position key_pos{key.Mark().line + 1, key.Mark().column + 1};
                    if (!key.IsScalar())
                        fail(out_.file, key_pos, "parse YAML: a mapping key must be a string");
                    const std::string& k = key.Scalar();
                    if (obj.contains(k)) {
                        duplicate_key_ = true;
                        fail(out_.file, key_pos,
                             "parse YAML: duplicate key (\"" + k + "\"); each key may appear once per mapping");
                    }
                    pointer += '/';
                    append_pointer_token(pointer, k);
                    json::value v = convert(kv.second, pointer, depth + 1);
                    // A member is located at its key: that is the line a person edits, and
                    // an empty value has no position of its own.
                    if (record_) out_.positions[pointer] = key_pos;
                    obj.emplace(k, std::move(v));
                    pointer.resize(base);
                }
                return obj;
            }
            case YAML::NodeType::Undefined:
                break;
        }
        return nullptr;
    }

    // The last failure was a duplicate key (JSON texts are read as YAML for positions).
    bool failed_on_duplicate_key() const noexcept { return duplicate_key_; }

private:
    located_json& out_;
    const parse_limits& limits_;
    bool record_;
    std::size_t nodes_ = 0;
    bool duplicate_key_ = false;
};

// Counts the values a YAML document expands to, aliases at the full size of what they
// name, from the parser's events and without building anything: a "billion laughs"
// document (a few lines of nested aliases) fails here at once, where converting it would
// first have to walk max_nodes values. Map keys are not counted, as in the converter.
class expansion_counter : public YAML::EventHandler {
public:
    expansion_counter(const std::string& file, const parse_limits& limits) : file_(file), limits_(limits) {}

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string&) override {
        leaf(mark, anchor);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        if (anchor >= sizes_.size() || sizes_[anchor] == 0)
            fail(file_, position(mark),
                 "parse YAML: an alias refers to a value that contains it (a recursive alias); remove the cycle");
        add(mark, sizes_[anchor]);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(mark, anchor, false);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(mark, anchor, true);
    }
    void OnMapEnd() override { close(); }

private:
    struct frame {
        std::size_t count = 1;  // the collection itself and what it holds
        YAML::anchor_t anchor = 0;
        YAML::Mark mark;
        bool is_map = false;
        bool next_is_key = true;
    };

    static text_position position(const YAML::Mark& mark) { return {mark.line + 1, mark.column + 1}; }

    // Whether the next child of the innermost collection counts (a map's keys do not).
    bool counts() {
        if (open_.empty() || !open_.back().is_map) return true;
        const bool key = open_.back().next_is_key;
        open_.back().next_is_key = !key;
        return !key;
    }
    void add(const YAML::Mark& mark, std::size_t n) {
        std::size_t& total = open_.empty() ? total_ : open_.back().count;
        total += n;
        if (total > limits_.max_nodes)
            fail(file_, position(mark),
                 "parse YAML: document expands to more than " + std::to_string(limits_.max_nodes) +
                     " values (aliases?); simplify the document");
    }
    void remember(YAML::anchor_t anchor, std::size_t size) {
        if (anchor == YAML::NullAnchor) return;
        if (sizes_.size() <= anchor) sizes_.resize(anchor + 1, 0);
        sizes_[anchor] = size;
    }
    void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
        const bool counted = counts();
        remember(anchor, 1);
        if (counted) add(mark, 1);
    }
    void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
        counted_.push_back(counts());
        frame f;
        f.anchor = anchor;
        f.mark = mark;
        f.is_map = is_map;
        open_.push_back(f);
    }
    void close() {
        const frame f = open_.back();
        open_.pop_back();
        remember(f.anchor, f.count);
        const bool counted = counted_.back();
        counted_.pop_back();
        if (counted) add(f.mark, f.count);
    }

    const std::string& file_;
    const parse_limits& limits_;
    std::vector<frame> open_;
    std::vector<bool> counted_;
    std::vector<std::size_t> sizes_;  // by anchor number; 0 while the anchored value is open
    std::size_t total_ = 0;
};

// A hint for the commonest surprise: "{" and "}" end flow collections, so [${A}] is not
// YAML; the value has to be quoted there.
std::string flow_hint(std::string_view text, int line) {
    std::size_t start = 0;
    for (int i = 0; i < line - 1 && start != std::string_view::npos; ++i) {
        start = text.find('\n', start);
        if (start != std::string_view::npos) ++start;
    }
    if (start == std::string_view::npos) return {};
    std::string_view this_line = text.substr(start, text.find('\n', start) - start);
    if (this_line.find("${") == std::string_view::npos) return {};
    return "; inside [ ] or { } quote values that contain ${...}, e.g. [\"${NAME}\"]";
}

YAML::Node load_yaml(std::string_view text, const std::string& file, const parse_limits& limits) {
    try {
        const std::string copy(text);
        {
            std::istringstream in(copy);
            YAML::Parser parser(in);
            expansion_counter counter(file, limits);
            parser.HandleNextDocument(counter);  // the first document, as YAML::Load reads
        }
        return YAML::Load(copy);
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp's own guard (its parser recurses) stops a little beyond our limit.
        fail(file, {e.mark.line + 1, e.mark.column + 1},
             "parse YAML: nesting deeper than " + std::to_string(limits.max_depth) + " levels; flatten the document");
    } catch (const YAML::Exception& e) {
        const int line = e.mark.line + 1;
        fail(file, {line, e.mark.column + 1}, "parse YAML: " + e.msg + flow_hint(text, line));
    }
}

// 1-based line and column of byte `offset` in `text` (columns count bytes).
text_position position_of(std::string_view text, std::size_t offset) {
    text_position pos{1, 1};
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else {
            ++pos.column;
        }
    }
    return pos;
}

// YAML and JSON texts are Unicode text. Invalid UTF-8 and control characters are refused
// up front, located, rather than reaching yaml-cpp (which passes invalid UTF-8 through and
// reports a NUL byte as "bad character found while scanning hex number") or Boost.JSON
// (which only says "syntax error").
void check_text(std::string_view text, const std::string& file, const char* operation) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r') {
            ++i;
            continue;
        }
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(c));
        if (c < 0x80)
            fail(file, position_of(text, i),
                 std::string(operation) + ": control character (byte " + hex +
                     ") in the text; only tab, line feed and carriage return are allowed (write \\u escapes "
                     "inside quoted strings)");
        char32_t cp = 0;
        const std::size_t len = decode_utf8(text, i, cp);
        if (len == 0)
            fail(file, position_of(text, i),
                 std::string(operation) + ": invalid UTF-8 (byte " + hex + "); save the file as UTF-8");
        i += len;
    }
}

}  // namespace

json::value yaml_plain_scalar(const std::string& text) { return plain_scalar(text); }

std::string located_json::where(std::string_view pointer) const {
    std::string p(pointer);
    for (;;) {
        auto it = positions.find(p);
        if (it != positions.end()) return located(file, it->second);
        if (p.empty()) return file;
        p.resize(p.rfind('/'));
    }
}

located_json parse_yaml(std::string_view text, std::string file, parse_limits limits) {
    located_json out;
    out.file = std::move(file);
    check_text(text, out.file, "parse YAML");
    YAML::Node root = load_yaml(text, out.file, limits);
    std::string pointer;
    converter conv(out, limits, true);
    out.value = conv.convert(root, pointer, 0);
    return out;
}

located_json parse_json(std::string_view text, std::string file, parse_limits limits) {
    located_json out;
    out.file = std::move(file);
    check_text(text, out.file, "parse JSON");
    json::parse_options opts;
    opts.max_depth = limits.max_depth;
    json::stream_parser parser({}, opts);
    boost::system::error_code ec;
    const std::size_t used = parser.write_some(text.data(), text.size(), ec);
    if (!ec) parser.finish(ec);
    if (ec) {
        std::string what = ec == json::error::too_deep
                               ? "nesting deeper than " + std::to_string(limits.max_depth) + " levels"
                               : ec.message();
        fail(out.file, position_of(text, used), "parse JSON: " + what);
    }
    out.value = parser.release();
    // Positions are a convenience for messages: a JSON text YAML cannot read just has none.
    // The same read finds duplicate keys, which Boost.JSON silently resolves to the last.
    located_json marks;
    marks.file = out.file;
    converter conv(marks, limits, true);
    try {
        YAML::Node root = YAML::Load(std::string(text));
        std::string pointer;
        conv.convert(root, pointer, 0);
        out.positions = std::move(marks.positions);
    } catch (const error& e) {
        if (conv.failed_on_duplicate_key()) {
            std::string message = e.what();
            if (const auto at = message.find("parse YAML: "); at != std::string::npos)
                message.replace(at, 12, "parse JSON: ");
            throw error(errc::parse_error, message);
        }
    } catch (const std::exception&) {
    }
    return out;
}

located_json parse_yaml_or_json(std::string_view text, std::string file, parse_limits limits) {
    auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && (text[first] == '{' || text[first] == '['))
        return parse_json(text, std::move(file), limits);
    return parse_yaml(text, std::move(file), limits);
}

std::string read_file(const std::string& path, std::string_view operation) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        throw error(errc::io_error, path + ": " + std::string(operation) + ": cannot open file (" +
                                        std::strerror(err) + "); check the path and permissions");
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        throw error(errc::io_error, path + ": " + std::string(operation) + ": read failed");
    return std::move(buffer).str();
}

}  // namespace jupyter_events::detail
