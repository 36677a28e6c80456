/// \file error.hpp
/// The one error vocabulary of jupyter_events: `errc`, its category and `error`.
#pragma once

#include <jupyter_events/export.hpp>

#include <string>
#include <system_error>
#include <vector>

namespace jupyter_events {

/// What went wrong. Callers branch on these values, never on message text.
enum class errc {
    ok = 0,
    invalid_schema = 1,       ///< a schema breaks the meta-schema rules
    duplicate_schema,         ///< the same ($id, version) registered twice
    unregistered_schema,      ///< record_event for an unknown ($id, version)
    validation_error,         ///< an event does not validate against its schema
    invalid_event,            ///< an event is not a JSON object, or unrepresentable
    config_error,             ///< a configuration file or struct is wrong
    io_error,                 ///< a file or directory cannot be read
    parse_error,              ///< YAML or JSON text cannot be parsed
    not_allowed,              ///< the schema is not in allowed_schemas (not an error for record_event)
    write_failed,             ///< a handler failed to write the record
    invalid_argument,         ///< an API argument is malformed (e.g. a bad timestamp)
    modifier_failed,          ///< a modifier threw; the event was not written
    fetch_failed,             ///< a schema URL could not be fetched
};

/// The category named "jupyter_events". Thread-safe, lives forever.
JUPYTER_EVENTS_EXPORT const std::error_category& error_category() noexcept;

/// Makes an `std::error_code` of the jupyter_events category.
inline std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), error_category()};
}

/// One failing place of a validation: where in the instance, which schema keyword, and why.
struct validation_issue {
    std::string instance_pointer;  ///< JSON pointer into the event, "" for the whole event
    std::string schema_pointer;    ///< JSON pointer into the schema, to the failing keyword
    std::string message;           ///< e.g. `"hi" is not one of ["success","failure"]`
};

/// The one exception type. `code()` tells the `errc`; `what()` is the located message
/// `<operation>: <problem> (<value>)[; <hint>]`; `issues()` lists validation failures.
class JUPYTER_EVENTS_EXPORT error : public std::system_error {
public:
    error(errc code, const std::string& message, std::vector<validation_issue> issues = {});
    /// Validation failures (empty unless code() is validation_error or invalid_schema).
    const std::vector<validation_issue>& issues() const noexcept { return issues_; }
    /// The `errc` of this error.
    errc kind() const noexcept { return static_cast<errc>(code().value()); }
    /// The message exactly as given (std::system_error would append the category text).
    const char* what() const noexcept override { return message_.c_str(); }

private:
    std::vector<validation_issue> issues_;
    std::string message_;
};

}  // namespace jupyter_events

template <>
struct std::is_error_code_enum<jupyter_events::errc> : std::true_type {};
