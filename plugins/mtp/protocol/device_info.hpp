// The PTP DeviceInfo dataset (PIMA 15740 §5.5.1; MTP 1.1 §5.1.1), the data phase of
// GetDeviceInfo (0x1001): StandardVersion u16, VendorExtensionID u32, VendorExtensionVersion u16,
// VendorExtensionDesc string, FunctionalMode u16, five u16 arrays (u32 count + items:
// OperationsSupported, EventsSupported, DevicePropertiesSupported, CaptureFormats,
// PlaybackFormats), then Manufacturer, Model, DeviceVersion and SerialNumber strings.
// Pure code: a parser that returns the dataset or an error naming the field and its offset, and
// the matching encoder (for the emulator and the tests).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "error.hpp"

namespace dfx::mtp {

/// A DeviceInfo dataset, strings as UTF-8.
struct DeviceInfo {
  uint16_t standard_version = 100;   ///< 100 = PTP 1.00
  uint32_t vendor_extension_id = 6;  ///< 6 = Microsoft (MTP), as Android answers
  uint16_t vendor_extension_version = 100;
  std::string vendor_extension_desc;  ///< e.g. "microsoft.com: 1.0; android.com: 1.0;"
  uint16_t functional_mode = 0;
  std::vector<uint16_t> operations_supported;
  std::vector<uint16_t> events_supported;
  std::vector<uint16_t> device_properties_supported;
  std::vector<uint16_t> capture_formats;
  std::vector<uint16_t> playback_formats;
  std::string manufacturer;
  std::string model;
  std::string device_version;
  std::string serial_number;
  /// Bytes after SerialNumber. Accepted and counted, not parsed: later PTP/MTP revisions and
  /// vendors may append fields, and libgphoto2/libmtp ignore them too. The plugin logs a
  /// non-zero count so the record shows the dataset was longer than the standard's.
  std::size_t trailing_bytes = 0;

  bool operator==(const DeviceInfo&) const = default;
};

/// Largest array count accepted (items are u16; a count must also fit in the bytes left).
inline constexpr uint32_t kMaxArrayCount = 16384;

/// Parses a DeviceInfo dataset (the data container's payload, without its header). Errors
/// name the field and the byte offset where it starts:
///  - truncated: a fixed field, a string or an array runs past the end (an array count is
///    checked against the remaining bytes before anything is allocated);
///  - too_large: an array count above kMaxArrayCount;
///  - malformed: a string without its NUL, with a NUL inside, or with invalid UTF-16.
/// Bytes after SerialNumber are accepted and counted in DeviceInfo::trailing_bytes.
Result<DeviceInfo> parse_device_info(std::span<const uint8_t> dataset);

/// Encodes `info` as a DeviceInfo dataset (trailing_bytes zero bytes at the end). Errors:
/// a string that is not UTF-8 or longer than 254 UTF-16 code units, naming the field.
Result<std::vector<uint8_t>> encode_device_info(const DeviceInfo& info);

}  // namespace dfx::mtp
