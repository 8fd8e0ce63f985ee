// A device's raw descriptors (the device descriptor, then each configuration's, as the kernel
// keeps them in sysfs "descriptors") read back into the testing kit's UsbDeviceSpec, so that a
// recorded phone can be plugged again as a virtual handset with the same descriptors. Pure code,
// hostile input: every length is checked against what remains.
#pragma once

#include <dfx/testing/usb_spec.hpp>

#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "base/result.hpp"

namespace dfx::lab {

/// The spec of the device described by `raw`. `strings` gives the text of string descriptors by
/// index (those the recording holds); a string index with no text is left out.
Result<testing::UsbDeviceSpec> spec_from_raw_descriptors(
    std::span<const uint8_t> raw, const std::map<uint8_t, std::string>& strings);

}  // namespace dfx::lab
