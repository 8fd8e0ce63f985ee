// The Apple plugin: identity of iPhones and iPads from what they show on USB. Host API glue only:
// the reading itself is protocol/identity.cpp (pure). See README.md.
#include <dfx/plugin.hpp>

#include <string>

#include "device_mode.hpp"
#include "identity.hpp"

namespace {

using dfx::sdk::Status;

class ApplePlugin {
 public:
  Status probe(dfx::sdk::Host& host, const dfx::sdk::Device& device) {
    const dfx::apple::Mode mode = dfx::apple::mode_of(device.product_id());
    if (mode == dfx::apple::Mode::Other) {
      host.log(DFX_LOG_INFO, "05ac:" + hex4(device.product_id()) +
                                 " is not an iPhone or iPad in Recovery, DFU or normal mode: "
                                 "nothing to read");
      return Status::ok();
    }
    const uint8_t index = device.raw().i_serial_number;
    if (index == 0) return Status::error(DFX_ERR_IO, "the device declares no iSerialNumber string");
    // Asked again rather than taken from discovery's copy, so the method says what was read.
    auto text = host.string_descriptor(index);
    if (!text)
      return Status::error(text.status().code(), "iSerialNumber: " + text.status().message());
    const dfx::apple::Reading reading = dfx::apple::read_usb_identity(mode, text.value(), index);
    for (const auto& f : reading.facts) {
      const auto kind = dfx::sdk::ClaimKind::parse(f.kind);
      if (auto st = host.claim(kind, f.value, f.method); !st.ok()) return st;
    }
    if (mode == dfx::apple::Mode::Normal)
      host.log(DFX_LOG_INFO,
               "normal mode: the UDID is read from USB; lockdown (ProductType, ECID, and with a "
               "pairing the serial number and IMEI) is not read by this version");
    if (!reading.problems.empty()) {
      std::string why;
      for (const auto& p : reading.problems) why += (why.empty() ? "" : "; ") + p;
      return Status::error(DFX_ERR_IO, why);
    }
    return Status::ok();
  }

 private:
  static std::string hex4(uint16_t v) {
    static const char* digits = "0123456789abcdef";
    return {digits[v >> 12 & 15], digits[v >> 8 & 15], digits[v >> 4 & 15], digits[v & 15]};
  }
};

}  // namespace

DFX_DEVICE_PLUGIN(ApplePlugin)
