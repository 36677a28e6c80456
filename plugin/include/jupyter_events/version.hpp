/// \file version.hpp
/// The library's version.
#pragma once

#define JUPYTER_EVENTS_VERSION_MAJOR 0
#define JUPYTER_EVENTS_VERSION_MINOR 1
#define JUPYTER_EVENTS_VERSION_PATCH 0

namespace jupyter_events {

/// "0.1.0"
constexpr const char* version_string = "0.1.0";

/// The Jupyter event envelope's __metadata_version__.
constexpr int metadata_version = 1;

}  // namespace jupyter_events
