// USB discovery in the host: the facts every device offers through its descriptors.
#pragma once

#include <vector>

#include <libusb.h>

#include "base/result.hpp"
#include "usb/device_facts.hpp"

namespace dfx::usb {

struct DiscoveryOptions {
  unsigned string_timeout_ms = 500;  ///< per string request; a silent device costs at most 4x this
};

/// Lists every USB device with its descriptors and strings (when the device can be opened). A
/// machine without USB yields an empty list, not an error; a device that cannot be opened is still
/// listed, with a warning saying why its strings are missing.
Result<std::vector<DeviceFacts>> discover_devices(const DiscoveryOptions& options = {});

/// What libusb knows about a device without talking to it: location, device and configuration
/// descriptors (cached by the kernel). `interface_strings`, if given, receives each interface's
/// iInterface index. Also usable for a device that has just left.
DeviceFacts descriptor_facts(libusb_device* device,
                             std::vector<uint8_t>* interface_strings = nullptr);

/// Describes one device from its descriptors and strings. Never fails: what cannot be read is
/// listed in the facts' warnings.
DeviceFacts describe_device(libusb_device* device, const DiscoveryOptions& options = {});

}  // namespace dfx::usb
