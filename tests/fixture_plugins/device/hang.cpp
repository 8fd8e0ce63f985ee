// Never returns and ignores should_stop: only the host's kill ends it.
#include <unistd.h>

#include "test_plugin.hpp"

static dfx_status probe(const dfx_host_api*, dfx_host*, const dfx_usb_device*) {
  for (;;) pause();
}
DFX_TEST_PLUGIN("hang", DFX_ABI_MAJOR, DFX_ABI_MINOR, DFX_PLUGIN_DEVICE, probe)
