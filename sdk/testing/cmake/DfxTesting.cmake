# CMake helpers of the dfx testing kit (dfx::testing), in the dfx tree and from an installed SDK
# (find_package(dfx-sdk) includes this file).
#
# dfx_testing_add_gtests(<target> [PREFIX <prefix>] [TIMEOUT <seconds>])
#   Registers every GoogleTest test of <target> as its own ctest test ("<prefix>.<Suite>.<Test>",
#   no prefix when omitted), run under umockdev's preload (umockdev-wrapper) with a private,
#   freshly emptied TMPDIR, since a testbed needs both. Link the program with dfx::testing_main
#   (its main() refuses at once outside the preload, saying how to run it).
#
# dfx_testing_add_handset_checks(<target> HANDSETS <dir> [PREFIX <prefix>]
#                                [REGISTER <function> INCLUDE <header>] [LINK <lib>...])
#   Checks a folder of handset files: each loads with a known behaviour, plugs, enumerates through
#   libusb and shows its descriptors and strings in the real `lsusb -v`. Handsets that need
#   behaviour modules of their own name a function (tl::expected<void, std::string>
#   (BehaviorRegistry&)) that adds them, the header declaring it and the library defining it.
#
# dfx_add_emulator(<target> NAME <name> SOURCES <src>...)
#   Builds an emulator module: behaviour modules for virtual handsets (a vendor's protocol, played
#   by the device), registered with DFX_TESTING_EMULATOR_MODULE(fn). It lands in
#   <build>/lib/dfx/emulators/<name>.so (DFX_EMULATOR_OUTPUT_DIR), where dfx-lab and
#   BehaviorRegistry::default_emulator_dirs() find it; give dfx-lab --emulators DIR or set
#   DFX_EMULATOR_PATH for another folder.

find_program(DFX_UMOCKDEV_WRAPPER umockdev-wrapper)
if(NOT DFX_UMOCKDEV_WRAPPER)
  message(FATAL_ERROR "dfx testing kit: umockdev-wrapper not found (Debian package umockdev)")
endif()
include(GoogleTest)

function(dfx_testing_add_gtests target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "PREFIX;TIMEOUT" "")
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 120)
  endif()
  set(prefix "")
  if(arg_PREFIX)
    set(prefix "${arg_PREFIX}.")
  endif()
  # ctest and test discovery run the program through the preload, as a cross-compiled program
  # runs through its emulator.
  set_target_properties(${target} PROPERTIES CROSSCOMPILING_EMULATOR
    "sh;${CMAKE_CURRENT_FUNCTION_LIST_DIR}/run-in-testbed.sh;${DFX_UMOCKDEV_WRAPPER};${CMAKE_CURRENT_BINARY_DIR}/tmp-${target}")
  gtest_discover_tests(${target} TEST_PREFIX "${prefix}" DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT ${arg_TIMEOUT})
endfunction()

function(dfx_testing_add_handset_checks target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "HANDSETS;PREFIX;REGISTER;INCLUDE" "LINK")
  if(NOT arg_HANDSETS)
    message(FATAL_ERROR "dfx_testing_add_handset_checks(${target}): HANDSETS is required")
  endif()
  get_filename_component(dir "${arg_HANDSETS}" ABSOLUTE)
  find_package(PkgConfig REQUIRED)
  if(NOT TARGET PkgConfig::DFX_TESTING_LIBUSB)
    pkg_check_modules(DFX_TESTING_LIBUSB REQUIRED IMPORTED_TARGET libusb-1.0)
  endif()
  set(checks "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../checks")
  if(NOT EXISTS "${checks}/handset_checks.cpp")
    set(checks "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/checks")  # installed layout
  endif()
  add_executable(${target} "${checks}/handset_checks.cpp")
  target_include_directories(${target} PRIVATE "${checks}")
  target_link_libraries(${target} PRIVATE dfx::testing_main PkgConfig::DFX_TESTING_LIBUSB ${arg_LINK})
  target_compile_definitions(${target} PRIVATE DFX_TESTING_CATALOGUE_DIR="${dir}")
  if(arg_REGISTER)
    target_compile_definitions(${target} PRIVATE DFX_TESTING_CATALOGUE_REGISTER=${arg_REGISTER}
                                                 DFX_TESTING_CATALOGUE_INCLUDE="${arg_INCLUDE}")
  endif()
  if(COMMAND dfx_use_test_pch)  # in the dfx tree: its shared precompiled GoogleTest header
    dfx_use_test_pch(${target})
  endif()
  dfx_testing_add_gtests(${target} PREFIX "${arg_PREFIX}")
endfunction()

function(dfx_add_emulator target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "NAME" "SOURCES")
  if(NOT arg_NAME OR NOT arg_SOURCES)
    message(FATAL_ERROR "dfx_add_emulator(${target}): NAME and SOURCES are required")
  endif()
  if(NOT DFX_EMULATOR_OUTPUT_DIR)
    set(DFX_EMULATOR_OUTPUT_DIR "${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_LIBDIR}/dfx/emulators")
  endif()
  add_library(${target} MODULE ${arg_SOURCES})
  target_link_libraries(${target} PRIVATE dfx::testing)
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME "${arg_NAME}" SUFFIX ".so"
    LIBRARY_OUTPUT_DIRECTORY "${DFX_EMULATOR_OUTPUT_DIR}"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${target} PRIVATE "LINKER:-z,defs")
endfunction()
