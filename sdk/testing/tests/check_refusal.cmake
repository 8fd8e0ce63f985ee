# Runs a kit test program WITHOUT umockdev's preload and checks that it refuses
# at once with the exit status and the message telling how to run it.
# cmake -DPROGRAM=<test program> -P check_refusal.cmake
cmake_minimum_required(VERSION 3.20)
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=LD_PRELOAD ${PROGRAM}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 30)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "expected exit status 2 outside umockdev, got '${rc}'\nstdout: ${out}\nstderr: ${err}")
endif()
foreach(needle "umockdev-wrapper" "LD_PRELOAD=libumockdev-preload.so.0")
  string(FIND "${err}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the refusal message does not mention '${needle}':\n${err}")
  endif()
endforeach()
string(FIND "${out}" "[ RUN      ]" ran)
if(NOT ran EQUAL -1)
  message(FATAL_ERROR "tests ran although the preload is missing:\n${out}")
endif()
message(STATUS "refused as expected:\n${err}")
