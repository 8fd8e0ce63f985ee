// Apple identifiers.
//  * ECID (exclusive chip ID, lockdown's UniqueChipID): a 64-bit number. Recovery/DFU USB
//    strings show it in hex ("ECID:000012345678ABCD"), so the text is read as hex (optional 0x,
//    up to 16 digits). Canonical: 16 upper-case hex digits, zero-padded, plus the decimal value.
//    lockdown reports it as a decimal integer: convert with ecid_decimal_to_hex() first.
//  * UDID: 40 hex digits (SHA-1 based, devices before 2018; canonical lower-case as iTunes and
//    usbmuxd show it) or 24 hex digits written 8-16 with a hyphen (newer devices: chip ID and
//    ECID; canonical upper-case with the hyphen).
#include <string>

#include "numtext.hpp"
#include "parsers.hpp"

namespace dfx::ident::detail {

Result parse_ecid(const Cleaned& c) {
  constexpr Kind kind = Kind::Ecid;
  if (c.size == 0) return reject(c, kind, Problem::Empty, "empty: no digits found");
  if (const std::size_t bad = find_bad(c, is_hex); bad != kNoIndex)
    return reject_char(c, kind, bad, "non-hex character");
  if (c.size > 16)
    return reject(c, kind, Problem::WrongLength,
                  "wrong length: " + std::to_string(c.size) + " hex digits, ECID has at most 16");
  const std::uint64_t value = *parse_hex(c.view());
  if (value == 0) return reject(c, kind, Problem::OutOfRange, "ECID is zero");
  Identifier id = make_identifier(c, kind);
  id.canonical = hex_string(value, 16);
  id.derived.ecid_hex = id.canonical;
  id.derived.ecid_decimal = dec_string(value);
  if (c.hex_prefix) {
    id.notes.emplace_back("0x prefix removed");
  } else if (all_digits(c.view())) {
    id.notes.emplace_back(
        "read as hexadecimal, as recovery/DFU mode shows it; lockdown's decimal "
        "UniqueChipID must be converted first");
  }
  return id;
}

Result parse_udid(const Cleaned& c) {
  constexpr Kind kind = Kind::Udid;
  if (c.size == 0) return reject(c, kind, Problem::Empty, "empty: no digits found");
  if (const std::size_t bad = find_bad(c, is_hex); bad != kNoIndex)
    return reject_char(c, kind, bad, "non-hex character");
  const std::string_view v = c.view();
  Identifier id = make_identifier(c, kind);
  if (c.size == 40) {
    id.canonical.reserve(40);
    for (const char ch : v) id.canonical.push_back(to_lower(ch));
    return id;
  }
  if (c.size == 24) {
    id.canonical.reserve(25);
    for (std::size_t i = 0; i < 24; ++i) {
      if (i == 8) id.canonical.push_back('-');
      id.canonical.push_back(to_upper(v[i]));
    }
    const std::uint64_t chip = *parse_hex(v.substr(0, 8));
    id.derived.chip_id = hex_string(chip, chip > 0xFFFF ? 8 : 4);  // CPIDs are 4 hex digits
    id.derived.ecid_hex = id.canonical.substr(9);
    id.derived.ecid_decimal = dec_string(*parse_hex(v.substr(8)));
    return id;
  }
  return reject(c, kind, Problem::WrongLength,
                "wrong length: " + std::to_string(c.size) +
                    " hex digits, UDID needs 40 (older devices) or 24 (8-16, newer devices)");
}

}  // namespace dfx::ident::detail
