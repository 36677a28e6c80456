// Syslog handlers against a real rsyslogd, started by the test on a free local UDP port
// and a Unix socket in a temporary directory, writing what it receives to a file.
#include "detail/sinks.hpp"

#include "handler_support.hpp"
#include "test_support.hpp"

#include <jupyter_events/event_logger.hpp>

#include <boost/json/parse.hpp>
#include <boost/log/attributes/constant.hpp>

#include <gmock/gmock.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

extern char** environ;

namespace je = jupyter_events;
namespace json = boost::json;
namespace logging = boost::log;
using namespace je_test;
using ::testing::HasSubstr;

namespace {

const char* const rsyslogd_path = "/usr/sbin/rsyslogd";

const char* const n_schema = R"({"$id": "https://example.org/n", "version": "1", "type": "object",
  "properties": {"i": {"type": "integer"}, "blob": {"type": "string"}, "text": {"type": "string"}}})";

// A UDP port nobody listens on right now (the kernel's choice for port 0).
int free_udp_port() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

void send_udp(int port, const std::string& packet) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    ::sendto(fd, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::close(fd);
}

// One received message, as the template below writes it.
struct received {
    std::string facility, severity, tag, program, msg;
};

// rsyslogd -n with its own config, pid file and work directory; killed on destruction.
class rsyslog_daemon {
public:
    temp_dir dir;
    int port = free_udp_port();
    fs::path socket = dir.path / "log.sock", out = dir.path / "out.log";

    rsyslog_daemon() {
        fs::create_directories(dir.path / "work");
        const fs::path conf = dir.write("rsyslog.conf", "global(workDirectory=\"" + (dir.path / "work").string() +
                                                            "\" maxMessageSize=\"64k\")\n"
                                                            "module(load=\"imudp\")\n"
                                                            "module(load=\"imuxsock\" SysSock.Use=\"off\")\n"
                                                            "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" +
                                                            std::to_string(port) +
                                                            "\")\n"
                                                            "input(type=\"imuxsock\" Socket=\"" + socket.string() +
                                                            "\")\n"
                                                            "template(name=\"je\" type=\"string\" string=\""
                                                            "%syslogfacility-text%|%syslogseverity-text%|%syslogtag%|"
                                                            "%programname%|%msg%\\n\")\n"
                                                            "*.* action(type=\"omfile\" file=\"" + out.string() +
                                                            "\" template=\"je\")\n");
        const std::string pidfile = (dir.path / "rsyslogd.pid").string(), conf_s = conf.string(),
                          log = (dir.path / "rsyslogd.stderr").string();
        std::vector<std::string> args = {rsyslogd_path, "-n", "-f", conf_s, "-i", pidfile};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        if (posix_spawn(&pid_, rsyslogd_path, &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&actions);
    }

    ~rsyslog_daemon() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 100; ++i) {  // up to 5 s, then for sure
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }

    // Sends probes until one arrives: then both inputs are listening. Bounded: 10 s.
    bool ready() {
        if (pid_ <= 0) return false;
        for (int i = 0; i < 100; ++i) {
            send_udp(port, "<14>Jan  1 00:00:00 localhost probe: ready");
            if (fs::exists(socket) && !messages("probe").empty()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }

    // The messages of `program` so far.
    std::vector<received> messages(const std::string& program) const {
        std::vector<received> out_list;
        for (const auto& line : lines(read(out))) {
            received r;
            std::string* fields[] = {&r.facility, &r.severity, &r.tag, &r.program};
            std::size_t start = 0;
            bool ok = true;
            for (auto* f : fields) {
                const auto bar = line.find('|', start);
                if (bar == std::string::npos) {
                    ok = false;
                    break;
                }
                *f = line.substr(start, bar - start);
                start = bar + 1;
            }
            if (!ok || r.program != program) continue;
            r.msg = line.substr(start);
            r.msg.erase(0, r.msg.find_first_not_of(' '));  // rsyslog keeps the space after "tag:"
            out_list.push_back(r);
        }
        return out_list;
    }

    // Waits (bounded: 10 s) until `count` messages of `program` arrived.
    std::vector<received> wait_for(const std::string& program, std::size_t count) const {
        std::vector<received> got;
        for (int i = 0; i < 100; ++i) {
            got = messages(program);
            if (got.size() >= count) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return got;
    }

    std::string diagnostics() const { return read(dir.path / "rsyslogd.stderr"); }

private:
    pid_t pid_ = -1;
};

std::atomic<unsigned> next_id{5000000};

void push(unsigned logger_id, const std::string& message) { push_event_record(logger_id, message); }

class syslog_test : public boost_log_fixture {
protected:
    void SetUp() override {
        if (!fs::exists(rsyslogd_path))
            GTEST_SKIP() << "rsyslogd is not installed (" << rsyslogd_path << "); apt-get install rsyslog";
        // The free port may be taken by someone else before rsyslogd binds it: try again.
        for (int attempt = 0; attempt < 3; ++attempt) {
            daemon_ = std::make_unique<rsyslog_daemon>();
            if (daemon_->ready()) return;
        }
        FAIL() << "rsyslogd did not start: " << daemon_->diagnostics();
    }
    void TearDown() override {
        boost_log_fixture::TearDown();
        daemon_.reset();
    }
    rsyslog_daemon& rsyslog() { return *daemon_; }
    temp_dir dir;
    unsigned id = next_id.fetch_add(1);
    const std::string ident = "je-test-" + std::to_string(::getpid());

private:
    std::unique_ptr<rsyslog_daemon> daemon_;
};

TEST_F(syslog_test, udp_target_gets_the_json_line_with_facility_tag_and_severity) {
    const fs::path copy = dir.path / "copy.jsonl";
    je::logger_config cfg;
    cfg.allowed_schemas.push_back({"*", std::nullopt, {}});
    cfg.handlers = {handler("syslog", "Syslog",
                            {{"TargetAddress", "127.0.0.1:" + std::to_string(rsyslog().port)},
                             {"Facility", "local0"},
                             {"Ident", ident}}),
                    handler("copy", "TextFile", {{"FileName", copy.string()}})};
    {
        je::event_logger logger{cfg};
        logger.register_schema_text(n_schema);
        for (int i = 0; i < 3; ++i)
            logger.record_event("https://example.org/n", "1",
                                json::object{{"i", i}, {"text", "caf\xc3\xa9 \"quoted\""}});
    }
    const auto expected = lines(read(copy));
    ASSERT_EQ(expected.size(), 3u);
    const auto got = rsyslog().wait_for(ident, 3);
    ASSERT_EQ(got.size(), 3u) << read(rsyslog().out);
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].facility, "local0");
        EXPECT_EQ(got[i].severity, "info");
        EXPECT_EQ(got[i].tag, ident + "[" + std::to_string(::getpid()) + "]:");
        EXPECT_EQ(got[i].msg, expected[i]) << "the message text is the JSON line, unchanged";
    }
}

TEST_F(syslog_test, an_event_larger_than_1024_bytes_arrives_whole) {
    auto built = je::detail::build_sink(
        handler("big", "Syslog", {{"TargetAddress", "127.0.0.1:" + std::to_string(rsyslog().port)}, {"Ident", ident}}),
        id, true);
    logging::core::get()->add_sink(built.sink);
    const std::string line = "{\"blob\":\"" + std::string(3000, 'b') + "\"}";
    push(id, line);
    const auto got = rsyslog().wait_for(ident, 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].msg, line);
    EXPECT_EQ(got[0].facility, "user") << "the default facility";
}

TEST_F(syslog_test, local_socket_with_defaults) {
    je::detail::sink_options options;
    options.syslog_socket = rsyslog().socket.string();
    auto built = je::detail::build_sink(handler("local", "Syslog", {}), id, true, options);
    logging::core::get()->add_sink(built.sink);
    push(id, R"({"i":1})");
    const auto got = rsyslog().wait_for("jupyter-events", 1);
    ASSERT_EQ(got.size(), 1u) << read(rsyslog().out);
    EXPECT_EQ(got[0].facility, "user");
    EXPECT_EQ(got[0].severity, "info");
    EXPECT_EQ(got[0].msg, R"({"i":1})");
    EXPECT_EQ(built.stats->write_errors.load(), 0u);
}

TEST_F(syslog_test, asynchronous_handler_from_a_local_address_delivers_after_flush) {
    auto built = je::detail::build_sink(handler("async", "Syslog",
                                                {{"TargetAddress", "127.0.0.1:" + std::to_string(rsyslog().port)},
                                                 {"LocalAddress", "127.0.0.1:0"},
                                                 {"Ident", ident},
                                                 {"Facility", "local7"},
                                                 {"Asynchronous", "true"}}),
                                        id, true);
    logging::core::get()->add_sink(built.sink);
    for (int i = 0; i < 20; ++i) push(id, "{\"i\":" + std::to_string(i) + "}");
    built.sink->flush();
    const auto got = rsyslog().wait_for(ident, 20);
    ASSERT_EQ(got.size(), 20u);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(got[i].msg, "{\"i\":" + std::to_string(i) + "}");
    EXPECT_EQ(got[0].facility, "local7");
}

// Not the daemon: what happens when no daemon is there.
TEST(syslog_failures, unreachable_udp_target_is_counted) {
    const unsigned id = next_id.fetch_add(1);
    auto built = je::detail::build_sink(
        handler("gone", "Syslog", {{"TargetAddress", "127.0.0.1:" + std::to_string(free_udp_port())}}), id, true);
    logging::core::get()->add_sink(built.sink);
    int failed = 0;
    for (int i = 0; i < 10; ++i) {  // ICMP "port unreachable" fails the send after the first
        try {
            push(id, R"({"i":1})");
        } catch (const je::error& e) {
            EXPECT_EQ(e.kind(), je::errc::write_failed);
            EXPECT_THAT(e.what(), HasSubstr("Connection refused"));
            ++failed;
        }
    }
    logging::core::get()->remove_sink(built.sink);
    EXPECT_GE(failed, 1);
    EXPECT_EQ(built.stats->write_errors.load(), static_cast<std::uint64_t>(failed));
}

TEST(syslog_failures, missing_local_socket_is_counted) {
    const unsigned id = next_id.fetch_add(1);
    temp_dir dir;
    je::detail::sink_options options;
    options.syslog_socket = (dir.path / "no-daemon.sock").string();
    auto built = je::detail::build_sink(handler("none", "Syslog", {}), id, true, options);
    logging::core::get()->add_sink(built.sink);
    try {
        push(id, R"({"i":1})");
        ADD_FAILURE() << "sending to a missing socket succeeded";
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::write_failed);
        EXPECT_THAT(e.what(), HasSubstr("handler none: syslog " + options.syslog_socket + ": No such file or directory"));
    }
    logging::core::get()->remove_sink(built.sink);
    EXPECT_EQ(built.stats->write_errors.load(), 1u);
}

TEST(syslog_failures, unresolvable_target_is_a_config_error_at_start_only) {
    auto h = handler("x", "Syslog", {{"TargetAddress", "no-such-host.invalid"}});
    EXPECT_NO_THROW(je::detail::build_sink(h, 1, false)) << "check-config looks nothing up";
    try {
        je::detail::build_sink(h, 1, true);
        FAIL();
    } catch (const je::error& e) {
        EXPECT_EQ(e.kind(), je::errc::config_error);
        EXPECT_THAT(e.what(), HasSubstr("handler x: TargetAddress: cannot resolve no-such-host.invalid"));
    }
}

}  // namespace
