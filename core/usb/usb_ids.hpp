// Vendor and product names from the system's usb.ids (Debian package usb.ids).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dfx::usb {

class UsbIds {
 public:
  /// Parses usb.ids text: "vvvv  Vendor" lines and tab-indented "pppp  Product" lines, up to the
  /// first non-device section. Malformed lines are skipped (the file is not ours to police).
  static UsbIds parse(std::string_view text);
  /// Loads the first of $DFX_USB_IDS, /usr/share/misc/usb.ids, /usr/share/hwdata/usb.ids;
  /// an empty table when none is readable (names are a convenience, never a requirement).
  static UsbIds load_system();

  [[nodiscard]] std::optional<std::string> vendor(uint16_t vid) const;
  [[nodiscard]] std::optional<std::string> product(uint16_t vid, uint16_t pid) const;
  [[nodiscard]] std::size_t size() const { return vendors_.size() + products_.size(); }

 private:
  std::unordered_map<uint16_t, std::string> vendors_;
  std::unordered_map<uint32_t, std::string> products_;
};

}  // namespace dfx::usb
