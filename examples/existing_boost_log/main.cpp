// existing_boost_log: a program that already initialises Boost.Log from an INI settings
// file (its own log file and console sinks, a core severity filter) and then adds the
// plugin. Its own log lines go to app.log (and warnings to the console); the events go
// to events.jsonl through the plugin's handler; neither ends up in the other. The plugin
// only adds its own sink and removes exactly that sink again: the application's setup
// is unchanged afterwards. Usage: existing_boost_log SETTINGS.ini SCHEMA_DIR OUT_DIR
#include <jupyter_events/jupyter_events.hpp>
#include <jupyter_events/log_filters.hpp>

#include <boost/log/sources/record_ostream.hpp>
#include <boost/log/sources/severity_logger.hpp>
#include <boost/log/trivial.hpp>
#include <boost/log/utility/setup/filter_parser.hpp>
#include <boost/log/utility/setup/formatter_parser.hpp>
#include <boost/log/utility/setup/from_stream.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace je = jupyter_events;
namespace logging = boost::log;

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: existing_boost_log SETTINGS.ini SCHEMA_DIR OUT_DIR\n";
        return 64;
    }
    const std::filesystem::path out = argv[3];
    std::filesystem::current_path(out);  // the settings file names app.log relative to here

    // The application's setup, as it was before the plugin.
    logging::register_simple_filter_factory<logging::trivial::severity_level, char>("Severity");
    logging::register_simple_formatter_factory<logging::trivial::severity_level, char>("Severity");
    je::register_log_factories();
    std::ifstream settings(argv[1]);
    logging::init_from_stream(settings);
    logging::sources::severity_logger<logging::trivial::severity_level> log;
    BOOST_LOG_SEV(log, logging::trivial::info) << "application started";
    BOOST_LOG_SEV(log, logging::trivial::debug) << "dropped by the core severity filter";

    {
        // Adding events: one YAML-free configuration, one handler.
        je::logger_config cfg;
        cfg.allowed_schemas.push_back({"*", std::nullopt, {}});
        je::handler_config handler;
        handler.name = "events";
        handler.settings["FileName"] = {(out / "events.jsonl").string(), ""};
        cfg.handlers.push_back(handler);
        cfg.schemas.push_back(argv[2]);
        je::event_logger events{cfg};

        BOOST_LOG_SEV(log, logging::trivial::warning) << "disk almost full";
        events.record_event("https://events.example.org/file-save", "1", {{"path", "a.ipynb"}, {"action", "save"}});
        BOOST_LOG_SEV(log, logging::trivial::info) << "saved a.ipynb";
    }  // the plugin removes its sink here

    BOOST_LOG_SEV(log, logging::trivial::info) << "application still logging after the plugin left";
    return 0;
}
