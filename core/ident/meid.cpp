// MEID (3GPP2 S.R0048): 56 bits = regional code (8) + manufacturer code (24) + serial (24).
// Written as 14 hex digits (+ optional check digit) or 18 decimal digits (10 for the high 32
// bits, 8 for the low 24; + optional check digit). Validity follows python-stdnum's meid module:
//  * 14/15 characters must be hex; when the 14-character body is all decimal digits it is in the
//    IMEI number space and the check digit, if any, is the decimal Luhn digit;
//  * 18/19 characters must be decimal; the 19th digit is a decimal Luhn over all 19 digits,
//    checked first; then the 10-digit part must fit 32 bits and the 8-digit part 24 bits.
#include <string>

#include "ident/checksum.hpp"
#include "ident/convert.hpp"
#include "meid_value.hpp"
#include "numtext.hpp"
#include "parsers.hpp"

namespace dfx::ident::detail {
namespace {

constexpr const char* kLengthHelp =
    "MEID needs 14 hex digits (15 with check digit) or 18 decimal digits (19 with check digit)";

}  // namespace

Result parse_meid(const Cleaned& c) {
  constexpr Kind kind = Kind::Meid;
  if (c.size == 0) return reject(c, kind, Problem::Empty, "empty: no digits found");
  const std::string_view v = c.view();
  const std::size_t n = c.size;

  std::uint64_t value = 0;  // the 56-bit MEID; every form below is derived from it
  bool decimal_form = false;
  if (n == 14 || n == 15) {
    if (const std::size_t bad = find_bad(c, is_hex); bad != kNoIndex)
      return reject_char(c, kind, bad, "non-hex character");
    value = *parse_hex(v.substr(0, 14));
    if (n == 15) {
      const char expected = meid_check_digit_of(value);
      const char got = to_upper(v[14]);
      if (got != expected) {
        std::string why = bad_check_digit(got, expected);
        if (all_digits(v.substr(0, 14)))
          why += " (an all-decimal MEID uses the decimal Luhn digit, as an IMEI)";
        return reject(c, kind, Problem::BadCheckDigit, std::move(why), 14);
      }
    }
  } else if (n == 18 || n == 19) {
    if (c.hex_prefix)
      return reject(c, kind, Problem::WrongLength,
                    "wrong length: " + std::to_string(n) + " hex digits after 0x, " + kLengthHelp);
    if (const std::size_t bad = find_bad(c, is_digit); bad != kNoIndex)
      return reject_char(c, kind, bad, "non-digit", "an 18- or 19-character MEID is decimal");
    // python-stdnum's order: the check digit first, then the part sizes.
    if (n == 19 && !luhn_valid(v)) {
      return reject(c, kind, Problem::BadCheckDigit,
                    bad_check_digit(v[18], *luhn_check_digit(v.substr(0, 18))), 18);
    }
    const std::uint64_t high = *parse_dec(v.substr(0, 10));
    const std::uint64_t low = *parse_dec(v.substr(10, 8));
    if (high > 0xFFFFFFFFULL)
      return reject(c, kind, Problem::OutOfRange,
                    "MEID decimal part overflows 32 bits: first 10 digits " + std::to_string(high) +
                        " > 4294967295");
    if (low > 0xFFFFFFULL)
      return reject(c, kind, Problem::OutOfRange,
                    "MEID decimal part overflows 24 bits: last 8 digits " + std::to_string(low) +
                        " > 16777215");
    value = (high << 24) | low;
    decimal_form = true;
  } else {
    return reject(c, kind, Problem::WrongLength,
                  "wrong length: " + std::to_string(n) + " characters, " + kLengthHelp);
  }

  Identifier id = make_identifier(c, kind);
  Derived& d = id.derived;
  append_hex(id.canonical, value, 14);
  d.meid_hex = id.canonical;
  d.meid_hex_check.reserve(15);
  d.meid_hex_check = id.canonical;
  d.meid_hex_check.push_back(meid_check_digit_of(value));
  if (decimal_form && n == 18) {
    d.meid_decimal.assign(v);
  } else if (decimal_form) {
    d.meid_decimal.assign(v.substr(0, 18));
  } else {
    d.meid_decimal = meid_decimal_of(value);
  }
  d.meid_decimal_check.reserve(19);
  d.meid_decimal_check = d.meid_decimal;
  d.meid_decimal_check.push_back(*luhn_check_digit(d.meid_decimal));
  d.manufacturer.assign(id.canonical, 0, 8);
  d.serial.assign(id.canonical, 8, 6);
  if (auto pesn = pseudo_esn_of(value)) {
    d.pesn = std::move(*pesn);
  } else {
    id.notes.emplace_back("pseudo-ESN not computed: SHA-1 is not available from OpenSSL");
  }

  if (decimal_form) id.notes.emplace_back("decimal MEID converted to hexadecimal");
  if (c.hex_prefix) id.notes.emplace_back("0x prefix removed");
  if (all_digits(id.canonical)) {
    id.notes.emplace_back(
        "all 14 characters are decimal digits: this is an IMEI-range number (IMEI without check "
        "digit), validated as an IMEI");
  } else if ((value >> 48) < 0xA0) {
    id.notes.push_back("regional code " + id.canonical.substr(0, 2) +
                       " is outside the range A0-FF assigned to MEIDs");
  }
  return id;
}

}  // namespace dfx::ident::detail
