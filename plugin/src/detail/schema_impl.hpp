// The private state behind jupyter_events::event_schema.
#pragma once

#include <jupyter_events/event_schema.hpp>

#include "detail/redaction.hpp"
#include "detail/validator.hpp"

#include <memory>
#include <string>

namespace jupyter_events {

struct event_schema::impl {
    std::string id;
    std::string version;
    std::shared_ptr<const boost::json::value> document;
    std::string source;
    detail::compiled_schema validator;
    std::shared_ptr<const detail::category_plan> categories;  // where `categories` are declared
};

}  // namespace jupyter_events
