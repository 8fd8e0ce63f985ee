// Tries a state-changing control request (SET_CONFIGURATION): the host must refuse it.
#include <string>

#include "test_plugin.hpp"

static dfx_status probe(const dfx_host_api* api, dfx_host* host, const dfx_usb_device*) {
  const dfx_status st = api->control_transfer(host, 0x00, 0x09, 1, 0, nullptr, 0, 100, nullptr);
  const std::string why = std::to_string(st) + " " + api->last_error(host);
  dfx_claim c{sizeof(dfx_claim), "x_denied", why.c_str(), "test"};
  api->report_claim(host, &c);
  return DFX_OK;
}
DFX_TEST_PLUGIN("denied", DFX_ABI_MAJOR, DFX_ABI_MINOR, DFX_PLUGIN_DEVICE, probe)
