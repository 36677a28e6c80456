// native_macros: a program that logs with its own Boost.Log loggers and ordinary macros
// records Jupyter events the same way. Its own sink prints its log lines on stdout and
// keeps event records out; an event_logger configured by a YAML file (e.g.
// examples/native_macros/events.yaml) writes validated events to its handler; a
// native_bridge joins the two. An event is streamed into an ordinary record with
// `jupyter_events::event(schema, version, json)` on the channel "jupyter_events": the
// bridge validates it against the allowed schemas and writes it with the Jupyter envelope,
// exactly once; an invalid one is reported through the logger's error handler (printed
// here) and written nowhere, and the logging statement never throws.
// Usage: native_macros CONFIG.yaml
#include <jupyter_events/jupyter_events.hpp>
#include <jupyter_events/log_filters.hpp>
#include <jupyter_events/native.hpp>

#include <boost/core/null_deleter.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/text_ostream_backend.hpp>
#include <boost/log/sources/severity_channel_logger.hpp>
#include <boost/log/trivial.hpp>
#include <boost/make_shared.hpp>

#include <iostream>

namespace je = jupyter_events;
namespace logging = boost::log;
namespace expr = boost::log::expressions;
using logging::trivial::severity_level;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: native_macros CONFIG.yaml\n";
        return 64;
    }
    // The application's own setup: one sink on stdout that keeps event records out.
    using text_sink = logging::sinks::synchronous_sink<logging::sinks::text_ostream_backend>;
    auto app_sink = boost::make_shared<text_sink>();
    app_sink->locked_backend()->add_stream(boost::shared_ptr<std::ostream>(&std::cout, boost::null_deleter()));
    app_sink->locked_backend()->auto_flush(true);
    app_sink->set_filter(!je::is_event_record);
    app_sink->set_formatter(expr::stream << "[" << logging::trivial::severity << "] " << expr::smessage);
    logging::core::get()->add_sink(app_sink);

    try {
        je::event_logger logger{je::load_config({argv[1]})};
        logger.set_error_handler([](std::string_view message) { std::cout << "reported: " << message << "\n"; });
        je::native_bridge bridge{logger};

        logging::sources::severity_channel_logger_mt<severity_level> log(logging::keywords::channel = "app");
        logging::sources::severity_channel_logger_mt<severity_level> events(
            logging::keywords::channel = "jupyter_events");

        BOOST_LOG_SEV(log, severity_level::info) << "saving notebooks/analysis.ipynb";
        BOOST_LOG_SEV(events, severity_level::info)
            << je::event("https://events.example.org/file-save", 1,
                         R"({"path": "notebooks/analysis.ipynb", "action": "save", "size": 20480})");
        BOOST_LOG_SEV(events, severity_level::info)  // "delete" is not an action the schema knows
            << je::event("https://events.example.org/file-save", 1,
                         R"({"path": "notebooks/analysis.ipynb", "action": "delete"})");
        BOOST_LOG_SEV(log, severity_level::info) << "done";

        logger.flush();
        const je::logger_stats stats = logger.stats();
        std::cout << "recorded " << stats.recorded << ", rejected " << stats.rejected_invalid << "\n";
        return stats.recorded == 1 && stats.rejected_invalid == 1 ? 0 : 1;
    } catch (const je::error& e) {
        std::cerr << e.what() << "\n";
        return 78;
    }
}
