// The event server of the installed jupyter_events::http library: one POST over a raw
// socket must be answered 204 and its event written, proving the HTTP library works
// against the installed core (shared or static).
#include <jupyter_events/http.hpp>
#include <jupyter_events/jupyter_events.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <string>
#include <thread>

namespace je = jupyter_events;

namespace {

std::string post(std::uint16_t port, const std::string& body) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "connect failed";
    const std::string request = "POST /api/eventlog HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                                "Content-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
    if (::send(fd, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) return "send failed";
    std::string response;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) response.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return response;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) return 64;
    je::logger_config cfg;
    cfg.allowed_schemas.push_back({"url.to.event.schema", std::nullopt, {}});
    je::handler_config h;
    h.name = "events";
    h.settings["FileName"] = {argv[1], ""};
    cfg.handlers.push_back(h);
    std::string response;
    {
        je::event_logger logger{cfg};
        logger.register_schema_text(R"({"$id": "url.to.event.schema", "version": 1,
            "properties": {"name": {"type": "string"}}, "required": ["name"]})");
        je::server_config options;
        options.listen = "127.0.0.1:0";
        options.threads = 1;
        je::event_server server{logger, options};
        server.start();
        std::thread serving{[&] { server.run(); }};
        response = post(server.port(),
                        R"({"schema": "url.to.event.schema", "version": 1, "event": {"name": "over http"}})");
        server.stop();
        serving.join();
        logger.flush();
    }
    std::ifstream in(argv[1]);
    std::string line;
    std::getline(in, line);
    std::cout << response.substr(0, response.find("\r\n")) << "\n" << line << "\n";
    return response.rfind("HTTP/1.1 204", 0) == 0 && line.find("\"name\":\"over http\"") != std::string::npos ? 0 : 1;
}
