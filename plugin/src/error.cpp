#include <jupyter_events/error.hpp>

namespace jupyter_events {
namespace {

class category final : public std::error_category {
public:
    const char* name() const noexcept override { return "jupyter_events"; }
    std::string message(int value) const override {
        switch (static_cast<errc>(value)) {
            case errc::ok: return "success";
            case errc::invalid_schema: return "invalid schema";
            case errc::duplicate_schema: return "schema already registered";
            case errc::unregistered_schema: return "schema not registered";
            case errc::validation_error: return "event does not validate";
            case errc::invalid_event: return "invalid event";
            case errc::config_error: return "configuration error";
            case errc::io_error: return "I/O error";
            case errc::parse_error: return "parse error";
            case errc::not_allowed: return "schema not allowed";
            case errc::write_failed: return "write failed";
            case errc::invalid_argument: return "invalid argument";
            case errc::modifier_failed: return "modifier failed";
            case errc::fetch_failed: return "schema fetch failed";
        }
        return "unknown jupyter_events error";
    }
};

}  // namespace

const std::error_category& error_category() noexcept {
    static const category instance;
    return instance;
}

error::error(errc code, const std::string& message, std::vector<validation_issue> issues)
    : std::system_error(make_error_code(code), message), issues_(std::move(issues)), message_(message) {}

}  // namespace jupyter_events
