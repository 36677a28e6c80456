// The `jupyter-events` command (port of jupyter_events' cli.py): validate schemas, check
// configs, record events, serve the HTTP endpoint. Exit codes follow sysexits: 64 usage,
// 74 I/O, 78 config.
#include <jupyter_events/http.hpp>
#include <jupyter_events/jupyter_events.hpp>

#include "detail/input_json.hpp"
#include "detail/json_writer.hpp"
#include "detail/schema_sources.hpp"
#include "detail/sinks.hpp"
#include "detail/validator.hpp"
#include "detail/versions.hpp"
#include "detail/yaml_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>
#include <csignal>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <pthread.h>

namespace je = jupyter_events;
namespace json = boost::json;

namespace {

constexpr int ex_ok = 0, ex_rejected = 1, ex_unparsable = 2, ex_usage = 64, ex_io = 74, ex_config = 78;

const char* const usage_text =
    "usage: jupyter-events <command> [options]\n"
    "\n"
    "Schema-validated, structured event logging for Boost.Log (Jupyter Events).\n"
    "\n"
    "commands:\n"
    "  validate SCHEMA...            check event schema files (.yaml, .yml, .json)\n"
    "  check-config CONFIG...        load (layered) configs, their schemas and handlers\n"
    "  record --config CONFIG ...    record one event, or JSON Lines from stdin\n"
    "  serve --config CONFIG ...     run the HTTP endpoint (POST /api/eventlog, /api/events)\n"
    "\n"
    "options:\n"
    "  --help                        show this help (also: <command> --help)\n"
    "  --version                     show the version\n"
    "\n"
    "exit codes: 0 ok, 1 rejected/invalid, 2 unparsable, 64 usage, 74 write failed, 78 config error\n";

const char* const validate_help =
    "usage: jupyter-events validate SCHEMA...\n"
    "\n"
    "Checks each schema file against the Jupyter event meta-schema and JSON Schema draft 7.\n"
    "Prints 'FILE: This schema is valid' on stdout, or 'FILE:LINE:COL: problem' lines on stderr.\n"
    "exit codes: 0 all valid, 1 some invalid, 2 a file is missing or unparsable\n";

const char* const check_help =
    "usage: jupyter-events check-config CONFIG... [--EventLogger.KEY=VALUE]...\n"
    "\n"
    "Loads the configuration files (later ones override earlier ones), resolves ${VARS},\n"
    "registers every schema and builds every handler without attaching or creating files.\n"
    "exit codes: 0 ok, 78 configuration error (located messages on stderr)\n";

const char* const record_help =
    "usage: jupyter-events record --config CONFIG [--config CONFIG]... [--verbose]\n"
    "                             [--EventLogger.KEY=VALUE]...\n"
    "                             [--schema ID [--version V] [--timestamp T] EVENT_JSON]\n"
    "\n"
    "With --schema, records one event. Without it, reads JSON Lines from stdin, each\n"
    "{\"schema\": ID, \"version\": V, \"event\": {...}, \"timestamp\": T}, and keeps going\n"
    "past bad lines (each reported with its line number). A missing version means the\n"
    "highest registered one. Events of schemas not in allowed_schemas are dropped\n"
    "(reported with --verbose). Lines longer than 16 MiB are rejected.\n"
    "exit codes: 0 all recorded, 1 some rejected, 64 usage, 74 a handler failed to write,\n"
    "            78 configuration error\n";

const char* const serve_help =
    "usage: jupyter-events serve --config CONFIG [--config CONFIG]... [--listen HOST:PORT]\n"
    "                            [--EventLogger.KEY=VALUE]... [--EventServer.KEY=VALUE]...\n"
    "\n"
    "Runs the HTTP event endpoint (EventServer section): POST /api/eventlog with\n"
    "{\"schema\": ID, \"version\": V, \"event\": {...}} and POST /api/events with\n"
    "{\"schema_id\": ID, \"version\": V, \"data\": {...}, \"timestamp\": T}; GET /api/eventlog/health\n"
    "and GET /metrics (Prometheus). The first line on stdout is 'listening on http://HOST:PORT'\n"
    "(--listen or EventServer.listen; port 0 picks a free port). SIGINT or SIGTERM stops\n"
    "accepting, answers the requests in flight, flushes the handlers and exits.\n"
    "exit codes: 0 clean shutdown, 64 usage, 78 configuration error or address unusable\n";

int usage_error(const std::string& message, const char* help) {
    std::cerr << "jupyter-events: " << message << "\n\n" << help;
    return ex_usage;
}

bool is_help(const std::string& a) { return a == "--help" || a == "-h"; }

// --- validate ---------------------------------------------------------------------------

int validate(const std::vector<std::string>& args) {
    if (args.empty()) return usage_error("validate: give at least one schema file", validate_help);
    int rc = ex_ok;
    for (const auto& file : args) {
        je::detail::located_json parsed;
        try {
            parsed = je::detail::parse_yaml_or_json(je::detail::read_file(file, "validate"), file);
        } catch (const je::error& e) {
            std::cerr << e.what() << "\n";
            rc = ex_unparsable;
            continue;
        }
        if (!parsed.value.is_object()) {
            std::cerr << parsed.where("") << ": validate: not a mapping; an event schema is a YAML or JSON mapping "
                                             "with $id, version and properties\n";
            rc = ex_unparsable;
            continue;
        }
        try {
            je::schema_registry registry;
            registry.register_schema_text(je::detail::read_file(file, "validate"), file);
            std::cout << file << ": This schema is valid\n";
        } catch (const je::error& e) {
            std::cerr << e.what() << "\n";
            if (rc == ex_ok) rc = ex_rejected;
        }
    }
    return rc;
}

// --- shared option parsing --------------------------------------------------------------

struct options {
    std::vector<std::filesystem::path> configs;
    std::vector<std::string> overrides;  // "EventLogger.key=value"
    std::vector<std::string> positional;
    std::string schema, version, timestamp;
    std::string listen;  // serve --listen
    bool has_schema = false, has_version = false, verbose = false;
};

enum class command_kind { check_config, record, serve };

// Returns an error message, or "" when the arguments parse.
std::string parse_options(const std::vector<std::string>& args, options& o, command_kind kind) {
    const bool record = kind == command_kind::record;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::string& out) -> bool {
            const auto eq = a.find('=');
            if (eq != std::string::npos) {
                out = a.substr(eq + 1);
                return true;
            }
            if (i + 1 >= args.size()) return false;
            out = args[++i];
            return true;
        };
        auto named = [&](const char* name) { return a == name || a.rfind(std::string(name) + "=", 0) == 0; };
        std::string v;
        if (a.rfind("--EventLogger.", 0) == 0 || a.rfind("--EventServer.", 0) == 0) {
            if (a.find('=') == std::string::npos) return "override " + a + " needs =VALUE";
            o.overrides.push_back(a.substr(2));
        } else if ((record || kind == command_kind::serve) && named("--config")) {
            if (!value(v)) return "--config needs a file";
            o.configs.emplace_back(v);
        } else if (kind == command_kind::serve && named("--listen")) {
            if (!value(o.listen)) return "--listen needs HOST:PORT";
        } else if (record && named("--schema")) {
            if (!value(o.schema)) return "--schema needs an $id";
            o.has_schema = true;
        } else if (record && named("--version")) {
            if (!value(o.version)) return "--version needs a version";
            o.has_version = true;
        } else if (record && named("--timestamp")) {
            if (!value(o.timestamp)) return "--timestamp needs an RFC 3339 time";
        } else if (record && (a == "--verbose" || a == "-v")) {
            o.verbose = true;
        } else if (a.size() > 1 && a[0] == '-' && !(a == "-")) {
            return "unknown option " + a;
        } else {
            o.positional.push_back(a);
        }
    }
    return {};
}

// --- check-config -----------------------------------------------------------------------

int check_config(const std::vector<std::string>& args) {
    options o;
    if (auto problem = parse_options(args, o, command_kind::check_config); !problem.empty()) return usage_error("check-config: " + problem, check_help);
    if (o.positional.empty()) return usage_error("check-config: give at least one config file", check_help);
    for (const auto& p : o.positional) o.configs.emplace_back(p);
    try {
        je::load_options lo;
        lo.resolve_all = true;
        je::config cfg = je::load_config(o.configs, o.overrides, lo);
        je::schema_registry registry;
        for (const auto& entry : cfg.event_logger.schemas) je::detail::register_schema_entry(registry, entry);
        for (const auto& handler : cfg.event_logger.handlers) je::detail::build_sink(handler, 0, false);
        for (const auto& allowed : cfg.event_logger.allowed_schemas)
            if (allowed.id != "*" && registry.versions(allowed.id).empty())
                std::cerr << cfg.files.back() << ": warning: allowed schema " << allowed.id
                          << " is not registered by this configuration (register it through the API, or fix the $id)\n";
        std::cout << cfg.files.back() << ": configuration is valid (" << registry.schemas().size() << " schemas, "
                  << cfg.event_logger.handlers.size() << " handlers)\n";
        return ex_ok;
    } catch (const je::error& e) {
        std::cerr << e.what() << "\n";
        return ex_config;
    }
}

// --- record -----------------------------------------------------------------------------

struct recorder {
    je::event_logger& logger;
    bool verbose;
    bool rejected = false;
    bool write_failed = false;

    // `where` prefixes messages ("<stdin>:3" or "--schema").
    void record(const std::string& where, const std::string& schema, const std::string& version,
                const json::value& event, const std::string& timestamp) {
        // An unknown ($id, version) is the caller's mistake even when the schema is not
        // allowed: report it (the library itself drops not-allowed events first).
        if (!logger.registry().find(schema, version)) {
            std::string known;
            for (const auto& v : logger.registry().versions(schema)) known += (known.empty() ? "" : ", ") + v;
            std::cerr << where << ": record event: schema is not registered ($id " << schema
                      << (version.empty() ? "" : ", version " + version) << "); "
                      << (known.empty() ? "add it to EventLogger.schemas" : "registered versions: " + known) << "\n";
            rejected = true;
            return;
        }
        je::record_outcome out = logger.try_record_event(schema, version, event, timestamp);
        if (out.code == je::errc::ok) return;
        if (out.code == je::errc::not_allowed) {
            if (verbose) std::cerr << where << ": dropped: schema " << schema << " is not in allowed_schemas\n";
            return;
        }
        std::cerr << where << ": " << out.message << "\n";
        if (out.code == je::errc::write_failed) write_failed = true;
        else rejected = true;
    }

    int exit_code() const { return write_failed ? ex_io : (rejected ? ex_rejected : ex_ok); }
};

// Longest stdin line `record` accepts. A longer one is skipped without being held in
// memory, so a stream without newlines cannot exhaust it.
constexpr std::size_t max_line_bytes = std::size_t(16) << 20;  // 16 MiB

// Reads one line (without its '\n') into `line`; false at the end of input. A line over
// max_line_bytes leaves `line` empty and sets `too_long`; the rest of it is read and dropped.
bool read_line(std::istream& in, std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    bool any = false;
    char chunk[1 << 16];
    for (;;) {
        in.getline(chunk, sizeof chunk);
        const auto got = static_cast<std::size_t>(in.gcount());
        const bool whole = !in.fail() && !in.eof();  // the newline was reached (and counted)
        const std::size_t text = whole ? got - 1 : got;
        any = any || got > 0;
        if (!too_long && line.size() + text <= max_line_bytes) {
            line.append(chunk, text);
        } else {
            too_long = true;
            line.clear();
            line.shrink_to_fit();
        }
        if (whole) return true;
        if (in.eof()) return any;
        in.clear();  // the chunk filled up before the newline: read on
    }
}

void record_line(recorder& r, const std::string& where, const std::string& text) {
    std::string problem;
    auto v = je::detail::parse_event_json(text, problem);
    if (!v) {
        std::cerr << where << ": record: " << problem << "; each line is one JSON object\n";
        r.rejected = true;
        return;
    }
    const auto* obj = v->if_object();
    const json::value* schema = obj ? obj->if_contains("schema") : nullptr;
    const json::value* event = obj ? obj->if_contains("event") : nullptr;
    if (!schema || !schema->is_string() || !event) {
        std::cerr << where << ": record: a line needs \"schema\" (a string) and \"event\" "
                              "({\"schema\": ID, \"version\": V, \"event\": {...}})\n";
        r.rejected = true;
        return;
    }
    std::string version;
    if (const json::value* ver = obj->if_contains("version"); ver && !ver->is_null()) {
        auto s = je::detail::version_string(*ver);
        if (!s) {
            std::string shown, ignored;
            je::detail::write_json(shown, *ver, je::json_style::compact, ignored);
            std::cerr << where << ": record: /version: must be a string or an integer (" << shown << ")\n";
            r.rejected = true;
            return;
        }
        version = *s;
    }
    std::string timestamp;
    if (const json::value* ts = obj->if_contains("timestamp"); ts && !ts->is_null()) {
        if (!ts->is_string()) {
            std::cerr << where << ": record: /timestamp: must be an RFC 3339 string\n";
            r.rejected = true;
            return;
        }
        timestamp = std::string(ts->get_string());
    }
    r.record(where, std::string(schema->get_string()), version, *event, timestamp);
}

int record(const std::vector<std::string>& args) {
    options o;
    if (auto problem = parse_options(args, o, command_kind::record); !problem.empty()) return usage_error("record: " + problem, record_help);
    if (o.configs.empty()) return usage_error("record: --config CONFIG is required", record_help);
    if (o.has_schema && o.positional.size() != 1)
        return usage_error("record: --schema needs exactly one EVENT_JSON argument", record_help);
    if (!o.has_schema && (!o.positional.empty() || o.has_version || !o.timestamp.empty()))
        return usage_error("record: an event argument, --version and --timestamp go with --schema", record_help);
    std::unique_ptr<je::event_logger> logger;
    try {
        je::config cfg = je::load_config(o.configs, o.overrides);
        logger = std::make_unique<je::event_logger>(cfg);
    } catch (const je::error& e) {
        std::cerr << e.what() << "\n";
        return ex_config;
    }
    recorder r{*logger, o.verbose};
    if (o.has_schema) {
        std::string problem;
        auto event = je::detail::parse_event_json(o.positional[0], problem);
        if (!event) {
            std::cerr << "EVENT_JSON: record: " << problem << "\n";
            return ex_rejected;
        }
        r.record("--schema " + o.schema, o.schema, o.version, *event, o.timestamp);
    } else {
        std::ios::sync_with_stdio(false);  // synchronised stdio cost ~60% of a streaming run
        std::string line;
        bool too_long = false;
        for (std::size_t n = 1; read_line(std::cin, line, too_long); ++n) {
            if (too_long) {
                std::cerr << "<stdin>:" << n << ": record: line longer than " << max_line_bytes
                          << " bytes (16 MiB), skipped; shorten the event\n";
                r.rejected = true;
                continue;
            }
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines are skipped
            record_line(r, "<stdin>:" + std::to_string(n), line);
        }
    }
    logger->flush();
    // Write failures found only at the flush (AutoFlush: false, asynchronous handlers) and
    // events a full queue dropped: nothing is reported as recorded that was not written.
    for (const auto& h : logger->handlers()) {
        if (h.write_errors) {
            std::cerr << "handler " << h.name << ": " << h.write_errors << " write failure(s); events may be missing\n";
            r.write_failed = true;
        }
        if (h.dropped_queue_full)
            std::cerr << "handler " << h.name << ": " << h.dropped_queue_full
                      << " event(s) dropped because its queue was full (Overflow: drop)\n";
    }
    return r.exit_code();
}

// --- serve ------------------------------------------------------------------------------

int serve(const std::vector<std::string>& args) {
    options o;
    if (auto problem = parse_options(args, o, command_kind::serve); !problem.empty())
        return usage_error("serve: " + problem, serve_help);
    if (o.configs.empty()) return usage_error("serve: --config CONFIG is required", serve_help);
    if (!o.positional.empty()) return usage_error("serve: unexpected argument " + o.positional[0], serve_help);
    // Block the stop signals before any thread exists (sinks and the server start some), so
    // every thread inherits the mask and only the waiter below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGHUP);  // reload, handled by the waiter below
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    // A shell starts background jobs with SIGINT ignored, and an ignored signal is discarded
    // rather than left pending for sigwait: `kill -INT` would not stop the server.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGHUP, SIG_DFL);
    std::signal(SIGPIPE, SIG_IGN);  // a closed stdout must not kill the server
    std::unique_ptr<je::event_logger> logger;
    std::unique_ptr<je::event_server> server;
    try {
        je::load_options lo;
        lo.resolve_server = true;
        je::config cfg = je::load_config(o.configs, o.overrides, lo);
        if (!o.listen.empty()) cfg.event_server.listen = o.listen;
        logger = std::make_unique<je::event_logger>(cfg);
        server = std::make_unique<je::event_server>(*logger, cfg.event_server);
        server->start();
    } catch (const je::error& e) {
        std::cerr << e.what() << "\n";
        return ex_config;
    }
    std::cout << "listening on http://" << server->address() << std::endl;
    std::thread waiter([&] {
        for (;;) {
            int sig = 0;
            if (sigwait(&stop_signals, &sig) != 0) continue;
            if (sig != SIGHUP) break;
            // SIGHUP: read the configuration files again and swap in the logger part, all
            // or nothing; the server's own settings (listen, token) need a restart.
            try {
                je::load_options reload_options;
                reload_options.resolve_server = true;
                logger->reload(je::load_config(o.configs, o.overrides, reload_options));
                std::cerr << "reloaded " << o.configs.back().string() << "\n";
            } catch (const std::exception& e) {
                std::cerr << e.what() << "\nreload failed; the configuration in force stays\n";
            }
        }
        server->stop();
    });
    server->run();
    pthread_kill(waiter.native_handle(), SIGTERM);  // wakes the waiter if run() ended by itself
    waiter.join();
    logger->flush();  // every event answered 204 is on disk before the exit code says so
    return ex_ok;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) return usage_error("missing command", usage_text);
    const std::string command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (is_help(command)) {
        std::cout << usage_text;
        return ex_ok;
    }
    if (command == "--version") {
        std::cout << "jupyter-events " << je::version_string << "\n";
        return ex_ok;
    }
    const char* help = command == "validate" ? validate_help
                       : command == "check-config" ? check_help
                       : command == "record" ? record_help
                       : command == "serve" ? serve_help
                                              : nullptr;
    if (!help) return usage_error("unknown command " + command, usage_text);
    for (const auto& a : rest) {
        if (is_help(a)) {
            std::cout << help;
            return ex_ok;
        }
    }
    try {
        if (command == "validate") return validate(rest);
        if (command == "check-config") return check_config(rest);
        if (command == "serve") return serve(rest);
        return record(rest);
    } catch (const std::exception& e) {
        std::cerr << "jupyter-events: " << command << ": unexpected error (" << e.what() << ")\n";
        return ex_io;
    }
}
