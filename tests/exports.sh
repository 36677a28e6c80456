#!/usr/bin/env bash
# Checks what the shared libraries export. They are built with -fvisibility=hidden and
# export what jupyter_events/export.hpp marks: the public API must be there; detail::,
# server_detail:: and the opaque impl structs must not; and libjupyter_events_http.so must
# hold no copy of the core (a second error category or logger would break callers).
# Usage: exports.sh NM libjupyter_events.so libjupyter_events_http.so
set -euo pipefail
nm=$1 core=$2 http=$3
status=0

check() {
  local lib=$1; shift
  local exported
  exported=$("$nm" -D -C --defined-only "$lib")
  echo "$lib: $(wc -l <<<"$exported") exported symbols, $(grep -c 'jupyter_events::' <<<"$exported") of them jupyter_events::"
  if grep -E 'jupyter_events::(server_)?detail::|jupyter_events::[a-z_]+::impl\b' <<<"$exported"; then
    echo "FAIL: $lib exports the private symbols above" >&2
    status=1
  fi
  local symbol
  for symbol in "$@"; do
    if ! grep -qE " [TWVDBRu] $symbol" <<<"$exported"; then
      echo "FAIL: $lib does not export $symbol" >&2
      status=1
    fi
  done
}

check "$core" \
  'jupyter_events::event_logger::record_event\(' \
  'jupyter_events::event_logger::try_record_event\(' \
  'jupyter_events::event_logger::event_logger\(jupyter_events::config const&\)' \
  'jupyter_events::schema_registry::register_schema_file\(' \
  'jupyter_events::event_schema::validate\(' \
  'jupyter_events::load_config\(' \
  'jupyter_events::register_log_factories\(\)' \
  'jupyter_events::error_category\(\)' \
  'jupyter_events::error::error\(' \
  'typeinfo for jupyter_events::error$'
check "$http" \
  'jupyter_events::event_server::event_server\(' \
  'jupyter_events::event_server::start\(\)' \
  'jupyter_events::event_server::metrics'

# The HTTP library links the core; its own symbol table (hidden symbols included) must
# define none of the core's functions.
if "$nm" -C --defined-only "$http" |
   grep -E ' [TtWw] jupyter_events::(error_category|event_logger::|schema_registry::|detail::logger_state)'; then
  echo "FAIL: $http contains the copies of core code above" >&2
  status=1
fi
exit $status
