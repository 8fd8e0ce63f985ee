// ICCID (ITU-T E.118): SIM card serial, "89" (telecom) + country/issuer + account + Luhn check
// digit over all digits, 19 or 20 digits.
//
// Two raw forms are also accepted:
//  * nibble-swapped: EF_ICCID stores BCD with the digits of each byte swapped, and AT+CRSM
//    returns the raw bytes as 20 hex characters, so the value starts "98". Swapping each pair
//    back restores the ICCID;
//  * 'F' padding: a 19-digit ICCID fills the 10-byte file with a trailing F nibble.
// Hex letters other than that padding are rejected (some operators' ICCIDs reportedly contain
// A-F; they cannot pass the decimal Luhn check and would need their own rule).
#include <string>

#include "ident/checksum.hpp"
#include "numtext.hpp"
#include "parsers.hpp"

namespace dfx::ident::detail {

Result parse_iccid(const Cleaned& c) {
  constexpr Kind kind = Kind::Iccid;
  if (c.size == 0) return reject(c, kind, Problem::Empty, "empty: no digits found");
  const std::string_view v = c.view();
  std::size_t n = c.size;

  // digits[i] comes from cleaned character src[i], so errors point at what was typed.
  char digits[Cleaned::kCapacity];
  std::size_t src[Cleaned::kCapacity];
  const std::size_t shown = v.size();
  for (std::size_t i = 0; i < shown; ++i) {
    digits[i] = to_upper(v[i]);
    src[i] = i;
  }
  Identifier id = make_identifier(c, kind);

  const bool swapped =
      n == 20 && digits[0] == '9' && digits[1] == '8' &&
      find_bad(c, [](char ch) { return is_digit(ch) || ch == 'F' || ch == 'f'; }) == kNoIndex;
  if (swapped) {
    for (std::size_t i = 0; i < 20; i += 2) {
      std::swap(digits[i], digits[i + 1]);
      std::swap(src[i], src[i + 1]);
    }
    id.notes.emplace_back(
        "nibble-swapped ICCID (raw EF_ICCID bytes, as AT+CRSM returns them) un-swapped");
  }
  if (n >= 2 && n <= shown && digits[n - 1] == 'F') {
    --n;
    id.notes.emplace_back("trailing F padding removed");
  }
  for (std::size_t i = 0; i < n && i < shown; ++i)
    if (!is_digit(digits[i])) return reject_char(c, kind, src[i], "non-digit");
  if (n != 19 && n != 20)
    return reject(c, kind, Problem::WrongLength,
                  "wrong length: " + std::to_string(n) + " digits, ICCID needs 19 or 20");
  if (digits[0] != '8' || digits[1] != '9')
    return reject(
        c, kind, Problem::OutOfRange,
        std::string("ICCID must start with 89 (telecommunications), got ") + digits[0] + digits[1],
        src[0]);
  const std::string_view number(digits, n);
  if (!luhn_valid(number))
    return reject(c, kind, Problem::BadCheckDigit,
                  bad_check_digit(number[n - 1], *luhn_check_digit(number.substr(0, n - 1))),
                  src[n - 1]);

  id.canonical.assign(number);
  id.derived.check_digit.assign(1, number[n - 1]);
  return id;
}

}  // namespace dfx::ident::detail
