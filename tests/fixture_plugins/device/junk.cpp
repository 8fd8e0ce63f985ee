// Writes garbage straight onto the worker's protocol socket (fd 3), as a corrupted worker would.
#include <unistd.h>

#include "test_plugin.hpp"

static dfx_status probe(const dfx_host_api*, dfx_host*, const dfx_usb_device*) {
  static const char junk[] = "HTTP/1.1 200 OK\r\n\r\nnot a frame";
  (void)!write(3, junk, sizeof junk - 1);
  for (;;) pause();  // the host must not wait for the deadline to notice
}
DFX_TEST_PLUGIN("junk", DFX_ABI_MAJOR, DFX_ABI_MINOR, DFX_PLUGIN_DEVICE, probe)
