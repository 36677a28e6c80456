// Records the seed README's example event through the installed library and prints
// the line written, so the test can check it.
#include <jupyter_events/jupyter_events.hpp>

#include <fstream>
#include <iostream>

namespace je = jupyter_events;

int main(int argc, char** argv) {
    if (argc != 2) return 64;
    je::logger_config cfg;
    cfg.allowed_schemas.push_back({"url.to.event.schema", std::nullopt, {}});
    je::handler_config h;
    h.name = "events";
    h.settings["FileName"] = {argv[1], ""};
    cfg.handlers.push_back(h);
    {
        je::event_logger logger{cfg};
        logger.register_schema_text(R"({"$id": "url.to.event.schema", "version": 1,
            "properties": {"name": {"type": "string"}}, "required": ["name"]})");
        logger.record_event("url.to.event.schema", 1, {{"name", "example event"}});
    }
    std::ifstream in(argv[1]);
    std::string line;
    std::getline(in, line);
    std::cout << line << "\n";
    return line.find("\"name\":\"example event\"") == std::string::npos ? 1 : 0;
}
