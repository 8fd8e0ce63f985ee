// Claims one value, then dies of SIGSEGV: the claim must survive, the crash be named.
#include <csignal>

#include "test_plugin.hpp"

static dfx_status probe(const dfx_host_api* api, dfx_host* host, const dfx_usb_device*) {
  dfx_claim c{sizeof(dfx_claim), "serial", "BEFORE-CRASH", "test"};
  api->report_claim(host, &c);
  std::raise(SIGSEGV);
  return DFX_OK;
}
DFX_TEST_PLUGIN("crash", DFX_ABI_MAJOR, DFX_ABI_MINOR, DFX_PLUGIN_DEVICE, probe)
