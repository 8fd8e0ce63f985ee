// Luhn and MOD 97-10 arithmetic. The IMEI fast path is written for bulk use (tens of millions of
// checks a second): fixed length, one table lookup per digit, no branches inside the loop.
#include "ident/checksum.hpp"

#include <array>
#include <cstddef>

#include "numtext.hpp"

namespace dfx::ident {
namespace {

/// Contribution of a doubled digit v: the sum of the base-`Base` digits of 2v.
template <unsigned Base>
constexpr std::array<unsigned char, 16> kDoubled = [] {
  std::array<unsigned char, 16> t{};
  for (unsigned v = 0; v < Base; ++v)
    t[v] = static_cast<unsigned char>((2 * v) / Base + (2 * v) % Base);
  return t;
}();

/// Luhn sum (mod Base) of `digits` where the rightmost digit sits at position `first_pos`
/// counted from the right (odd positions are doubled). -1 on a character that is not a digit
/// of Base. Table-driven and branch-free per digit (see numtext.hpp for why).
template <unsigned Base>
int luhn_sum(std::string_view digits, std::size_t first_pos) noexcept {
  unsigned sum = 0;
  unsigned bad = 0;
  std::size_t pos = first_pos;
  for (std::size_t i = digits.size(); i-- > 0; ++pos) {
    const unsigned v = detail::hex_value(digits[i]);
    bad |= static_cast<unsigned>(v >= Base);
    const unsigned d = v & 0xF;
    sum += (pos & 1) ? kDoubled<Base>[d] : d;
  }
  if (bad) return -1;
  return static_cast<int>(sum % Base);
}

int luhn_sum(std::string_view digits, unsigned base, std::size_t first_pos) noexcept {
  if (base == 10) return luhn_sum<10>(digits, first_pos);
  if (base == 16) return luhn_sum<16>(digits, first_pos);
  return -1;
}

}  // namespace

int luhn_checksum(std::string_view number, unsigned base) noexcept {
  if (number.empty() || (base != 10 && base != 16)) return -1;
  return luhn_sum(number, base, 0);
}

bool luhn_valid(std::string_view number, unsigned base) noexcept {
  return luhn_checksum(number, base) == 0;
}

std::optional<char> luhn_check_digit(std::string_view body, unsigned base) noexcept {
  if (body.empty() || (base != 10 && base != 16)) return std::nullopt;
  // The body's rightmost digit will sit at position 1 once the check digit is appended.
  const int sum = luhn_sum(body, base, 1);
  if (sum < 0) return std::nullopt;
  const unsigned cd = (base - static_cast<unsigned>(sum)) % base;
  return "0123456789ABCDEF"[cd];
}

bool is_valid_imei(std::string_view digits) noexcept {
  if (digits.size() != 15) return false;
  // Doubled digit d contributes the digit sum of 2d.
  static constexpr unsigned char kDoubled[10] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
  const char* p = digits.data();
  unsigned sum = 0;
  unsigned bad = 0;
  // Index 14 is the check digit (position 0 from the right), so odd indexes are doubled.
  for (std::size_t i = 0; i < 15; i += 2) {
    const unsigned d = static_cast<unsigned char>(p[i]) - static_cast<unsigned>('0');
    bad |= static_cast<unsigned>(d > 9);
    sum += d;
  }
  for (std::size_t i = 1; i < 15; i += 2) {
    const unsigned d = static_cast<unsigned char>(p[i]) - static_cast<unsigned>('0');
    bad |= static_cast<unsigned>(d > 9);
    sum += kDoubled[d > 9 ? 0 : d];
  }
  return bad == 0 && sum % 10 == 0;
}

int mod97(std::string_view digits) noexcept {
  if (digits.empty()) return -1;
  unsigned r = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return -1;
    r = (r * 10 + static_cast<unsigned>(c - '0')) % 97;
  }
  return static_cast<int>(r);
}

bool mod97_10_valid(std::string_view digits) noexcept {
  return mod97(digits) == 1;
}

std::optional<std::string> mod97_10_check_digits(std::string_view body) {
  const int r = mod97(body);
  if (r < 0) return std::nullopt;
  // Appending two digits multiplies by 100; cd = 98 - (body*100 mod 97) makes the whole number
  // 1 mod 97. This is the standard choice (range 02..98, as IBAN and SGP.29 EIDs use).
  const int cd = 98 - (r * 100) % 97;
  std::string out(2, '0');
  out[0] = static_cast<char>('0' + cd / 10);
  out[1] = static_cast<char>('0' + cd % 10);
  return out;
}

}  // namespace dfx::ident
