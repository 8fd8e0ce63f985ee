// The CNXN banner (system identity string) an ADB peer sends once it accepts the connection:
//   "<state>:<serial>:<key>=<value>;<key>=<value>;features=a,b,c"
// e.g. "device::ro.product.name=oriole;ro.product.model=Pixel 6;ro.product.device=oriole;
// features=shell_v2,cmd". Pure, bounded and tolerant: the banner comes from a device that may be
// hostile, so junk entries are skipped rather than trusted, and sizes are capped.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error.hpp"

namespace dfx::android::adb {

/// The connection states adb knows; `other` keeps unknown words in Banner::state_text.
enum class DeviceState {
  device,
  recovery,
  sideload,
  rescue,
  bootloader,
  host,
  unauthorized,
  other
};

/// "device", "recovery"... ("other" for DeviceState::other).
const char* to_string(DeviceState state);

/// Limits applied while parsing (anything beyond is dropped, never an error).
struct BannerLimits {
  std::size_t max_input = 64 * 1024;  ///< bytes of the banner considered at all (beyond: error)
  std::size_t max_properties = 64;    ///< key=value entries kept
  std::size_t max_features = 256;     ///< features kept
  std::size_t max_key = 128;          ///< longer keys are junk
  std::size_t max_value = 1024;       ///< longer values are junk
};

/// A parsed banner.
struct Banner {
  DeviceState state = DeviceState::other;  ///< the first field, classified
  std::string state_text;                  ///< the first field as sent (printable ASCII only)
  std::string serial;                      ///< the second field (empty in current adbd)
  std::vector<std::pair<std::string, std::string>> properties;  ///< in order, "features" excluded
  std::vector<std::string> features;  ///< the comma-separated features list
  std::size_t skipped = 0;            ///< junk or over-limit entries dropped

  /// The value of property `key` (e.g. "ro.product.model"), if present.
  [[nodiscard]] std::optional<std::string> property(std::string_view key) const;
};

/// Parses a CNXN payload (trailing NULs allowed). Fails (malformed) when the input is empty,
/// has no ':' after the state, or the state is not printable ASCII; (too_large) beyond
/// limits.max_input.
Result<Banner> parse_banner(std::string_view payload, const BannerLimits& limits = {});

}  // namespace dfx::android::adb
