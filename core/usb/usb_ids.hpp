// Vendor and product names from the system's usb.ids (Debian package usb.ids).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dfx::usb {

/// The usb.ids text with an index of its vendor lines. Product names are found on demand by
/// scanning the few lines under their vendor, so loading costs one pass over the file and no
/// per-product allocation (a scan of one phone should not pay for 20,000 names).
class UsbIds {
 public:
  /// Indexes usb.ids text: "vvvv  Vendor" lines and tab-indented "pppp  Product" lines, up to
  /// the first non-device section. Malformed lines are skipped (the file is not ours to police).
  static UsbIds parse(std::string text);
  /// Loads the first of $DFX_USB_IDS, /usr/share/misc/usb.ids, /usr/share/hwdata/usb.ids;
  /// an empty table when none is readable (names are a convenience, never a requirement).
  static UsbIds load_system();

  [[nodiscard]] std::optional<std::string> vendor(uint16_t vid) const;
  [[nodiscard]] std::optional<std::string> product(uint16_t vid, uint16_t pid) const;
  /// Number of vendors known.
  [[nodiscard]] std::size_t vendors() const { return vendor_line_.size(); }

 private:
  std::string text_;
  std::unordered_map<uint16_t, std::size_t> vendor_line_;  // vendor id -> offset of its line
};

}  // namespace dfx::usb
