// Helpers for the deliberately misbehaving plugins used by the tests: a plain C ABI entry point
// whose reported fields each test plugin can bend.
#pragma once

#include <dfx/plugin.h>

#define DFX_TEST_PLUGIN(ID, MAJOR, MINOR, KIND, PROBE)                                     \
  extern "C" DFX_EXPORT const dfx_plugin_info* dfx_plugin_entry(uint16_t, uint16_t) {     \
    static const dfx_plugin_info info = {sizeof(dfx_plugin_info), MAJOR, MINOR, KIND, ID, \
                                         "0.0.1", "test plugin " ID, PROBE, nullptr};      \
    return &info;                                                                          \
  }
