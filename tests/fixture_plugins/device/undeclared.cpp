// Sends what its manifest does not declare (its manifest declares nothing): a vendor IN request,
// a class OUT request, Android's ACCESSORY_START, a bulk OUT write and an interface claim. Each
// outcome is reported as an x_ claim "<status> <message>"; the host must refuse every one.
#include <string>

#include "test_plugin.hpp"

namespace {

void report(const dfx_host_api* api, dfx_host* host, const char* kind, dfx_status st) {
  const std::string why = std::to_string(st) + " " + api->last_error(host);
  dfx_claim c{sizeof(dfx_claim), kind, why.c_str(), "test"};
  api->report_claim(host, &c);
}

}  // namespace

static dfx_status probe(const dfx_host_api* api, dfx_host* host, const dfx_usb_device*) {
  unsigned char buf[64] = {};
  report(api, host, "x_vendor_in",
         api->control_transfer(host, 0xC0, 0x01, 0, 0, buf, sizeof buf, 100, nullptr));
  report(api, host, "x_class_out",
         api->control_transfer(host, 0x21, 0x00, 0, 0, buf, 4, 100, nullptr));
  report(api, host, "x_accessory_start",
         api->control_transfer(host, 0x40, 53, 0, 0, nullptr, 0, 100, nullptr));
  report(api, host, "x_bulk_out", api->bulk_transfer(host, 0x01, buf, 4, 100, nullptr));
  report(api, host, "x_claim", api->claim_interface(host, 0));
  return DFX_OK;
}
DFX_TEST_PLUGIN("undeclared", DFX_ABI_MAJOR, DFX_ABI_MINOR, DFX_PLUGIN_DEVICE, probe)
