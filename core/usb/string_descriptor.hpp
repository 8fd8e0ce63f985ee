// USB string descriptors: pure decoding of what a (possibly hostile) device sends.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "base/result.hpp"

namespace dfx::usb {

/// Decodes a string descriptor (bLength, bDescriptorType=3, UTF-16LE code units) to UTF-8.
/// Trusts neither bLength nor the code units: a bLength beyond the received bytes, an odd length
/// or a wrong type is an error; unpaired surrogates and NULs become U+FFFD.
Result<std::string> decode_string_descriptor(std::span<const uint8_t> bytes);

/// The first language id from string descriptor 0, or nullopt when the list is empty/malformed.
std::optional<uint16_t> first_language(std::span<const uint8_t> bytes);

}  // namespace dfx::usb
