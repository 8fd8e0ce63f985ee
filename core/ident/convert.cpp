// MEID / ESN / ECID form conversions. The field widths come from the identifiers' definitions:
// MEID = 32-bit manufacturer part (8-bit regional code + 24-bit manufacturer code) + 24-bit
// serial; ESN = 8-bit manufacturer code + 24-bit serial. Decimal forms print each part
// separately, zero-padded (MEID 10 + 8 digits, ESN 3 + 8 digits).
#include "ident/convert.hpp"

#include <array>
#include <cstdint>

#include "ident/checksum.hpp"
#include "meid_value.hpp"
#include "numtext.hpp"
#include "sha1.hpp"

namespace dfx::ident {

using detail::all_digits;
using detail::all_hex;
using detail::append_dec;
using detail::append_hex;
using detail::parse_dec;
using detail::parse_hex;

namespace detail {

std::string meid_decimal_of(std::uint64_t meid) {
  std::string out;
  out.reserve(18);
  append_dec(out, meid >> 24, 10);
  append_dec(out, meid & 0xFFFFFF, 8);
  return out;
}

char meid_check_digit_of(std::uint64_t meid) noexcept {
  // Nibbles from the right: the body's last digit is doubled (the check digit follows it).
  unsigned nibble[14];
  unsigned letters = 0;
  for (int i = 0; i < 14; ++i) {
    nibble[i] = static_cast<unsigned>((meid >> (4 * i)) & 0xF);
    letters |= static_cast<unsigned>(nibble[i] > 9);
  }
  const unsigned base = letters ? 16 : 10;
  unsigned sum = 0;
  for (int i = 0; i < 14; ++i) {
    const unsigned v = nibble[i];
    if (i % 2 == 0) {
      // Digit sum of 2v in `base` (2v < 2*base), without a data-dependent branch.
      const unsigned d = 2 * v;
      sum += d - static_cast<unsigned>(d >= base) * (base - 1);
    } else {
      sum += v;
    }
  }
  return "0123456789ABCDEF"[(base - sum % base) % base];
}

std::optional<std::string> pseudo_esn_of(std::uint64_t meid) {
  std::array<unsigned char, 7> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<unsigned char>(meid >> (8 * (6 - i)));
  const auto digest = detail::sha1(bytes.data(), bytes.size());
  if (!digest) return std::nullopt;
  const std::uint32_t low24 = (std::uint32_t{(*digest)[17]} << 16) |
                              (std::uint32_t{(*digest)[18]} << 8) | std::uint32_t{(*digest)[19]};
  std::string out = "80";
  append_hex(out, low24, 6);
  return out;
}

}  // namespace detail

std::optional<std::string> meid_hex_to_decimal(std::string_view hex14) {
  if (hex14.size() != 14) return std::nullopt;
  const auto value = parse_hex(hex14);
  if (!value) return std::nullopt;
  return detail::meid_decimal_of(*value);
}

std::optional<std::string> meid_decimal_to_hex(std::string_view dec18) {
  if (dec18.size() != 18 || !all_digits(dec18)) return std::nullopt;
  const std::uint64_t high = *parse_dec(dec18.substr(0, 10));
  const std::uint64_t low = *parse_dec(dec18.substr(10, 8));
  if (high > 0xFFFFFFFFULL || low > 0xFFFFFFULL) return std::nullopt;
  return detail::hex_string((high << 24) | low, 14);
}

std::optional<char> meid_check_digit(std::string_view body) {
  if (body.size() == 18) return all_digits(body) ? luhn_check_digit(body, 10) : std::nullopt;
  if (body.size() != 14) return std::nullopt;
  // A hex MEID made only of decimal digits is in the IMEI number space and uses the IMEI
  // (decimal) Luhn; python-stdnum does the same.
  const auto value = parse_hex(body);
  if (!value) return std::nullopt;
  return detail::meid_check_digit_of(*value);
}

std::optional<std::string> to_pseudo_esn(std::string_view meid_hex14) {
  if (meid_hex14.size() != 14) return std::nullopt;
  const auto value = parse_hex(meid_hex14);
  if (!value) return std::nullopt;
  return detail::pseudo_esn_of(*value);
}

std::optional<std::string> esn_hex_to_decimal(std::string_view hex8) {
  if (hex8.size() != 8 || !all_hex(hex8)) return std::nullopt;
  std::string out;
  out.reserve(11);
  append_dec(out, *parse_hex(hex8.substr(0, 2)), 3);
  append_dec(out, *parse_hex(hex8.substr(2, 6)), 8);
  return out;
}

std::optional<std::string> esn_decimal_to_hex(std::string_view dec11) {
  if (dec11.size() != 11 || !all_digits(dec11)) return std::nullopt;
  const std::uint64_t maker = *parse_dec(dec11.substr(0, 3));
  const std::uint64_t serial = *parse_dec(dec11.substr(3, 8));
  if (maker > 0xFF || serial > 0xFFFFFF) return std::nullopt;
  std::string out;
  out.reserve(8);
  append_hex(out, maker, 2);
  append_hex(out, serial, 6);
  return out;
}

std::optional<std::string> ecid_decimal_to_hex(std::string_view decimal) {
  if (decimal.empty() || decimal.size() > 20 || !all_digits(decimal)) return std::nullopt;
  // 20 digits may exceed 64 bits: accumulate with an explicit overflow check.
  std::uint64_t v = 0;
  for (const char c : decimal) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  if (v == 0) return std::nullopt;
  return detail::hex_string(v, 16);
}

}  // namespace dfx::ident
