// usb-generic: the descriptor identity every USB device offers, read through the host's USB API.
// It asks the device again rather than trusting discovery's copy, so the claim's method says
// exactly what was read, when, and by whom; a device that no longer answers is an error, and the
// strings the host read at discovery stay in the device facts either way.
#include <dfx/plugin.hpp>

#include <array>

namespace {

struct StringField {
  dfx::sdk::ClaimKind kind;
  uint8_t dfx_usb_device::*index;
  const char* descriptor;
};

constexpr std::array<StringField, 3> kFields{{
    {dfx::sdk::claim::usb_manufacturer, &dfx_usb_device::i_manufacturer, "iManufacturer"},
    {dfx::sdk::claim::usb_product, &dfx_usb_device::i_product, "iProduct"},
    {dfx::sdk::claim::usb_serial, &dfx_usb_device::i_serial_number, "iSerialNumber"},
}};

class UsbGeneric {
 public:
  dfx::sdk::Status probe(dfx::sdk::Host& host, const dfx::sdk::Device& device) {
    std::string failures;
    for (const auto& f : kFields) {
      const uint8_t index = device.raw().*f.index;
      if (index == 0) continue;  // the device declares no such string
      auto value = host.string_descriptor(index);
      if (!value) {
        failures += std::string(failures.empty() ? "" : "; ") + f.descriptor + ": " +
                    value.status().message();
        continue;
      }
      if (value.value().empty()) continue;
      host.claim(f.kind, value.value(),
                 std::string("usb: string descriptor ") + std::to_string(index) + " (" +
                     f.descriptor + ")");
    }
    if (!failures.empty()) return dfx::sdk::Status::error(DFX_ERR_IO, failures);
    return dfx::sdk::Status::ok();
  }
};

}  // namespace

DFX_DEVICE_PLUGIN(UsbGeneric)
