// Binary USB descriptors built from a UsbDeviceSpec.
//
// The same bytes feed the sysfs `descriptors` attribute (what libusb parses when
// it enumerates), the usbfs node contents, and the answers to GET_DESCRIPTOR, so
// every reader sees one consistent device.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "dfx/testing/usb_spec.hpp"

namespace dfx::testing {

using Bytes = std::vector<std::uint8_t>;

/// Descriptor type codes (USB 2.0 table 9-5 and USB 3.x).
namespace descriptor_type {
inline constexpr std::uint8_t device = 0x01;
inline constexpr std::uint8_t configuration = 0x02;
inline constexpr std::uint8_t string = 0x03;
inline constexpr std::uint8_t interface = 0x04;
inline constexpr std::uint8_t endpoint = 0x05;
inline constexpr std::uint8_t device_qualifier = 0x06;
inline constexpr std::uint8_t other_speed_configuration = 0x07;
inline constexpr std::uint8_t bos = 0x0F;
}  // namespace descriptor_type

/// All descriptors of one device, ready to serve.
struct DescriptorSet {
  UsbDeviceSpec spec;  ///< The spec with every string index resolved (no index 0 left for a
                       ///< non-empty string).
  Bytes device;        ///< 18-byte device descriptor.
  std::vector<Bytes>
      configurations;  ///< Full configuration descriptors (wTotalLength bytes each), in spec order.
  std::map<std::uint8_t, std::string>
      strings;  ///< Index -> UTF-8 text, every string the descriptors refer to plus extras.

  /// Device descriptor followed by all configuration descriptors: the sysfs
  /// `descriptors` attribute and the usbfs node contents.
  Bytes sysfs_descriptors() const;

  /// String descriptor `index` (0 = the LANGID list). The language is not
  /// checked, like most real devices. nullopt = the device stalls.
  std::optional<Bytes> string_descriptor(std::uint8_t index) const;

  /// Configuration descriptor by position (GET_DESCRIPTOR's descriptor index), nullopt if out of
  /// range.
  std::optional<Bytes> configuration_by_index(std::uint8_t index) const;

  /// Position of the configuration with bConfigurationValue `value`, nullopt if none.
  std::optional<std::size_t> configuration_position(std::uint8_t value) const;

  /// Device qualifier (what the device would be at the other speed); only for
  /// high-speed-capable USB 2.x devices, nullopt otherwise (the device stalls).
  std::optional<Bytes> device_qualifier() const;
};

/// Checks the spec (unique configuration values, interface numbers, endpoint
/// addresses, string lengths, packet sizes...), assigns automatic string
/// indexes and builds every descriptor. The error names the offending field.
tl::expected<DescriptorSet, std::string> build_descriptors(const UsbDeviceSpec& spec);

/// Encodes UTF-8 text as a string descriptor (bLength, 0x03, UTF-16LE).
/// Fails on invalid UTF-8 or text longer than 126 UTF-16 code units.
tl::expected<Bytes, std::string> encode_string_descriptor(std::string_view utf8);

/// Decodes UTF-8 into UTF-16 code units (surrogate pairs for characters beyond U+FFFF).
tl::expected<std::u16string, std::string> utf8_to_utf16(std::string_view utf8);

/// Upper-case hex without separators, e.g. {0x12, 0x01} -> "1201".
std::string to_hex(const Bytes& bytes);

/// Parses hex digits (either case; spaces, ':' and '-' between bytes are ignored).
tl::expected<Bytes, std::string> from_hex(std::string_view hex);

}  // namespace dfx::testing
