// Reports an id that differs from its manifest's.
#include "test_plugin.hpp"
static dfx_status probe(const dfx_host_api*, dfx_host*, const dfx_usb_device*) {
  return DFX_OK;
}
DFX_TEST_PLUGIN("somebody-else", DFX_ABI_MAJOR, DFX_ABI_MINOR, DFX_PLUGIN_DEVICE, probe)
