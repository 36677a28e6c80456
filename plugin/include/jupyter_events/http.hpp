/// \file http.hpp
/// The event server: Jupyter's REST endpoints for events over HTTP/1.1, in-process with an
/// `event_logger` (library `jupyter_events::http`; the core library never links it).
///
/// - `POST /api/eventlog` with `{"schema": ID, "version": V, "event": {...}, "timestamp"?: T}`
///   (the notebook "Eventlog" API) and `POST /api/events` with
///   `{"schema_id": ID, "version": V, "data": {...}, "timestamp"?: T}` (jupyter_server).
///   `version` is required, a string or an integer.
/// - 204 recorded, or dropped because not allowed; 400 bad JSON, missing key, unregistered
///   ($id, version) or invalid event; 403 missing or wrong token; 404; 405 (with `Allow`);
///   408 client too slow; 413 body over `max_body_bytes`; 415 not JSON; 503 a handler failed to
///   write (retry). Every error has a JSON body `{"message": ..., "reason": ...}`.
/// - `GET /api/eventlog/health` (200, never needs the token) and `GET /metrics`
///   (Prometheus text; needs the token when one is configured).
#pragma once

#include <jupyter_events/config.hpp>
#include <jupyter_events/event_logger.hpp>
#include <jupyter_events/export.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace jupyter_events {

/// An HTTP/1.1 server recording the events it receives with an `event_logger`. Keep-alive,
/// many concurrent connections (at most `max_connections`; beyond that new connections wait
/// in the listen backlog), bounded memory per connection, `threads` I/O threads.
///
/// Lifecycle: construct, `start()` (binds; `port()` is then known), `run()` (blocks while
/// serving), `stop()` from any thread (stops accepting, closes idle connections, answers
/// requests already being read and closes their connections; `run()` returns once they are
/// done). The caller then flushes the logger: every event answered 204 has been handed to
/// its sinks by then. Not copyable or movable.
///
/// Example:
///     jupyter_events::load_options lo;
///     lo.resolve_server = true;  // ${VARS} in EventServer too
///     auto cfg = jupyter_events::load_config({"events.yaml"}, {}, lo);
///     jupyter_events::event_logger logger{cfg};
///     jupyter_events::event_server server{logger, cfg.event_server};
///     server.start();
///     std::thread t{[&] { server.run(); }};
///     // ... later, from any thread:
///     server.stop();
///     t.join();
///     logger.flush();
class JUPYTER_EVENTS_EXPORT event_server {
public:
    /// Checks `options` (listen address syntax, limits) but binds nothing. `logger` must
    /// outlive the server. Throws `error(errc::config_error)` naming the bad key.
    event_server(event_logger& logger, const server_config& options);
    /// Stops (as `stop()`), waits for `run()` to return if it runs in another thread. Never throws.
    ~event_server();
    event_server(const event_server&) = delete;
    event_server& operator=(const event_server&) = delete;

    /// Resolves and binds `options.listen` and starts accepting. Throws `error`:
    /// config_error (host cannot be resolved), io_error (address in use, permission denied).
    /// Calling it twice does nothing the second time.
    void start();

    /// The bound port (useful with port 0), 0 before `start()`.
    std::uint16_t port() const noexcept;

    /// The bound address as `HOST:PORT` (`[::1]:8585` for IPv6), "" before `start()`.
    std::string address() const;

    /// Serves on `options.threads` threads (the calling one included) until `stop()` has been
    /// called and every connection is closed. Calls `start()` first if needed (and throws
    /// what it throws). Call it once.
    void run();

    /// Stops accepting, closes idle keep-alive connections, lets requests in flight finish
    /// (their responses carry `Connection: close`). Thread-safe, idempotent; returns at once
    /// (not async-signal-safe: call it from a thread that waited for the signal).
    void stop() noexcept;

    /// The text `GET /metrics` answers (Prometheus text exposition format 0.0.4).
    std::string metrics() const;

    struct JUPYTER_EVENTS_NO_EXPORT impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace jupyter_events
