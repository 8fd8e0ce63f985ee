// Builds PTP bytes by hand for the tests, independently of the encoder under test: little-endian
// integers, PTP strings from ASCII or raw UTF-16 units, and whole DeviceInfo datasets.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace dfx::mtp::test {

/// Appends PTP fields to a byte vector.
struct Bytes {
  std::vector<uint8_t> b;
  Bytes& u8(uint8_t v) {
    b.push_back(v);
    return *this;
  }
  Bytes& u16(uint16_t v) {
    b.push_back(static_cast<uint8_t>(v));
    b.push_back(static_cast<uint8_t>(v >> 8));
    return *this;
  }
  Bytes& u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  /// A PTP string of ASCII text: count (with NUL), units, NUL; "" gives count 0.
  Bytes& str(const std::string& ascii) {
    if (ascii.empty()) return u8(0);
    u8(static_cast<uint8_t>(ascii.size() + 1));
    for (char c : ascii) u16(static_cast<uint16_t>(static_cast<unsigned char>(c)));
    return u16(0);
  }
  /// A PTP string of raw code units as given (count byte = units.size(), nothing added).
  Bytes& units(std::initializer_list<uint16_t> units) {
    u8(static_cast<uint8_t>(units.size()));
    for (auto u : units) u16(u);
    return *this;
  }
  /// A u16 array: u32 count, then the items.
  Bytes& array(std::initializer_list<uint16_t> items) {
    u32(static_cast<uint32_t>(items.size()));
    for (auto v : items) u16(v);
    return *this;
  }
};

/// The fields before the strings of a DeviceInfo with these arrays: PTP 1.00, vendor extension 6
/// version 1.00 with `desc`, functional mode 0.
inline Bytes device_info_head(const std::string& desc = "microsoft.com: 1.0; android.com: 1.0;") {
  Bytes d;
  d.u16(100).u32(6).u16(100).str(desc).u16(0);
  d.array({0x1001, 0x1002, 0x1003, 0x1004, 0x1005});  // operations
  d.array({0x4002, 0x4003});                          // events
  d.array({0xD401, 0xD402, 0x5001});                  // device properties
  d.array({});                                        // capture formats
  d.array({0x3000, 0x3001, 0x3801});                  // playback formats
  return d;
}

/// A whole DeviceInfo with these four strings.
inline std::vector<uint8_t> device_info_bytes(const std::string& manufacturer,
                                              const std::string& model, const std::string& version,
                                              const std::string& serial) {
  auto d = device_info_head();
  d.str(manufacturer).str(model).str(version).str(serial);
  return d.b;
}

}  // namespace dfx::mtp::test
