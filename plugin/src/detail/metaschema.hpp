// The Jupyter event meta-schema (schemas/event-metaschema.yml, embedded), as in
// jupyter_events' validators.py: what every registered event schema must satisfy.
#pragma once

#include <jupyter_events/error.hpp>

#include "detail/validator.hpp"

#include <boost/json/value.hpp>

#include <vector>

namespace jupyter_events::detail {

/// Checks `schema` against the event meta-schema and JSON Schema draft 7. Issues carry
/// the JSON pointer into `schema` and a message with a hint of what to do. An integer
/// `version` is accepted (the seed README uses `version: 1`). Thread-safe.
std::vector<validation_issue> check_event_schema(const boost::json::value& schema);

/// A resolver that knows the embedded meta-schemas (draft 7, event, property) by URI.
std::shared_ptr<const boost::json::value> resolve_embedded(std::string_view uri);

}  // namespace jupyter_events::detail
