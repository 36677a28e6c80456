# The Debian package. `cpack -G DEB` (or plain `cpack`) in a build directory writes
# jupyter-events_<version>_<arch>.deb with everything `cmake --install` installs under
# /usr: the CLI, libjupyter_events{,_http}.so.* and .a, headers, CMake package, pkg-config
# file, meta-schemas and sample configs in /usr/share/jupyter_events.
#
# One package, runtime and development files together (the library is small and has one
# user-facing binary). Depends: the runtime libraries dpkg-shlibdeps finds (Boost.Log/JSON
# 1.81, yaml-cpp, libsystemd, libstdc++...) plus the Boost -dev packages whose headers and
# CMake configurations the public headers and jupyter_eventsConfig.cmake need. Recommends:
# what linking the static libraries needs besides (libyaml-cpp-dev, libsystemd-dev).
set(CPACK_PACKAGE_NAME jupyter-events)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "jupyter_events for C++")
set(CPACK_PACKAGE_CONTACT "jupyter_events for C++ maintainers <maintainers@users.noreply.r-seed-37761332.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Schema-validated Jupyter event logging for Boost.Log")
set(CPACK_PACKAGE_DESCRIPTION
  "A C++17 library and the jupyter-events command bringing Jupyter Events to\n"
  "programs that log with Boost.Log: events are validated against JSON Schemas,\n"
  "wrapped in the Jupyter envelope and written as JSON Lines by Boost.Log sinks\n"
  "configured from a YAML file. Contains the HTTP event endpoint, the shared and\n"
  "static libraries, headers, the CMake package (find_package(jupyter_events)),\n"
  "pkg-config files, meta-schemas and sample configurations.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libjupyter_events_http.so needs libjupyter_events.so, which is in this package.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/plugin)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libboost-log1.81-dev, libboost-json1.81-dev")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libyaml-cpp-dev")
if(JUPYTER_EVENTS_WITH_JOURNAL)
  string(APPEND CPACK_DEBIAN_PACKAGE_RECOMMENDS ", libsystemd-dev")
endif()

include(CPack)
