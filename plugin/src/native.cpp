#include <jupyter_events/native.hpp>

#include "detail/input_json.hpp"
#include "detail/logger_access.hpp"
#include "detail/native_bridges.hpp"

#include <jupyter_events/error.hpp>

#include <boost/log/attributes/attribute_value_impl.hpp>
#include <boost/log/attributes/value_extraction.hpp>
#include <boost/log/core.hpp>
#include <boost/log/sinks/basic_sink_backend.hpp>
#include <boost/log/sinks/unlocked_frontend.hpp>
#include <boost/make_shared.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

namespace jupyter_events {

namespace logging = boost::log;
namespace sinks = boost::log::sinks;
namespace json = boost::json;

// Shared by the handle, the sink's backend (a record in flight may reach the backend after
// the handle is gone) and the registry of attached bridges.
struct native_bridge::impl {
    std::atomic<event_logger*> logger{nullptr};  // null once detached
    std::atomic<int> in_flight{0};               // threads inside the logger through this bridge
    std::atomic<bool> detached{false};
    unsigned logger_id = 0;
    logging::filter selector;
    boost::shared_ptr<sinks::sink> sink;  // reset on detach, which breaks impl -> sink -> backend -> impl
    std::mutex detach_mutex;               // the handle and the logger's destructor may both detach

    void detach() noexcept;

    // Calls fn(logger) unless detached. detach() stores null and then waits for in_flight
    // to drop to zero; both sides use seq_cst, so either this sees null or detach sees us.
    // (A counter, not a lock: fn may log again on this thread and come back here.)
    template <typename Fn>
    void with_logger(Fn&& fn) noexcept {
        in_flight.fetch_add(1, std::memory_order_seq_cst);
        if (event_logger* l = logger.load(std::memory_order_seq_cst)) fn(*l);
        in_flight.fetch_sub(1, std::memory_order_seq_cst);
    }
};

namespace {

const logging::attribute_name& event_name() {
    static const logging::attribute_name name("JupyterEvent");
    return name;
}

// The attached bridges, for the check in operator<< and the one-bridge-per-logger rule.
struct bridge_registry {
    std::shared_mutex mutex;
    std::vector<std::shared_ptr<native_bridge::impl>> bridges;
};

bridge_registry& attached_bridges() {
    static bridge_registry r;  // leaked order-wise only at exit, after every bridge went
    return r;
}

// " (schema ID vN)" for messages, resolved like the pipeline resolves it.
std::string schema_suffix(event_logger& logger, const event& ev) {
    if (const event_schema* s = logger.registry().find(ev.schema_id(), ev.version()))
        return " (schema " + s->id() + " v" + s->version() + ")";
    return " (schema " + ev.schema_id() + (ev.version().empty() ? "" : " v" + ev.version()) + ")";
}

// Records `ev` through the logger's own pipeline, so envelope, redaction, handlers, stats
// and listeners are exactly record_event's; what the caller of record_event would have
// been told goes to the error handler instead (there is no caller here).
void forward(event_logger& logger, const event& ev) noexcept {
    try {
        if (!ev.is_text()) {
            record_outcome out = logger.try_record_event(ev.schema_id(), ev.version(), ev.payload(), ev.timestamp());
            if (!out) detail::logger_access::report(logger, out.message);
            return;
        }
        std::string problem;
        if (auto payload = detail::parse_event_json(ev.json_text(), problem)) {
            record_outcome out = logger.try_record_event(ev.schema_id(), ev.version(), *payload, ev.timestamp());
            if (!out) detail::logger_access::report(logger, out.message);
            return;
        }
        // Not JSON. A null payload takes the pipeline's own path (fast path, allow-list,
        // registry, then rejected and counted as invalid_event); only the words differ.
        record_outcome out = logger.try_record_event(ev.schema_id(), ev.version(), json::value(), ev.timestamp());
        if (out.code == errc::invalid_event)
            detail::logger_access::report(logger, "record event: payload: " + problem + schema_suffix(logger, ev) +
                                                      "; stream a JSON object, e.g. R\"({\"a\":1})\"");
        else if (!out)
            detail::logger_access::report(logger, out.message);
    } catch (...) {  // bad_alloc while building a message: nothing more to do
    }
}

// The bridge's sink backend: called by the core with the records the frontend's filter
// selected, without any core lock held (core::push_record feeds sinks outside its
// mutex), so recording through the core again from here cannot deadlock.
class bridge_backend : public sinks::basic_sink_backend<sinks::concurrent_feeding> {
public:
    explicit bridge_backend(std::shared_ptr<native_bridge::impl> state) : state_(std::move(state)) {}

    void consume(const logging::record_view& rec) noexcept {
        try {
            auto ev = logging::extract<event>(event_name(), rec);
            if (!ev) return;  // selected, but carries no event: an ordinary line
            state_->with_logger([&](event_logger& logger) { forward(logger, ev.get()); });
        } catch (...) {  // extraction cannot fail for a matching type; never throw into the core
        }
    }

private:
    std::shared_ptr<native_bridge::impl> state_;
};

void attach_event(logging::basic_record_ostream<char>& strm, logging::attribute_value value, const event& ev) noexcept {
    try {
        logging::record& rec = strm.get_record();
        if (!rec) return;
        auto& values = rec.attribute_values();
        const bool first = values.insert(event_name(), value).second;
        // When bridges are attached but none of them opened this record, its event is
        // lost: say so (a common slip: logging on a channel the selector does not take).
        std::vector<std::shared_ptr<native_bridge::impl>> told;
        {
            std::shared_lock lock(attached_bridges().mutex);
            if (first)
                for (const auto& b : attached_bridges().bridges)
                    if (b->selector(values)) return;
            told = attached_bridges().bridges;
        }
        if (told.empty()) return;
        std::string channel = "no Channel";
        if (auto c = logging::extract<std::string>("Channel", values)) channel = "Channel " + *c;
        const std::string what = first ? "no native_bridge takes this Boost.Log record (" + channel + ")"
                                       : std::string("a Boost.Log record carries one event, this second one is ignored");
        for (const auto& b : told)
            b->with_logger([&](event_logger& logger) {
                detail::logger_access::report(logger, "record event: " + what + schema_suffix(logger, ev) +
                                                          (first ? "; log events on channel jupyter_events or widen "
                                                                   "bridge_options::selector"
                                                                 : "; stream one event per logging statement"));
            });
    } catch (...) {
    }
}

}  // namespace

event::event(std::string_view schema_id, schema_version version, std::string_view json_text,
             std::string_view timestamp)
    : schema_id_(schema_id), version_(version.str()), timestamp_(timestamp), text_(json_text), is_text_(true) {}

event::event(std::string_view schema_id, schema_version version, json::value payload, std::string_view timestamp)
    : schema_id_(schema_id), version_(version.str()), timestamp_(timestamp), payload_(std::move(payload)) {}

logging::basic_record_ostream<char>& operator<<(logging::basic_record_ostream<char>& strm, const event& e) {
    try {
        attach_event(strm, logging::attributes::make_attribute_value(e), e);
    } catch (...) {  // copying the event failed (bad_alloc): it is lost, the statement goes on
    }
    return strm;
}

logging::basic_record_ostream<char>& operator<<(logging::basic_record_ostream<char>& strm, event&& e) {
    try {
        logging::attribute_value value = logging::attributes::make_attribute_value(std::move(e));
        const event& stored = value.extract<event>().get();  // e was moved from
        attach_event(strm, value, stored);
    } catch (...) {
    }
    return strm;
}

native_bridge::native_bridge(event_logger& logger, bridge_options options) : impl_(std::make_shared<impl>()) {
    impl_->logger_id = logger.id();
    impl_->logger.store(&logger);
    if (options.selector) {
        impl_->selector = *options.selector;
    } else {
        impl_->selector = [](const logging::attribute_value_set& values) {
            static const logging::attribute_name channel("Channel");
            auto c = logging::extract<std::string>(channel, values);
            return c && *c == "jupyter_events";
        };
    }
    auto sink = boost::make_shared<sinks::unlocked_sink<bridge_backend>>(boost::make_shared<bridge_backend>(impl_));
    // Records written by any event_logger carry EventLoggerId; they are never native
    // events, and taking them would only cost (and could loop through a wide selector).
    sink->set_filter([selector = impl_->selector](const logging::attribute_value_set& values) {
        static const logging::attribute_name logger_id("EventLoggerId");
        return values.find(logger_id) == values.end() && selector(values);
    });

    std::unique_lock lock(attached_bridges().mutex);
    for (const auto& b : attached_bridges().bridges)
        if (b->logger_id == impl_->logger_id)  // (sink and impl, which hold each other, go together)
            throw error(errc::invalid_argument, "attach native bridge: event_logger " + std::to_string(logger.id()) +
                                                    " already has one; keep a single native_bridge per logger "
                                                    "(each would record every event again)");
    attached_bridges().bridges.push_back(impl_);
    try {
        logging::core::get()->add_sink(sink);
    } catch (...) {
        attached_bridges().bridges.pop_back();
        throw;
    }
    impl_->sink = sink;
}

native_bridge::~native_bridge() { detach(); }

native_bridge::native_bridge(native_bridge&& other) noexcept = default;

native_bridge& native_bridge::operator=(native_bridge&& other) noexcept {
    if (this != &other) {
        detach();
        impl_ = std::move(other.impl_);
    }
    return *this;
}

void native_bridge::detach() noexcept {
    if (impl_) impl_->detach();
}

void native_bridge::impl::detach() noexcept {
    std::lock_guard guard(detach_mutex);
    if (!sink) return;
    try {
        // Out of the core first: from here no new record selects the bridge.
        logging::core::get()->remove_sink(sink);
    } catch (...) {
    }
    {
        std::unique_lock lock(attached_bridges().mutex);
        auto& all = attached_bridges().bridges;
        all.erase(std::remove_if(all.begin(), all.end(), [this](const auto& b) { return b.get() == this; }), all.end());
    }
    // Records opened before the removal may still arrive; they find no logger.
    logger.store(nullptr, std::memory_order_seq_cst);
    while (in_flight.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
    sink.reset();
    detached.store(true, std::memory_order_release);
}

void detail::detach_native_bridges(unsigned logger_id) noexcept {
    std::vector<std::shared_ptr<native_bridge::impl>> mine;
    try {
        std::shared_lock lock(attached_bridges().mutex);
        for (const auto& b : attached_bridges().bridges)
            if (b->logger_id == logger_id) mine.push_back(b);
    } catch (...) {
    }
    for (const auto& b : mine) b->detach();
}

bool native_bridge::attached() const noexcept { return impl_ && !impl_->detached.load(std::memory_order_acquire); }

}  // namespace jupyter_events
