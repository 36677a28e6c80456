/// \file jupyter_events.hpp
/// Umbrella header: everything an application needs to record Jupyter events.
#pragma once

#include <jupyter_events/config.hpp>
#include <jupyter_events/config_loader.hpp>
#include <jupyter_events/error.hpp>
#include <jupyter_events/event_logger.hpp>
#include <jupyter_events/event_schema.hpp>
#include <jupyter_events/schema_registry.hpp>
#include <jupyter_events/version.hpp>
