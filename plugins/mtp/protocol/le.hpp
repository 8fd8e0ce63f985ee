// Little-endian integer helpers for PTP's byte order. Callers check bounds before get_*.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace dfx::mtp {

/// The u16 at `offset` (the caller has checked offset + 2 <= bytes.size()).
inline uint16_t get_u16(std::span<const uint8_t> bytes, std::size_t offset) {
  return static_cast<uint16_t>(bytes[offset] | (bytes[offset + 1] << 8));
}

/// The u32 at `offset` (the caller has checked offset + 4 <= bytes.size()).
inline uint32_t get_u32(std::span<const uint8_t> bytes, std::size_t offset) {
  return static_cast<uint32_t>(bytes[offset]) | (static_cast<uint32_t>(bytes[offset + 1]) << 8) |
         (static_cast<uint32_t>(bytes[offset + 2]) << 16) |
         (static_cast<uint32_t>(bytes[offset + 3]) << 24);
}

/// Appends `v` in two bytes, low first.
inline void put_u16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}

/// Appends `v` in four bytes, low first.
inline void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace dfx::mtp
