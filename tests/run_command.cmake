# run(<what> <command>...): runs a command for a -P script, fails the script naming <what>,
# the command line and its output when it exits non-zero; its output (stdout and stderr)
# is left in `out`. Shared by tests/consumer/run.cmake and tests/package_deb.cmake.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "${what} failed (${rc}): ${command}\n${out}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()
