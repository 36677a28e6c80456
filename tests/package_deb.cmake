# The Debian package: runs cpack -G DEB on BUILD_DIR, checks the .deb's control fields and
# contents with dpkg-deb --info/--contents, extracts it with dpkg-deb -x into a scratch
# root, runs the packaged CLI on the packaged sample config, and builds and runs
# tests/consumer against the extracted /usr (find_package shared and static, pkg-config).
# Inputs: CPACK, BUILD_DIR, WORK_DIR, VERSION, WITH_JOURNAL, and run.cmake's SOURCE_DIR,
# BUILD_TYPE, CXX, CXX_FLAGS, LINKER_FLAGS.
cmake_policy(VERSION 3.20)
file(REMOVE_RECURSE "${WORK_DIR}")

include("${CMAKE_CURRENT_LIST_DIR}/run_command.cmake")

function(expect what text)
  foreach(regex IN LISTS ARGN)
    if(NOT text MATCHES "${regex}")
      message(FATAL_ERROR "${what}: nothing matches ${regex} in\n${text}")
    endif()
  endforeach()
endfunction()

run("cpack" ${CPACK} -G DEB --config "${BUILD_DIR}/CPackConfig.cmake" -B "${WORK_DIR}/out")
run("dpkg --print-architecture" dpkg --print-architecture)
string(STRIP "${out}" arch)
set(deb "${WORK_DIR}/out/jupyter-events_${VERSION}_${arch}.deb")
if(NOT EXISTS "${deb}")
  file(GLOB made "${WORK_DIR}/out/*.deb")
  message(FATAL_ERROR "cpack did not write ${deb} (it wrote: ${made})")
endif()
file(SIZE "${deb}" size)
message(STATUS "${deb}: ${size} bytes")

run("dpkg-deb --info" dpkg-deb --info "${deb}")
message(STATUS "${out}")
set(runtime_depends "libboost-log1\\.81\\.0" "libboost-json1\\.81\\.0" "libyaml-cpp0\\.7" "libstdc\\+\\+6")
if(WITH_JOURNAL)
  list(APPEND runtime_depends "libsystemd0")
endif()
expect("control fields" "${out}"
  "\n Package: jupyter-events\n" "\n Version: ${VERSION}\n" "\n Architecture: ${arch}\n"
  "\n Section: libdevel\n" "\n Maintainer: [^\n]+<[^\n]+@[^\n]+>\n"
  "\n Description: Schema-validated Jupyter event logging for Boost\\.Log\n  [A-Za-z]"
  "\n shlibs\n|  *[0-9]+ bytes, +[0-9]+ lines +shlibs"
  "\n Depends:[^\n]*libboost-log1\\.81-dev" "\n Depends:[^\n]*libboost-json1\\.81-dev")
foreach(dep IN LISTS runtime_depends)
  expect("Depends" "${out}" "\n Depends:[^\n]*${dep}")
endforeach()

run("dpkg-deb --contents" dpkg-deb --contents "${deb}")
set(contents "${out}")
expect("contents" "${contents}"
  " \\./usr/bin/jupyter-events\n"
  " \\./usr/include/jupyter_events/jupyter_events\\.hpp\n"
  " \\./usr/include/jupyter_events/export\\.hpp\n"
  " \\./usr/lib/[^\n]*libjupyter_events\\.a\n"
  " \\./usr/lib/[^\n]*libjupyter_events\\.so\\.${VERSION}\n"
  " \\./usr/lib/[^\n]*libjupyter_events_http\\.a\n"
  " \\./usr/lib/[^\n]*libjupyter_events_http\\.so\\.${VERSION}\n"
  " \\./usr/lib/[^\n]*cmake/jupyter_events/jupyter_eventsConfig\\.cmake\n"
  " \\./usr/lib/[^\n]*cmake/jupyter_events/jupyter_eventsConfigVersion\\.cmake\n"
  " \\./usr/lib/[^\n]*pkgconfig/jupyter_events\\.pc\n"
  " \\./usr/share/jupyter_events/schemas/event-metaschema\\.yml\n"
  " \\./usr/share/jupyter_events/config/example\\.yaml\n")
foreach(private IN ITEMS "/detail/" "validator")
  string(FIND "${contents}" "${private}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "the package contains private files (${private}):\n${contents}")
  endif()
endforeach()

set(root "${WORK_DIR}/root")
run("dpkg-deb -x" dpkg-deb -x "${deb}" "${root}")
# The packaged CLI on the packaged sample config: schemas and configs are where it expects.
set(ENV{EVENTS_DIR} "${WORK_DIR}")
run("jupyter-events check-config" "${root}/usr/bin/jupyter-events" check-config
    "${root}/usr/share/jupyter_events/config/example.yaml")
message(STATUS "${out}")

foreach(mode IN ITEMS shared static pkg-config)
  run("consumer (${mode}) against the extracted package" ${CMAKE_COMMAND} -DMODE=${mode} "-DPREFIX=${root}/usr"
      "-DWORK_DIR=${WORK_DIR}/consumer-${mode}" "-DSOURCE_DIR=${SOURCE_DIR}" "-DBUILD_TYPE=${BUILD_TYPE}"
      "-DCXX=${CXX}" "-DCXX_FLAGS=${CXX_FLAGS}" "-DLINKER_FLAGS=${LINKER_FLAGS}"
      -P "${SOURCE_DIR}/run.cmake")
  message(STATUS "consumer (${mode}):\n${out}")
endforeach()
