// Internal: tiny number <-> text helpers for fixed-width digit strings. Inline because they sit
// on the normalize() hot path and are a few lines each.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dfx::ident::detail {

/// Value of each byte as a hex digit (either case), 0xFF when it is not one. A table instead of
/// comparisons: identifiers are random digits, and the digit/letter branches of a comparison
/// chain mispredict often enough to dominate MEID parsing.
inline constexpr std::array<unsigned char, 256> kHexValue = [] {
  std::array<unsigned char, 256> t{};
  for (auto& v : t) v = 0xFF;
  for (int c = 0; c < 10; ++c) t['0' + c] = static_cast<unsigned char>(c);
  for (int c = 0; c < 6; ++c) {
    t['A' + c] = static_cast<unsigned char>(10 + c);
    t['a' + c] = static_cast<unsigned char>(10 + c);
  }
  return t;
}();

/// 0-15 for a hex digit, 0xFF otherwise.
inline unsigned hex_value(char c) noexcept {
  return kHexValue[static_cast<unsigned char>(c)];
}
inline bool is_digit(char c) noexcept {
  return static_cast<unsigned>(c - '0') < 10U;
}
inline bool is_hex(char c) noexcept {
  return hex_value(c) < 16;
}
inline char to_upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}
inline char to_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

inline bool all_digits(std::string_view s) noexcept {
  unsigned bad = 0;
  for (const char c : s) bad |= static_cast<unsigned>(!is_digit(c));
  return bad == 0 && !s.empty();
}
inline bool all_hex(std::string_view s) noexcept {
  unsigned bad = 0;
  for (const char c : s) bad |= hex_value(c);
  return bad <= 0xF && !s.empty();
}

/// Decimal value of up to 19 digits; nullopt on a non-digit or empty input.
inline std::optional<std::uint64_t> parse_dec(std::string_view s) noexcept {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  for (const char c : s) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

/// Value of up to 16 hex digits (either case); nullopt on a bad character or empty input.
inline std::optional<std::uint64_t> parse_hex(std::string_view s) noexcept {
  if (s.empty() || s.size() > 16) return std::nullopt;
  std::uint64_t v = 0;
  unsigned bad = 0;
  for (const char c : s) {
    const unsigned d = hex_value(c);
    bad |= d;  // 0xFF sets bits above 0xF
    v = (v << 4) | (d & 0xF);
  }
  if (bad > 0xF) return std::nullopt;
  return v;
}

/// Appends `v` as exactly `width` upper-case hex digits (high digits beyond width are dropped).
inline void append_hex(std::string& out, std::uint64_t v, int width) {
  const std::size_t start = out.size();
  out.resize(start + static_cast<std::size_t>(width));
  for (int i = width - 1; i >= 0; --i, v >>= 4)
    out[start + static_cast<std::size_t>(i)] = "0123456789ABCDEF"[v & 0xF];
}

/// Appends `v` in decimal, zero-padded to at least `width` digits.
inline void append_dec(std::string& out, std::uint64_t v, int width = 1) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n < width) buf[n++] = '0';
  while (n > 0) out.push_back(buf[--n]);
}

inline std::string hex_string(std::uint64_t v, int width) {
  std::string s;
  s.reserve(static_cast<std::size_t>(width));
  append_hex(s, v, width);
  return s;
}
inline std::string dec_string(std::uint64_t v, int width = 1) {
  std::string s;
  append_dec(s, v, width);
  return s;
}

}  // namespace dfx::ident::detail
