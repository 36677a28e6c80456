// yaml_only: a program configured entirely by a YAML file. Everything it records and
// where it goes (allowed schemas, handlers, file names, formats) comes from the config
// given on the command line, e.g. `yaml_only config/example.yaml`; the program only names
// events. It records one event of each example schema and one invalid event, printing
// what happened to each, and exits 0 when the valid ones were written.
#include <jupyter_events/jupyter_events.hpp>

#include <iostream>

namespace je = jupyter_events;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: yaml_only CONFIG.yaml\n";
        return 64;
    }
    try {
        je::event_logger logger{je::load_config({argv[1]})};
        logger.record_event("https://events.example.org/file-save", "1",
                            {{"path", "notebooks/analysis.ipynb"}, {"action", "save"}, {"size", 20480}});
        logger.record_event("https://events.example.org/user-login", 1, {{"username", "alice"}, {"status", "success"}});
        logger.record_event("url.to.event.schema", 1, {{"name", "example event"}});
        // The non-throwing form reports what went wrong instead.
        je::record_outcome bad =
            logger.try_record_event("https://events.example.org/user-login", "1", {{"username", "bob"}, {"status", "hi"}});
        std::cout << "rejected as expected: " << bad.message << "\n";
        logger.flush();
        const je::logger_stats stats = logger.stats();
        std::cout << "recorded " << stats.recorded << ", rejected " << stats.rejected_invalid << "\n";
        return stats.recorded == 3 ? 0 : 1;
    } catch (const je::error& e) {
        std::cerr << e.what() << "\n";
        return 78;
    }
}
