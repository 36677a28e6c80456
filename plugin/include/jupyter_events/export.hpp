/// \file export.hpp
/// What the shared libraries export. They are built with -fvisibility=hidden and
/// -fvisibility-inlines-hidden, so only declarations marked `JUPYTER_EVENTS_EXPORT` are
/// visible to programs linking libjupyter_events.so / libjupyter_events_http.so; every
/// `detail::` function and every `impl` stays private. Mark each class and each non-inline
/// free function a public header declares; inline code and aggregates need no mark.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
/// Exported from the shared libraries (on a class: its members, vtable and typeinfo).
#define JUPYTER_EVENTS_EXPORT __attribute__((visibility("default")))
/// Never exported, also inside an exported class (used for the opaque `impl` structs).
#define JUPYTER_EVENTS_NO_EXPORT __attribute__((visibility("hidden")))
#else
#define JUPYTER_EVENTS_EXPORT
#define JUPYTER_EVENTS_NO_EXPORT
#endif
