// Helpers for the deliberately misbehaving plugins used by the tests: a plain C ABI entry point
// whose reported fields each test plugin can bend.
#pragma once

#include <dfx/plugin.h>
#include <dfx_plugin_manifest.h>  // version and name from the fixture's manifest

#define DFX_TEST_PLUGIN(ID, MAJOR, MINOR, KIND, PROBE)                                \
  extern "C" DFX_EXPORT const dfx_plugin_info* dfx_plugin_entry(uint16_t, uint16_t) { \
    static const dfx_plugin_info info = {                                             \
        sizeof(dfx_plugin_info), MAJOR,           MINOR, KIND,   ID,                  \
        DFX_PLUGIN_VERSION,      DFX_PLUGIN_NAME, PROBE, nullptr};                    \
    return &info;                                                                     \
  }
