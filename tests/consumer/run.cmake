# Builds tests/consumer against an installed jupyter_events, as a user would, and runs it.
#   MODE=shared      find_package, jupyter_events::jupyter_events and ::http (default)
#   MODE=static      find_package, jupyter_events::jupyter_events_static and ::http_static
#   MODE=pkg-config  a plain compiler command line with `pkg-config --cflags --libs`
# With BUILD_DIR, installs that build into a staging directory first and then moves it to
# WORK_DIR/prefix (the install must be relocatable); with PREFIX, uses that installed tree
# (e.g. a .deb extracted with dpkg-deb -x). Other inputs: SOURCE_DIR (tests/consumer),
# WORK_DIR (scratch, emptied), BUILD_TYPE, CXX (default c++), CXX_FLAGS, LINKER_FLAGS.
cmake_policy(VERSION 3.20)
if(NOT MODE)
  set(MODE shared)
endif()
if(NOT CXX)
  set(CXX c++)
endif()
file(REMOVE_RECURSE "${WORK_DIR}")

include("${CMAKE_CURRENT_LIST_DIR}/../run_command.cmake")

if(BUILD_DIR)
  set(staging "${WORK_DIR}/staging")
  set(prefix "${WORK_DIR}/prefix")
  run("install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${staging}")
  # Relocatable: no installed text file may name where it was built or installed.
  file(GLOB_RECURSE installed_text "${staging}/*.cmake" "${staging}/*.pc")
  get_filename_component(source_root "${SOURCE_DIR}/../.." ABSOLUTE)
  foreach(file IN LISTS installed_text)
    file(READ "${file}" text)
    foreach(path IN ITEMS "${staging}" "${BUILD_DIR}" "${source_root}")
      string(FIND "${text}" "${path}" at)
      if(NOT at EQUAL -1)
        message(FATAL_ERROR "${file} names the absolute path ${path}: the install is not relocatable")
      endif()
    endforeach()
  endforeach()
  file(RENAME "${staging}" "${prefix}")
else()
  set(prefix "${PREFIX}")
endif()

file(GLOB pc_files "${prefix}/lib/pkgconfig/jupyter_events.pc" "${prefix}/lib/*/pkgconfig/jupyter_events.pc"
                   "${prefix}/lib64/pkgconfig/jupyter_events.pc")
list(LENGTH pc_files n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one jupyter_events.pc under ${prefix}, found: ${pc_files}")
endif()
get_filename_component(pc_dir "${pc_files}" DIRECTORY)
get_filename_component(libdir "${pc_dir}" DIRECTORY)
set(ENV{LD_LIBRARY_PATH} "${libdir}")
set(bin "${WORK_DIR}/build")

if(MODE STREQUAL "pkg-config")
  set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
  file(MAKE_DIRECTORY "${bin}")
  separate_arguments(cxx_flags UNIX_COMMAND "${CXX_FLAGS}")
  separate_arguments(linker_flags UNIX_COMMAND "${LINKER_FLAGS}")
  foreach(program IN ITEMS consumer:main.cpp:jupyter_events consumer_http:http_main.cpp:jupyter_events_http)
    string(REPLACE ":" ";" program "${program}")
    list(GET program 0 name)
    list(GET program 1 source)
    list(GET program 2 package)
    run("pkg-config" pkg-config --cflags --libs ${package})
    string(STRIP "${out}" flags)
    message(STATUS "pkg-config --cflags --libs ${package}: ${flags}")
    separate_arguments(flags UNIX_COMMAND "${flags}")
    run("compiling ${name}" ${CXX} ${cxx_flags} -std=c++17 "${SOURCE_DIR}/${source}" ${flags}
        ${linker_flags} -o "${bin}/${name}")
  endforeach()
else()
  set(consumer_static OFF)
  if(MODE STREQUAL "static")
    set(consumer_static ON)
  endif()
  run("configuring the consumer" ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${bin}" -G Ninja
      "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}" -DCONSUMER_STATIC=${consumer_static}
      "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}")
  run("building the consumer" ${CMAKE_COMMAND} --build "${bin}")
endif()

# The shared variants load libjupyter_events.so; the static ones must not need it.
foreach(name IN ITEMS consumer consumer_http)
  run("readelf" readelf -d "${bin}/${name}")
  string(FIND "${out}" "[libjupyter_events.so." shared_core)
  if(MODE STREQUAL "static" AND NOT shared_core EQUAL -1)
    message(FATAL_ERROR "${name} built with MODE=static needs libjupyter_events.so:\n${out}")
  elseif(NOT MODE STREQUAL "static" AND shared_core EQUAL -1)
    message(FATAL_ERROR "${name} built with MODE=${MODE} does not use libjupyter_events.so:\n${out}")
  endif()
endforeach()

run("the consumer" "${bin}/consumer" "${WORK_DIR}/events.jsonl")
string(STRIP "${out}" out)
message(STATUS "consumer: ${out}")
run("the HTTP consumer" "${bin}/consumer_http" "${WORK_DIR}/http_events.jsonl")
string(STRIP "${out}" out)
message(STATUS "consumer_http: ${out}")
