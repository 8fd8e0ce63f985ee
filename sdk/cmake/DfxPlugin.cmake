# dfx_add_plugin(<target>
#                MANIFEST <manifest.json>     # id, name, version, kind, abi, match rules
#                SOURCES <src>...
#                [OUTPUT_DIRECTORY <dir>]     # default: DFX_PLUGIN_OUTPUT_DIR or <build>/plugins
#                [NO_INSTALL])                # test fixtures: never installed
#
# Builds a plugin as a shared library named <id>.so with hidden visibility (only the entry symbol
# is exported) and writes its manifest beside it as <id>.json, adding the "library" field. The
# manifest is checked here for an "id" so that a typo fails the build, not the technician's scan.
# The written manifest's "abi" is the ABI of the SDK the library is compiled against
# (DFX_SDK_ABI), so that the manifest and the library can never disagree after an SDK update.
function(dfx_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_INSTALL" "MANIFEST;OUTPUT_DIRECTORY" "SOURCES")
  if(NOT arg_MANIFEST OR NOT arg_SOURCES)
    message(FATAL_ERROR "dfx_add_plugin(${target}): MANIFEST and SOURCES are required")
  endif()
  get_filename_component(manifest "${arg_MANIFEST}" ABSOLUTE)
  file(READ "${manifest}" json)
  string(JSON id ERROR_VARIABLE err GET "${json}" id)
  if(err)
    message(FATAL_ERROR "dfx_add_plugin(${target}): ${manifest}: no \"id\": ${err}")
  endif()
  set(out "${arg_OUTPUT_DIRECTORY}")
  if(NOT out)
    if(DFX_PLUGIN_OUTPUT_DIR)
      set(out "${DFX_PLUGIN_OUTPUT_DIR}")
    else()
      set(out "${CMAKE_BINARY_DIR}/plugins")
    endif()
  endif()

  add_library(${target} MODULE ${arg_SOURCES})
  target_link_libraries(${target} PRIVATE dfx::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME "${id}" SUFFIX ".so"
    LIBRARY_OUTPUT_DIRECTORY "${out}"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)

  string(JSON json SET "${json}" library "\"${id}.so\"")
  if(DFX_SDK_ABI)
    string(JSON json SET "${json}" abi "\"${DFX_SDK_ABI}\"")
  endif()
  file(MAKE_DIRECTORY "${out}")
  file(WRITE "${out}/${id}.json" "${json}\n")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${manifest}")

  if(DFX_PLUGIN_INSTALL_DIR AND NOT arg_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION "${DFX_PLUGIN_INSTALL_DIR}")
    install(FILES "${out}/${id}.json" DESTINATION "${DFX_PLUGIN_INSTALL_DIR}")
  endif()
endfunction()
