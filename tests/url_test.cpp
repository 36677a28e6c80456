// Registering schemas by URL: file:// and http:// against a local server the test runs.
#include <jupyter_events/schema_registry.hpp>

#include "test_support.hpp"

#include <gmock/gmock.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

namespace je = jupyter_events;
using namespace je_test;
using ::testing::HasSubstr;

namespace {

/// A one-response-per-connection HTTP server on 127.0.0.1: answers each request with
/// `response` (or says nothing when `silent`), until destroyed.
class local_http_server {
public:
    explicit local_http_server(std::string response, bool silent = false)
        : response_(std::move(response)), silent_(silent) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 8) != 0)
            throw std::runtime_error("cannot listen");
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~local_http_server() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    std::string last_request() const {
        std::lock_guard lock(mutex_);
        return request_;
    }

private:
    void serve() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const int client = ::accept(fd_, nullptr, nullptr);
            if (client < 0) continue;
            std::string request;
            char buf[4096];
            while (request.find("\r\n\r\n") == std::string::npos) {
                pollfd c{client, POLLIN, 0};
                if (::poll(&c, 1, 1000) <= 0) break;
                const ssize_t n = ::recv(client, buf, sizeof buf, 0);
                if (n <= 0) break;
                request.append(buf, static_cast<std::size_t>(n));
            }
            {
                std::lock_guard lock(mutex_);
                request_ = request;
            }
            if (silent_) {
                while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
            } else {
                ::send(client, response_.data(), response_.size(), MSG_NOSIGNAL);
            }
            ::close(client);
        }
    }

    std::string response_;
    bool silent_;
    int fd_ = -1;
    unsigned short port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::string request_;
    std::thread thread_;
};

std::string ok(const std::string& body) {
    return "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

std::string failure_of(je::schema_registry& registry, const std::string& url, je::url_options options = {}) {
    try {
        registry.register_schema_url(url, options);
    } catch (const je::error& e) {
        return e.what();
    }
    ADD_FAILURE() << url << " registered";
    return {};
}

TEST(register_schema_url, http_fetches_once_and_registers) {
    local_http_server server(ok(R"({"$id": "https://example.org/remote", "version": 3, "properties": {"a": {}}})"));
    je::schema_registry registry;
    auto added = registry.register_schema_url(server.url("/schemas/remote.json"));
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(added[0].id(), "https://example.org/remote");
    EXPECT_EQ(added[0].version(), "3");
    EXPECT_EQ(added[0].source(), server.url("/schemas/remote.json"));
    EXPECT_THAT(server.last_request(), HasSubstr("GET /schemas/remote.json HTTP/1.0\r\n"));
}

TEST(register_schema_url, errors_name_the_url_and_what_failed) {
    je::schema_registry registry;
    {
        local_http_server server("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        EXPECT_THAT(failure_of(registry, server.url("/missing.json")),
                    HasSubstr(server.url("/missing.json") + ": register schema: HTTP status 404 Not Found"));
    }
    {
        local_http_server server(ok("{\"$id\": \"https://example.org/x\", \"version\": \"1\", \"properties\": {}"));
        EXPECT_THAT(failure_of(registry, server.url("/broken.json")), HasSubstr(server.url("/broken.json") + ":1:"));
    }
    {
        local_http_server server(ok(std::string(2048, ' ') + "{}"));
        je::url_options small;
        small.max_bytes = 1024;
        EXPECT_THAT(failure_of(registry, server.url("/big.json"), small), HasSubstr("response larger than 1024 bytes"));
    }
    {
        local_http_server server("", true);
        je::url_options quick;
        quick.timeout = std::chrono::milliseconds(300);
        EXPECT_THAT(failure_of(registry, server.url("/slow.json"), quick), HasSubstr("timed out after 300 ms"));
    }
    std::string closed_port_url;
    {
        local_http_server server("");
        closed_port_url = server.url("/gone.json");
    }
    EXPECT_THAT(failure_of(registry, closed_port_url), HasSubstr("cannot connect to 127.0.0.1:"));
    EXPECT_THAT(failure_of(registry, "https://example.org/s.json"), HasSubstr("https is not supported"));
    EXPECT_THAT(failure_of(registry, "ftp://example.org/s.json"), HasSubstr("unsupported URL"));
    EXPECT_TRUE(registry.schemas().empty());
}

TEST(register_schema_url, file_urls) {
    temp_dir dir;
    dir.write("my schemas/a.yaml", "$id: https://example.org/a\nversion: '1'\nproperties: {}\n");
    je::schema_registry registry;
    auto added = registry.register_schema_url("file://" + (dir.path / "my%20schemas").string());
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(added[0].id(), "https://example.org/a");
    EXPECT_THAT(failure_of(registry, "file://elsewhere/x.yaml"), HasSubstr("file URLs must name a local path"));
}

}  // namespace
