// The event server over real sockets on 127.0.0.1, with a real (raw-socket) client: every
// status code, both endpoints, the token, limits and timeouts, hostile clients, and
// `jupyter-events serve` under load stopped with SIGTERM without losing an event.
#include <jupyter_events/http.hpp>

#include <jupyter_events/config_loader.hpp>

#include "http/client.hpp"
#include "http/server_process.hpp"
#include "test_support.hpp"

#include <boost/json/parse.hpp>
#include <boost/log/sinks/basic_sink_backend.hpp>
#include <boost/log/sinks/sync_frontend.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <memory>
#include <stdexcept>
#include <thread>

namespace {

namespace je = jupyter_events;
namespace json = boost::json;
using namespace std::chrono_literals;
using je_test::http_client;
using je_test::http_response;
using ::testing::HasSubstr;

const std::string file_save = "https://events.example.org/file-save";
const std::string user_login = "https://events.example.org/user-login";  // registered, not allowed

std::string logger_yaml(const std::string& output) {
    return "EventLogger:\n"
           "  schemas: ['" JE_SOURCE_DIR "/schemas/examples/']\n"
           "  allowed_schemas: [" + file_save + ", url.to.event.schema]\n"
           "  handlers:\n"
           "    events:\n"
           "      Destination: TextFile\n"
           "      FileName: " + output + "\n";
}

std::string save_event(const std::string& path, const std::string& action = "save") {
    return R"({"path":")" + path + R"(","action":")" + action + R"("})";
}

std::string eventlog_body(const std::string& event, const std::string& extra = {}) {
    return R"({"schema":")" + file_save + R"(","version":"1","event":)" + event + extra + "}";
}

std::string events_body(const std::string& data, const std::string& extra = {}) {
    return R"({"schema_id":")" + file_save + R"(","version":1,"data":)" + data + extra + "}";
}

// The JSON error body's fields.
struct error_body {
    std::string message, reason;
};

error_body error_of(const http_response& r) {
    error_body out;
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    if (ec || !v.is_object()) return out;
    if (auto* m = v.as_object().if_contains("message"); m && m->is_string()) out.message = std::string(m->get_string());
    if (auto* m = v.as_object().if_contains("reason"); m && m->is_string()) out.reason = std::string(m->get_string());
    return out;
}

// A Boost.Log backend that fails every write, as a full disk would.
class failing_backend : public boost::log::sinks::basic_sink_backend<boost::log::sinks::synchronized_feeding> {
public:
    void consume(const boost::log::record_view&) { throw std::runtime_error("disk full"); }
};

class http_test : public je_test::boost_log_fixture {
protected:
    je_test::temp_dir dir;
    std::unique_ptr<je::event_logger> logger;
    std::unique_ptr<je::event_server> server;
    std::thread runner;

    // Starts an in-process server; `server_keys` are extra EventServer lines.
    void serve(const std::string& server_keys = {}) {
        const auto config = dir.write("events.yaml", logger_yaml("events.jsonl") + "      AutoFlush: true\n" +
                                                         "EventServer:\n  listen: 127.0.0.1:0\n" + server_keys);
        je::load_options lo;
        lo.resolve_server = true;
        je::config cfg = je::load_config({config}, {}, lo);
        logger = std::make_unique<je::event_logger>(cfg);
        server = std::make_unique<je::event_server>(*logger, cfg.event_server);
        server->start();
        runner = std::thread([this] { server->run(); });
    }

    void TearDown() override {
        if (server) {
            server->stop();
            runner.join();
        }
        server.reset();
        logger.reset();
        boost_log_fixture::TearDown();
    }

    http_client client() const { return http_client(server->port()); }

    std::vector<std::string> written() {
        logger->flush();
        return je_test::lines(je_test::read(dir.path / "events.jsonl"));
    }

    // One request on a fresh connection.
    http_response post(const std::string& target, const std::string& body,
                       const std::vector<std::string>& headers = {"Content-Type: application/json"}) {
        http_client c = client();
        auto r = c.post(target, body, headers);
        return r.value_or(http_response{});
    }
};

// --- recording ----------------------------------------------------------------------------

TEST_F(http_test, eventlog_records_an_event) {
    serve();
    const http_response r = post("/api/eventlog", eventlog_body(save_event("a.ipynb")));
    EXPECT_EQ(r.status, 204);
    EXPECT_TRUE(r.body.empty());
    const auto out = written();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_THAT(out[0], HasSubstr(R"("__schema__":"https://events.example.org/file-save","__schema_version__":"1")"));
    EXPECT_THAT(out[0], HasSubstr(R"("path":"a.ipynb","action":"save"})"));
}

TEST_F(http_test, events_records_with_integer_version_and_timestamp) {
    serve();
    EXPECT_EQ(post("/api/events", events_body(save_event("b"), R"(,"timestamp":"2026-01-02T03:04:05.5+01:00")")).status,
              204);
    EXPECT_EQ(post("/api/eventlog", eventlog_body(save_event("c"), R"(,"timestamp":"2026-01-02T03:04:05Z")")).status,
              204);
    const auto out = written();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_THAT(out[0], HasSubstr(R"("__timestamp__":"2026-01-02T02:04:05.500000Z")"));
    EXPECT_THAT(out[1], HasSubstr(R"("__timestamp__":"2026-01-02T03:04:05.000000Z")"));
}

TEST_F(http_test, bad_requests_are_400_naming_the_pointer) {
    serve();
    struct row {
        const char* target;
        std::string body, reason, fragment;
    };
    const std::string deep = std::string(300, '[') + std::string(300, ']');
    const std::vector<row> rows = {
        {"/api/eventlog", "{", "bad_request", "invalid JSON"},
        {"/api/eventlog", "", "bad_request", "invalid JSON"},
        {"/api/eventlog", "[1]", "bad_request", "must be a JSON object, not [1]"},
        {"/api/eventlog", R"({"version":"1","event":{}})", "bad_request", "/schema: missing"},
        {"/api/events", R"({"version":"1","data":{}})", "bad_request", "/schema_id: missing"},
        {"/api/eventlog", R"({"schema":7,"version":"1","event":{}})", "bad_request", "/schema: must be a string (7)"},
        {"/api/eventlog", R"({"schema":")" + file_save + R"(","event":{}})", "bad_request", "/version: missing"},
        {"/api/events", R"({"schema_id":")" + file_save + R"(","version":null,"data":{}})", "bad_request",
         "/version: missing"},
        {"/api/eventlog", R"({"schema":")" + file_save + R"(","version":1.0,"event":{}})", "bad_request",
         "/version: must be a string or an integer (1.0)"},
        {"/api/eventlog", R"({"schema":")" + file_save + R"(","version":"1"})", "bad_request", "/event: missing"},
        {"/api/events", R"({"schema_id":")" + file_save + R"(","version":"1"})", "bad_request", "/data: missing"},
        {"/api/events", events_body(save_event("x"), R"(,"timestamp":5)"), "bad_request",
         "/timestamp: must be an RFC 3339 string (5)"},
        {"/api/events", events_body(save_event("x"), R"(,"timestamp":"yesterday")"), "bad_request",
         "/timestamp: invalid timestamp (yesterday)"},
        {"/api/events", events_body(deep), "bad_request", "nesting deeper than 256 levels"},
        {"/api/events", events_body(R"({"path":"x","action":"save","size":1e400})"), "bad_request",
         "/data/size: number out of range"},
        {"/api/eventlog", R"({"schema":"https://nope.example.org/x","version":"1","event":{}})", "unregistered",
         "/schema: schema is not registered ($id https://nope.example.org/x)"},
        {"/api/eventlog", R"({"schema":")" + file_save + R"(","version":"1.0","event":{}})", "unregistered",
         "/version: schema version is not registered ($id " + file_save + ", version 1.0); registered versions: 1"},
        {"/api/eventlog", eventlog_body(save_event("x", "delete")), "invalid",
         R"(/action: "delete" is not one of ["save","autosave","rename"])"},
        {"/api/events", events_body(R"({"action":"save"})"), "invalid", "/path"},
        {"/api/events", events_body("[]"), "invalid", "must be a JSON object"},
        {"/api/events", events_body(R"({"path":"x","action":"save","__schema__":"x"})"), "invalid", "/__schema__"},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(std::string(r.target) + " " + r.body.substr(0, 120));
        const http_response res = post(r.target, r.body);
        EXPECT_EQ(res.status, 400);
        EXPECT_EQ(res.header("content-type"), "application/json");
        const error_body e = error_of(res);
        EXPECT_EQ(e.reason, r.reason);
        EXPECT_THAT(e.message, HasSubstr(r.fragment));
    }
    EXPECT_TRUE(written().empty());
}

TEST_F(http_test, unregistered_is_400_even_when_not_allowed_and_not_allowed_is_204_unvalidated) {
    serve();
    // Registered but not allowed: dropped without validation, even though invalid.
    EXPECT_EQ(post("/api/events", R"({"schema_id":")" + user_login + R"(","version":"1","data":{"status":"hi"}})").status,
              204);
    // Not registered (and not allowed either): the client's mistake.
    const http_response r = post("/api/events", R"({"schema_id":"https://other.example.org/y","version":"1","data":{}})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(error_of(r).reason, "unregistered");
    // Registered id, unknown version, not allowed: still 400.
    EXPECT_EQ(post("/api/events", R"({"schema_id":")" + user_login + R"(","version":"2","data":{}})").status, 400);
    EXPECT_TRUE(written().empty());
    const std::string metrics = server->metrics();
    EXPECT_THAT(metrics, HasSubstr("jupyter_events_dropped_total{reason=\"not_allowed\"} 1\n"));
    EXPECT_THAT(metrics, HasSubstr("jupyter_events_rejected_total{schema=\"\",reason=\"unregistered\"} 1\n"));
    EXPECT_THAT(metrics,
                HasSubstr("jupyter_events_rejected_total{schema=\"" + user_login + "\",reason=\"unregistered\"} 1\n"));
}

TEST_F(http_test, write_failure_is_503_so_clients_retry) {
    serve();
    auto sink = boost::make_shared<boost::log::sinks::synchronous_sink<failing_backend>>();
    boost::log::core::get()->add_sink(sink);
    const http_response r = post("/api/events", events_body(save_event("x")));
    boost::log::core::get()->remove_sink(sink);
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.header("retry-after"), "1");
    EXPECT_EQ(error_of(r).reason, "write_failed");
    EXPECT_THAT(error_of(r).message, HasSubstr("disk full"));
    EXPECT_THAT(server->metrics(),
                HasSubstr("jupyter_events_rejected_total{schema=\"" + file_save + "\",reason=\"write_failed\"} 1\n"));
}

// --- routing, methods, content types, token -------------------------------------------------

TEST_F(http_test, unknown_path_is_404_and_wrong_method_405_with_allow) {
    serve();
    http_client c = client();
    auto r = c.request("GET", "/nope");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(error_of(*r).reason, "not_found");
    EXPECT_EQ(c.request("POST", "/api/eventlog/", "{}")->status, 404);  // same connection: still alive
    r = c.request("GET", "/api/events");
    EXPECT_EQ(r->status, 405);
    EXPECT_EQ(r->header("allow"), "POST");
    EXPECT_EQ(error_of(*r).reason, "method_not_allowed");
    r = c.request("POST", "/metrics", "{}");
    EXPECT_EQ(r->status, 405);
    EXPECT_EQ(r->header("allow"), "GET");
    r = c.request("DELETE", "/api/eventlog");
    EXPECT_EQ(r->status, 405);
    EXPECT_EQ(r->header("allow"), "POST");
    r = c.request("GET", "/api/eventlog/health?probe=1");
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"status":"ok"})");
}

TEST_F(http_test, non_json_content_type_is_415) {
    serve();
    const http_response r = post("/api/events", events_body(save_event("x")), {"Content-Type: text/plain"});
    EXPECT_EQ(r.status, 415);
    EXPECT_EQ(error_of(r).reason, "unsupported_media_type");
    EXPECT_EQ(post("/api/events", events_body(save_event("x")), {"Content-Type: Application/JSON; charset=utf-8"}).status,
              204);
    EXPECT_EQ(post("/api/events", events_body(save_event("y")), {}).status, 204);  // none given: JSON assumed
    EXPECT_EQ(written().size(), 2u);
}

TEST_F(http_test, token_is_required_when_configured) {
    serve("  token: s3cret\n");
    const std::string body = events_body(save_event("x"));
    const auto with = [&](const std::string& auth) {
        return post("/api/events", body, {"Content-Type: application/json", "Authorization: " + auth});
    };
    http_response r = post("/api/events", body);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(error_of(r).reason, "forbidden");
    EXPECT_THAT(error_of(r).message, HasSubstr("a token is required"));
    EXPECT_EQ(with("token nope").status, 403);
    EXPECT_EQ(with("token s3cre").status, 403);
    EXPECT_EQ(with("token s3cret2").status, 403);
    EXPECT_EQ(with("Basic s3cret").status, 403);
    EXPECT_EQ(with("s3cret").status, 403);
    EXPECT_EQ(with("token s3cret").status, 204);
    EXPECT_EQ(with("Bearer s3cret").status, 204);
    EXPECT_EQ(with("bEaReR   s3cret").status, 204);
    EXPECT_EQ(with("TOKEN s3cret").status, 204);
    EXPECT_EQ(written().size(), 4u);
    // Health never needs it; metrics does.
    http_client c = client();
    EXPECT_EQ(c.request("GET", "/api/eventlog/health")->status, 200);
    EXPECT_EQ(c.request("GET", "/metrics")->status, 403);
    EXPECT_EQ(c.request("GET", "/metrics", {}, {"Authorization: Bearer s3cret"})->status, 200);
    // 403 comes before the body is looked at.
    EXPECT_EQ(post("/api/events", "not json").status, 403);
}

TEST_F(http_test, without_a_token_authorization_is_ignored) {
    serve();
    EXPECT_EQ(post("/api/events", events_body(save_event("x")), {"Authorization: token whatever"}).status, 204);
}

// --- limits and timeouts ----------------------------------------------------------------------

TEST_F(http_test, body_over_the_limit_is_413_also_when_chunked) {
    serve("  max_body_bytes: 1024\n");
    {
        http_client c = client();
        auto r = c.post("/api/events", events_body(R"({"path":")" + std::string(2000, 'x') + R"(","action":"save"})"));
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 413);
        EXPECT_EQ(r->header("connection"), "close");
        EXPECT_EQ(error_of(*r).reason, "body_too_large");
        EXPECT_TRUE(c.closed_by_peer());
    }
    {
        // Announced as huge and never sent: refused from the header alone.
        http_client c = client();
        ASSERT_TRUE(c.send("POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n"));
        auto r = c.receive();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 413);
    }
    {
        // Chunked: the limit applies to the decoded size.
        http_client c = client();
        std::string request = "POST /api/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 5; ++i) request += "190\r\n" + std::string(400, ' ') + "\r\n";
        request += "0\r\n\r\n";
        ASSERT_TRUE(c.send(request));
        auto r = c.receive();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 413);
    }
    {
        // Chunked within the limit is fine, and the connection stays usable.
        http_client c = client();
        const std::string body = events_body(save_event("chunked"));
        const std::string a = body.substr(0, 10), b = body.substr(10);
        char sizes[64];
        std::snprintf(sizes, sizeof sizes, "%zx", a.size());
        std::string request = "POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n" + std::string(sizes) + "\r\n" + a + "\r\n";
        std::snprintf(sizes, sizeof sizes, "%zx", b.size());
        request += std::string(sizes) + "\r\n" + b + "\r\n0\r\n\r\n";
        ASSERT_TRUE(c.send(request));
        auto r = c.receive();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 204);
        EXPECT_EQ(c.request("GET", "/api/eventlog/health")->status, 200);
    }
    ASSERT_EQ(written().size(), 1u);
    EXPECT_THAT(written()[0], HasSubstr(R"("path":"chunked")"));
}

TEST_F(http_test, header_over_the_limit_is_431) {
    serve();
    http_client c = client();
    auto r = c.request("GET", "/api/eventlog/health", {}, {"X-Big: " + std::string(20000, 'a')});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 431);
    EXPECT_EQ(error_of(*r).reason, "header_too_large");
}

TEST_F(http_test, expect_continue_is_answered) {
    serve("  token: t\n");
    const std::string body = events_body(save_event("x"));
    {
        http_client c = client();
        ASSERT_TRUE(c.send("POST /api/events HTTP/1.1\r\nHost: x\r\nAuthorization: token t\r\nExpect: 100-continue\r\n"
                           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
        auto interim = c.receive(std::nullopt, true);
        ASSERT_TRUE(interim);
        EXPECT_EQ(interim->status, 100);
        ASSERT_TRUE(c.send(body));
        auto r = c.receive();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 204);
    }
    {
        // Refused at once: the client need not send the body.
        http_client c = client();
        ASSERT_TRUE(c.send("POST /api/events HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n"));
        auto r = c.receive(std::nullopt, true);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 403);
    }
}

TEST_F(http_test, a_stalled_request_gets_408_and_an_idle_connection_is_closed) {
    serve("  read_timeout_ms: 300\n");
    http_client stalled = client(), idle = client();
    ASSERT_TRUE(stalled.send("POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{\"schema_id\""));
    auto r = stalled.receive();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 408);
    EXPECT_EQ(error_of(*r).reason, "timeout");
    EXPECT_TRUE(stalled.closed_by_peer());
    EXPECT_TRUE(idle.closed_by_peer());  // quietly: no 408 for a request never begun
}

TEST_F(http_test, hostile_clients_do_not_stop_others_being_served) {
    serve("  read_timeout_ms: 400\n  max_body_bytes: 4096\n");
    std::atomic<bool> loris_cut{false};
    std::thread loris([&] {
        // One header byte every 20 ms, forever: cut off by the read timeout (at most twice
        // over), however steadily it trickles.
        http_client c = client();
        if (!c.send("POST /api/events HTTP/1.1\r\nHost: x\r\nX-Slow: ")) return;
        const auto give_up = std::chrono::steady_clock::now() + 5s;
        while (std::chrono::steady_clock::now() < give_up) {
            // Cut off: the send fails, the server closes, or its 408 arrives.
            if (!c.send("a") || c.closed_by_peer(20ms) || !c.pending().empty()) {
                loris_cut = true;
                break;
            }
        }
    });
    std::thread garbage([&] {
        http_client c = client();
        std::string bytes;
        for (int i = 0; i < 4096; ++i) bytes += static_cast<char>((i * 131 + 7) % 256);
        c.send(bytes + "\r\n\r\n");
        auto r = c.receive();
        if (r) {
            EXPECT_EQ(r->status, 400);
        }
        EXPECT_TRUE(r || c.closed_by_peer());
    });
    std::thread oversized([&] {
        http_client c = client();
        c.send("POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n" + std::string(8192, 'x'));
        auto r = c.receive();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 413);
    });
    http_client good = client();
    for (int i = 0; i < 50; ++i) {
        auto r = good.post("/api/events", events_body(save_event("good-" + std::to_string(i))));
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 204);
    }
    loris.join();
    garbage.join();
    oversized.join();
    EXPECT_TRUE(loris_cut);
    EXPECT_EQ(written().size(), 50u);
}

// The gauge of open connections, read over a connection of its own (counted in it).
long open_connections(http_client& c) {
    auto r = c.request("GET", "/metrics");
    if (!r) return -1;
    const std::string key = "\njupyter_events_http_connections ";
    const auto at = r->body.find(key);
    if (at == std::string::npos) return -1;
    return std::stol(r->body.substr(at + key.size()));
}

TEST_F(http_test, half_closed_and_idle_connections_are_answered_bounded_and_counted) {
    serve("  read_timeout_ms: 300\n");
    // A whole request, then the client closes its sending side: it still gets its answer,
    // and the event is recorded once; then the server closes.
    {
        http_client c = client();
        ASSERT_TRUE(c.send(http_client::format("POST", "/api/events", events_body(save_event("half-closed")))));
        c.shutdown_write();
        auto r = c.receive();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 204);
        EXPECT_TRUE(c.closed_by_peer());
    }
    // Half a request, then end of stream: the connection is closed at once, not held
    // until the read timeout, and nothing is recorded.
    {
        http_client c = client();
        ASSERT_TRUE(c.send("POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{\"sch"));
        c.shutdown_write();
        const auto start = std::chrono::steady_clock::now();
        auto r = c.receive(2s);  // an error answer is allowed; the close is what matters
        if (r) {
            EXPECT_EQ(r->status / 100, 4);
        }
        EXPECT_TRUE(c.closed_by_peer(2s));
        EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    }
    // Forty idle connections are counted while open and closed by the read timeout. First
    // the server lets go of the two connections above (it closes them asynchronously).
    http_client metrics = client();
    const auto settled_by = std::chrono::steady_clock::now() + 2s;
    while (open_connections(metrics) != 1 && std::chrono::steady_clock::now() < settled_by)
        std::this_thread::sleep_for(10ms);
    ASSERT_EQ(open_connections(metrics), 1);  // only this one
    std::vector<http_client> idle;
    for (int i = 0; i < 40; ++i) idle.push_back(client());
    for (auto& c : idle) ASSERT_TRUE(c.connected());
    const auto counted_by = std::chrono::steady_clock::now() + 2s;
    long open = open_connections(metrics);
    while (open < 41 && std::chrono::steady_clock::now() < counted_by) {
        std::this_thread::sleep_for(10ms);
        open = open_connections(metrics);
    }
    EXPECT_EQ(open, 41);  // the idle ones and this one
    for (auto& c : idle) EXPECT_TRUE(c.closed_by_peer());
    metrics.close();
    http_client after = client();
    const auto closed_by = std::chrono::steady_clock::now() + 2s;
    while (open_connections(after) != 1 && std::chrono::steady_clock::now() < closed_by)
        std::this_thread::sleep_for(10ms);
    EXPECT_EQ(open_connections(after), 1);  // only this one is left
    EXPECT_EQ(written().size(), 1u);
}

TEST_F(http_test, connection_limit_makes_new_clients_wait) {
    serve("  max_connections: 2\n");
    auto a = std::make_unique<http_client>(server->port());
    http_client b = client();
    ASSERT_EQ(a->request("GET", "/api/eventlog/health")->status, 200);  // both accepted
    ASSERT_EQ(b.request("GET", "/api/eventlog/health")->status, 200);
    http_client c = client();  // connects (listen backlog) but is not served yet
    ASSERT_TRUE(c.send(http_client::format("GET", "/api/eventlog/health", {})));
    EXPECT_FALSE(c.receive(300ms));
    a.reset();  // a slot frees: c is accepted and answered
    auto r = c.receive();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

// --- connections ------------------------------------------------------------------------------

TEST_F(http_test, keep_alive_pipelining_and_http_1_0) {
    serve();
    http_client c = client();
    for (int i = 0; i < 20; ++i) {
        auto r = c.post("/api/eventlog", eventlog_body(save_event("k" + std::to_string(i))));
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 204);
        EXPECT_EQ(r->header("connection"), "");
    }
    // Three requests in one write, answered in order.
    std::string three;
    for (int i = 0; i < 3; ++i) three += http_client::format("POST", "/api/events", events_body(save_event("p" + std::to_string(i))));
    ASSERT_TRUE(c.send(three));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(c.receive().value_or(http_response{}).status, 204);
    EXPECT_THAT(c.request("GET", "/metrics")->body, HasSubstr("jupyter_events_http_connections_accepted_total 1\n"));

    http_client old = client();
    ASSERT_TRUE(old.send("GET /api/eventlog/health HTTP/1.0\r\n\r\n"));
    auto r = old.receive();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(old.closed_by_peer());
    EXPECT_EQ(written().size(), 23u);
}

TEST_F(http_test, metrics_count_events_and_responses) {
    serve();
    post("/api/events", events_body(save_event("a")));
    post("/api/events", events_body(save_event("b")));
    post("/api/events", events_body(save_event("c", "nope")));
    post("/api/events", "{");
    post("/nowhere", "{}");
    http_client c = client();
    auto r = c.request("GET", "/metrics");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const std::string& m = r->body;
    EXPECT_THAT(m, HasSubstr("# TYPE jupyter_events_recorded_total counter\n"));
    EXPECT_THAT(m, HasSubstr("jupyter_events_recorded_total{schema=\"" + file_save + "\"} 2\n"));
    EXPECT_THAT(m, HasSubstr("jupyter_events_recorded_total{schema=\"url.to.event.schema\"} 0\n"));
    EXPECT_THAT(m, HasSubstr("jupyter_events_rejected_total{schema=\"" + file_save + "\",reason=\"invalid\"} 1\n"));
    EXPECT_THAT(m, HasSubstr("jupyter_events_rejected_total{schema=\"\",reason=\"bad_request\"} 1\n"));
    EXPECT_THAT(m, HasSubstr("jupyter_events_dropped_total{reason=\"not_allowed\"} 0\n"));
    EXPECT_THAT(m, HasSubstr("jupyter_events_http_responses_total{code=\"204\"} 2\n"));
    EXPECT_THAT(m, HasSubstr("jupyter_events_http_responses_total{code=\"400\"} 2\n"));
    EXPECT_THAT(m, HasSubstr("jupyter_events_http_responses_total{code=\"404\"} 1\n"));
    EXPECT_THAT(m, HasSubstr("# TYPE jupyter_events_http_connections gauge\njupyter_events_http_connections "));
    // Every handler's series, at 0 from the start.
    EXPECT_THAT(m, HasSubstr("jupyter_events_queue_depth{handler=\"events\"} 0\n"));
    EXPECT_THAT(m, HasSubstr("jupyter_events_write_errors_total{handler=\"events\"} 0\n"));
    EXPECT_THAT(m, HasSubstr("jupyter_events_dropped_total{reason=\"queue_full\",handler=\"events\"} 0\n"));
}

TEST_F(http_test, stop_answers_requests_in_flight_and_closes_idle_connections) {
    serve();
    const std::uint16_t port = server->port();
    http_client idle = client(), busy = client();
    ASSERT_EQ(idle.request("GET", "/api/eventlog/health")->status, 200);
    const std::string request = http_client::format("POST", "/api/events", events_body(save_event("in-flight")));
    ASSERT_TRUE(busy.send(request.substr(0, 40)));  // half a request
    // Make sure the server has read the half before stopping (it then counts as in flight).
    for (int i = 0; i < 100 && server->metrics().find("jupyter_events_http_connections 2\n") == std::string::npos; ++i)
        std::this_thread::sleep_for(10ms);
    std::this_thread::sleep_for(100ms);
    server->stop();
    EXPECT_TRUE(idle.closed_by_peer());
    ASSERT_TRUE(busy.send(request.substr(40)));
    auto r = busy.receive();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 204);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(busy.closed_by_peer());
    runner.join();  // run() returns once every connection is closed
    server.reset();
    EXPECT_EQ(written().size(), 1u);
    EXPECT_FALSE(http_client(port).connected());
}

TEST(http_server_options, bad_listen_addresses_are_config_errors) {
    je::event_logger logger;
    for (const char* listen : {"nonsense", "127.0.0.1:99999", "127.0.0.1:", "::1:80", "127.0.0.1:8x"}) {
        je::server_config cfg;
        cfg.listen = listen;
        try {
            je::event_server server(logger, cfg);
            ADD_FAILURE() << listen << " was accepted";
        } catch (const je::error& e) {
            EXPECT_EQ(e.kind(), je::errc::config_error) << listen;
            EXPECT_THAT(e.what(), HasSubstr("EventServer.listen")) << listen;
        }
    }
}

TEST(http_server_options, a_busy_port_is_an_io_error_at_start) {
    je::event_logger logger;
    je::server_config cfg;
    cfg.listen = "127.0.0.1:0";
    je::event_server first(logger, cfg);
    first.start();
    EXPECT_NE(first.port(), 0);
    EXPECT_EQ(first.address(), "127.0.0.1:" + std::to_string(first.port()));
    cfg.listen = "127.0.0.1:" + std::to_string(first.port());
    je::event_server second(logger, cfg);
    try {
        second.start();
        ADD_FAILURE() << "bound a busy port";
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::io_error);
        EXPECT_THAT(e.what(), HasSubstr("cannot listen on 127.0.0.1:"));
    }
}

// --- jupyter-events serve -------------------------------------------------------------------

TEST(http_serve_cli, usage_and_config_errors) {
    je_test::temp_dir dir;
    EXPECT_EQ(je_test::run_cli("serve").code, 64);
    EXPECT_EQ(je_test::run_cli("serve --config").code, 64);
    EXPECT_EQ(je_test::run_cli("serve --config x.yaml extra").code, 64);
    const auto help = je_test::run_cli("serve --help");
    EXPECT_EQ(help.code, 0);
    EXPECT_THAT(help.out, HasSubstr("usage: jupyter-events serve --config CONFIG"));
    EXPECT_THAT(je_test::run_cli("--help").out, HasSubstr("serve --config CONFIG"));
    const auto missing = je_test::run_cli("serve --config " + (dir.path / "missing.yaml").string());
    EXPECT_EQ(missing.code, 78);
    const auto config = dir.write("c.yaml", logger_yaml("events.jsonl") + "EventServer:\n  listen: ${NO_SUCH_VAR_X}\n");
    const auto unset = je_test::run_cli("serve --config " + config.string());
    EXPECT_EQ(unset.code, 78);
    EXPECT_THAT(unset.err, HasSubstr("NO_SUCH_VAR_X"));
    const auto ok_config = dir.write("ok.yaml", logger_yaml("events.jsonl"));
    const auto bad_listen = je_test::run_cli("serve --config " + ok_config.string() + " --listen nonsense");
    EXPECT_EQ(bad_listen.code, 78);
    EXPECT_THAT(bad_listen.err, HasSubstr("EventServer.listen"));
}

// Shells start background jobs with SIGINT ignored; `kill -INT` must still stop the server.
TEST(http_serve_cli, sigint_stops_serve_started_with_sigint_ignored) {
    je_test::temp_dir dir;
    const auto config = dir.write("serve.yaml", logger_yaml((dir.path / "events.jsonl").string()) +
                                                    "EventServer:\n  listen: 127.0.0.1:1\n");
    je_test::server_process proc;
    const auto previous = std::signal(SIGINT, SIG_IGN);  // inherited by the child
    const bool spawned = proc.spawn({"serve", "--config", config.string(), "--listen", "127.0.0.1:0"}, dir.path / "stderr");
    std::signal(SIGINT, previous);
    ASSERT_TRUE(spawned);
    const std::string line = proc.first_line(10s);  // --listen overrides EventServer.listen
    ASSERT_THAT(line, ::testing::MatchesRegex("listening on http://127\\.0\\.0\\.1:[0-9]+"));
    const auto port = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    http_client c(port);
    EXPECT_EQ(c.post("/api/eventlog", eventlog_body(save_event("one"))).value_or(http_response{}).status, 204);
    proc.signal(SIGINT);
    EXPECT_EQ(proc.wait_exit(10s), 0) << je_test::read(dir.path / "stderr");
    EXPECT_EQ(je_test::lines(je_test::read(dir.path / "events.jsonl")).size(), 1u);  // flushed at exit
}

// SIGHUP reloads the configuration files: events after it go where the new file says;
// a broken file is reported and the configuration in force stays.
TEST(http_serve_cli, sighup_reloads_the_configuration) {
    je_test::temp_dir dir;
    const auto config = dir.write("serve.yaml", logger_yaml((dir.path / "a.jsonl").string()) +
                                                    "EventServer:\n  listen: 127.0.0.1:0\n");
    je_test::server_process proc;
    ASSERT_TRUE(proc.spawn({"serve", "--config", config.string()}, dir.path / "stderr"));
    const std::string line = proc.first_line(10s);
    ASSERT_THAT(line, ::testing::StartsWith("listening on http://127.0.0.1:")) << je_test::read(dir.path / "stderr");
    const auto port = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    http_client c(port);
    EXPECT_EQ(c.post("/api/eventlog", eventlog_body(save_event("one"))).value_or(http_response{}).status, 204);
    auto wait_for_stderr = [&](const std::string& text) {
        for (int i = 0; i < 200 && je_test::read(dir.path / "stderr").find(text) == std::string::npos; ++i)
            std::this_thread::sleep_for(50ms);
        return je_test::read(dir.path / "stderr").find(text) != std::string::npos;
    };
    dir.write("serve.yaml", logger_yaml((dir.path / "b.jsonl").string()) + "EventServer:\n  listen: 127.0.0.1:0\n");
    proc.signal(SIGHUP);
    ASSERT_TRUE(wait_for_stderr("reloaded")) << je_test::read(dir.path / "stderr");
    EXPECT_EQ(c.post("/api/eventlog", eventlog_body(save_event("two"))).value_or(http_response{}).status, 204);
    dir.write("serve.yaml", "EventLogger:\n  handlerz: {}\n");
    proc.signal(SIGHUP);
    ASSERT_TRUE(wait_for_stderr("reload failed")) << je_test::read(dir.path / "stderr");
    EXPECT_EQ(c.post("/api/eventlog", eventlog_body(save_event("three"))).value_or(http_response{}).status, 204);
    proc.signal(SIGTERM);
    EXPECT_EQ(proc.wait_exit(10s), 0) << je_test::read(dir.path / "stderr");
    EXPECT_EQ(je_test::lines(je_test::read(dir.path / "a.jsonl")).size(), 1u);
    EXPECT_EQ(je_test::lines(je_test::read(dir.path / "b.jsonl")).size(), 2u);
    EXPECT_THAT(je_test::read(dir.path / "stderr"), HasSubstr("unknown key (handlerz)"));
}

// Several keep-alive clients post thousands of events; SIGTERM arrives in the middle. The
// output holds exactly the events answered 204: none lost, none twice.
TEST(http_serve_cli, sigterm_under_load_loses_no_acknowledged_event) {
    je_test::temp_dir dir;
    const auto config = dir.write("serve.yaml", logger_yaml((dir.path / "events.jsonl").string()) +
                                                    "EventServer:\n  listen: 127.0.0.1:0\n  threads: 2\n");
    je_test::server_process proc;
    ASSERT_TRUE(proc.spawn({"serve", "--config", config.string()}, dir.path / "stderr"));
    const std::string line = proc.first_line(10s);
    ASSERT_THAT(line, ::testing::StartsWith("listening on http://127.0.0.1:")) << je_test::read(dir.path / "stderr");
    const auto port = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));

    constexpr int clients = 4, per_client = 1500;
    std::atomic<int> acknowledged{0};
    std::vector<std::vector<std::string>> acked(clients);
    std::atomic<int> unexpected{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < clients; ++t) {
        threads.emplace_back([&, t] {
            http_client c(port);
            for (int i = 0; i < per_client; ++i) {
                const std::string path = "c" + std::to_string(t) + "-" + std::to_string(i);
                auto r = c.post("/api/events", events_body(save_event(path)));
                if (!r) break;  // closed by the shutdown before this request was read
                if (r->status != 204) {
                    ++unexpected;
                    break;
                }
                acked[t].push_back(path);
                ++acknowledged;
                if (r->header("connection") == "close") break;  // answered during shutdown
            }
        });
    }
    const auto give_up = std::chrono::steady_clock::now() + 15s;
    while (acknowledged < clients * per_client / 3 && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(1ms);
    proc.signal(SIGTERM);
    for (auto& t : threads) t.join();
    EXPECT_EQ(proc.wait_exit(15s), 0) << je_test::read(dir.path / "stderr");
    EXPECT_EQ(unexpected, 0);
    EXPECT_GE(acknowledged, clients * per_client / 3);

    std::vector<std::string> expected, got;
    for (const auto& v : acked) expected.insert(expected.end(), v.begin(), v.end());
    for (const auto& l : je_test::lines(je_test::read(dir.path / "events.jsonl"))) {
        auto v = json::parse(l);
        got.emplace_back(v.as_object().at("path").as_string());
    }
    std::sort(expected.begin(), expected.end());
    std::sort(got.begin(), got.end());
    RecordProperty("acknowledged", static_cast<int>(expected.size()));
    EXPECT_EQ(got.size(), expected.size());
    EXPECT_TRUE(got == expected) << "written and acknowledged events differ";
    EXPECT_TRUE(std::adjacent_find(got.begin(), got.end()) == got.end()) << "an event was written twice";
    EXPECT_FALSE(http_client(port).connected());  // nothing listens any more
}

}  // namespace
