// The Journal destination (built with JUPYTER_EVENTS_WITH_JOURNAL): one journald entry per
// event with structured fields, so `journalctl EVENT_SCHEMA=https://...` finds them.
#include "detail/sink_common.hpp"

#include <boost/log/sinks/basic_sink_backend.hpp>

#include <systemd/sd-journal.h>

#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace jupyter_events::detail {
namespace {

namespace logging = boost::log;
namespace sinks = boost::log::sinks;

const char* const socket_path = "/run/systemd/journal/socket";

class journal_backend : public sinks::basic_formatted_sink_backend<char, sinks::synchronized_feeding> {
public:
    journal_backend(std::string ident, int facility, std::shared_ptr<sink_failures> failures)
        : identifier_("SYSLOG_IDENTIFIER=" + ident),
          facility_(facility >= 0 ? "SYSLOG_FACILITY=" + std::to_string(facility) : std::string()),
          failures_(std::move(failures)) {}

    void consume(const logging::record_view& rec, const string_type& line) {
        message_.assign("MESSAGE=").append(line);
        schema_.assign("EVENT_SCHEMA=");
        if (auto v = logging::extract<std::string>("EventSchema", rec)) schema_ += *v;
        version_.assign("EVENT_SCHEMA_VERSION=");
        if (auto v = logging::extract<std::string>("EventSchemaVersion", rec)) version_ += *v;
        static const char priority[] = "PRIORITY=6";  // info
        iovec fields[6];
        int n = 0;
        auto add = [&](const char* data, std::size_t size) {
            fields[n].iov_base = const_cast<char*>(data);
            fields[n].iov_len = size;
            ++n;
        };
        add(message_.data(), message_.size());
        add(schema_.data(), schema_.size());
        add(version_.data(), version_.size());
        add(priority, sizeof priority - 1);
        add(identifier_.data(), identifier_.size());
        if (!facility_.empty()) add(facility_.data(), facility_.size());
        // sd_journal_sendv reports success when journald is not running at all (it drops
        // the entry on ENOENT by design); an event log must see that.
        if (::access(socket_path, F_OK) != 0) {
            const int err = errno;
            failures_->write_failed(std::string("journald is not running (") + socket_path + ": " +
                                    std::strerror(err) + ")");
            return;
        }
        if (const int rc = ::sd_journal_sendv(fields, n); rc < 0)
            failures_->write_failed("journald: " + std::string(std::strerror(-rc)));
    }

private:
    std::string identifier_, facility_;
    std::shared_ptr<sink_failures> failures_;
    std::string message_, schema_, version_;  // reused: no allocation per event once warm
};

}  // namespace

boost::shared_ptr<sinks::sink> make_journal_sink(const sink_context& ctx) {
    const handler_config& h = ctx.h;
    std::string ident = "jupyter-events";
    if (const std::string* v = sink_setting(h, "Ident")) {
        ident = *v;
        if (ident.empty() || ident.find('\n') != std::string::npos)
            sink_config_fail(h, "Ident", "expected a non-empty single-line name (" + *v + ")");
    }
    int facility = -1;
    if (const std::string* f = sink_setting(h, "Facility")) {
        facility = syslog_facility_code(*f);
        if (facility < 0)
            sink_config_fail(h, "Facility", "unknown syslog facility (" + *f + "); use user, daemon, local0 ... local7");
    }
    if (!ctx.create_files) return {};
    auto failures = ctx.failures();
    return make_frontend(boost::make_shared<journal_backend>(ident, facility, failures), ctx, failures);
}

}  // namespace jupyter_events::detail
