// What the event server answers, decided without any socket: routing, the token, the
// content type, and turning a request body into a recorded event (DESIGN sections 8, 10).
// The connection code (session.cpp) feeds it parsed requests and writes what it returns.
#pragma once

#include <jupyter_events/config.hpp>
#include <jupyter_events/event_logger.hpp>

#include "http/metrics.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace jupyter_events::server_detail {

enum class method { get, head, post, other };

/// The parts of a request header the server looks at.
struct request_head {
    method verb = method::other;
    std::string_view target;                      ///< "/api/events?x=1"
    std::optional<std::string_view> authorization;  ///< the Authorization value, if sent
    std::optional<std::string_view> content_type;   ///< the Content-Type value, if sent
};

/// A response before serialization.
struct response {
    unsigned status = 204;
    std::string body;               ///< "" for 204
    std::string_view content_type;  ///< "" when there is no body
    std::string_view allow;         ///< the Allow header of a 405, else ""
    bool retry_after = false;       ///< send "Retry-After: 1" (503)
    bool close = false;             ///< close the connection after this response
};

/// Fills `out` with an error: status, JSON body {"message": message, "reason": reason}.
void set_error(response& out, unsigned status, std::string_view reason, std::string_view message);

/// Appends the bytes of `r` (status line, Date, headers, body). `keep_alive` false adds
/// "Connection: close"; `http10` answers an HTTP/1.0 client that asked for keep-alive.
void serialize(std::string& out, const response& r, bool keep_alive, bool http10);

/// Routes and answers requests. Thread-safe (the logger is; counters are atomics).
class request_handler {
public:
    request_handler(event_logger& logger, const server_config& options, server_counters& counters);

    /// Checks everything the header decides: path (404), method (405), token (403),
    /// content type (415). Returns false with `out` filled when the request is refused.
    bool check_head(const request_head& head, response& out) const;

    /// Answers a request whose head passed `check_head`, its body read in full.
    void handle(const request_head& head, std::string_view body, response& out);

    server_counters& counters() noexcept { return counters_; }

private:
    void record(bool notebook_form, std::string_view body, response& out);
    void reject(response& out, reject_reason reason, std::string_view schema_id, unsigned status,
                std::string_view message);
    bool token_ok(std::optional<std::string_view> authorization) const noexcept;

    event_logger& logger_;
    std::string token_;
    server_counters& counters_;
};

}  // namespace jupyter_events::server_detail
