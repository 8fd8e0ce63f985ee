// Hexadecimal text of bytes: digests, escaped bytes in messages and terminal output.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace dfx {

/// The hex digit of `v` (0-15), lower or upper case.
constexpr char hex_digit(unsigned v, bool upper = false) noexcept {
  return (upper ? "0123456789ABCDEF" : "0123456789abcdef")[v & 0xF];
}

/// Appends the two hex digits of `byte` to `out`.
inline void append_hex(std::string& out, unsigned char byte, bool upper = false) {
  out.push_back(hex_digit(byte >> 4, upper));
  out.push_back(hex_digit(byte, upper));
}

/// The hex text of `bytes`, two digits per byte, no separator.
inline std::string to_hex(std::span<const unsigned char> bytes, bool upper = false) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) append_hex(out, b, upper);
  return out;
}

/// The hex text of the bytes of `text`.
inline std::string to_hex(std::string_view text, bool upper = false) {
  return to_hex(std::span(reinterpret_cast<const unsigned char*>(text.data()), text.size()), upper);
}

}  // namespace dfx
