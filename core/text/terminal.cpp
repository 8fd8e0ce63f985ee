#include "text/terminal.hpp"

#include <cstdint>

#include "base/hex.hpp"
#include "text/utf8.hpp"

namespace dfx::text {

namespace {

// The code point of the well-formed sequence of `n` bytes at s[i].
std::uint32_t code_point(std::string_view s, std::size_t i, std::size_t n) {
  const auto b = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + k]));
  };
  if (n == 1) return b(0);
  if (n == 2) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
  if (n == 3) return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

bool is_bidi_control(std::uint32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string printable(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = utf8_sequence_length(s, i);  // 0: not well-formed UTF-8
    // C1 controls (U+0080-U+009F, e.g. CSI U+009B) act on terminals too: escape their bytes.
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) n = 0;
    if (n >= 2 && is_bidi_control(code_point(s, i, n))) {
      const std::uint32_t cp = code_point(s, i, n);
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out.push_back(hex_digit(cp >> shift));
      i += n;
      continue;
    }
    if (n == 0 || c < 0x20 || c == 0x7F) {
      out += "\\x";
      append_hex(out, c);
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace dfx::text
