// Exits the worker process without answering.
#include <unistd.h>

#include "test_plugin.hpp"

static dfx_status probe(const dfx_host_api*, dfx_host*, const dfx_usb_device*) {
  _exit(7);
}
DFX_TEST_PLUGIN("exit-early", DFX_ABI_MAJOR, DFX_ABI_MINOR, DFX_PLUGIN_DEVICE, probe)
