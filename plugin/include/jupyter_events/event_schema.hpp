/// \file event_schema.hpp
/// One registered event schema (the port of jupyter_events' `schema.py`).
#pragma once

#include <jupyter_events/error.hpp>
#include <jupyter_events/export.hpp>

#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <vector>

namespace jupyter_events {

/// A validated, compiled event schema: `$id`, `version` and a draft-7 validator.
/// Obtained from `schema_registry`; immutable and safe to use from many threads.
class JUPYTER_EVENTS_EXPORT event_schema {
public:
    /// The schema's `$id`, e.g. "https://example.org/file-save".
    const std::string& id() const noexcept;
    /// The version as a string ("1" for `version: 1`).
    const std::string& version() const noexcept;
    /// The schema document as registered (its `version` normalized to a string).
    const boost::json::value& json() const noexcept;
    /// Where it came from: a file path, or "<text>" / "<json>".
    const std::string& source() const noexcept;

    /// True iff `event` is a JSON object that validates and has no top-level "__" key.
    /// Allocates nothing for valid events of ordinary schemas.
    bool is_valid(const boost::json::value& event) const noexcept;

    /// Like is_valid, and appends one issue per failing JSON pointer.
    bool validate(const boost::json::value& event, std::vector<validation_issue>& issues) const;

    struct JUPYTER_EVENTS_NO_EXPORT impl;
    explicit event_schema(std::shared_ptr<const impl> p) noexcept : impl_(std::move(p)) {}

private:
    friend class schema_registry;
    friend class event_logger;
    std::shared_ptr<const impl> impl_;
};

}  // namespace jupyter_events
