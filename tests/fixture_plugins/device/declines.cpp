// An entry point that returns NULL (declines to load).
#include "test_plugin.hpp"
extern "C" DFX_EXPORT const dfx_plugin_info* dfx_plugin_entry(uint16_t, uint16_t) {
  return nullptr;
}
