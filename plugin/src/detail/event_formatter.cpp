#include "detail/event_formatter.hpp"

#include "detail/json_writer.hpp"
#include "detail/utf8.hpp"

#include <jupyter_events/error.hpp>

#include <boost/log/attributes/value_extraction.hpp>
#include <boost/log/utility/setup/formatter_parser.hpp>
#include <boost/make_shared.hpp>

#include <mutex>
#include <string>

namespace jupyter_events::detail {
namespace {

namespace logging = boost::log;

// Application messages need not be UTF-8; JSON must be. Invalid bytes become U+FFFD.
std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        if (std::size_t n = decode_utf8(s, i, cp)) {
            out.append(s.data() + i, n);
            i += n;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

void format_event_json(const logging::record_view& rec, logging::formatting_ostream& strm) {
    static const logging::attribute_name message_name("Message"), logger_id_name("EventLoggerId");
    try {
        auto message = logging::extract<std::string>(message_name, rec);
        const auto& values = rec.attribute_values();
        // A record an event_logger wrote: its Message is the event's JSON line already.
        if (message && values.find(logger_id_name) != values.end()) {
            strm << *message;
            return;
        }
        thread_local std::string line;
        line.assign("{\"message\":");  // 11 bytes
        const std::string_view text = message ? std::string_view(*message) : std::string_view();
        if (!write_json_string(line, text, json_style::compact)) {
            line.resize(11);  // drop the partial string, keep {"message":
            write_json_string(line, valid_utf8(text), json_style::compact);
        }
        line += '}';
        strm << line;
    } catch (...) {  // a formatter must not throw into the sink
    }
}

class event_json_factory : public logging::formatter_factory<char> {
public:
    formatter_type create_formatter(const logging::attribute_name&, const args_map& args) override {
        if (!args.empty())
            throw error(errc::config_error, "Format: %EventJson% takes no arguments (" + args.begin()->first +
                                                "); write %EventJson%");
        return formatter_type(&format_event_json);
    }
};

}  // namespace

void register_event_formatter() {
    static std::once_flag once;
    std::call_once(once, [] { logging::register_formatter_factory("EventJson", boost::make_shared<event_json_factory>()); });
}

}  // namespace jupyter_events::detail
