// ESN (TIA/EIA-95): 32 bits = manufacturer code (8) + serial (24). Written as 8 hex digits or
// 11 decimal digits (3 + 8). Modems sometimes drop a leading zero (ModemManager accepts 7 hex /
// 10 decimal), so those lengths are accepted with a note. An ESN whose manufacturer code is 0x80
// is a pseudo-ESN computed from a MEID and is not unique.
#include <string>

#include "ident/convert.hpp"
#include "numtext.hpp"
#include "parsers.hpp"

namespace dfx::ident::detail {

Result parse_esn(const Cleaned& c) {
  constexpr Kind kind = Kind::Esn;
  if (c.size == 0) return reject(c, kind, Problem::Empty, "empty: no digits found");
  const std::string_view v = c.view();
  const std::size_t n = c.size;
  std::string hex8;
  std::string note;

  if (n == 7 || n == 8) {
    if (const std::size_t bad = find_bad(c, is_hex); bad != kNoIndex)
      return reject_char(c, kind, bad, "non-hex character");
    if (n == 7) {
      hex8 = "0";
      note = "7 hex digits: leading zero restored";
    }
    for (const char ch : v) hex8.push_back(to_upper(ch));
  } else if (!c.hex_prefix && (n == 10 || n == 11)) {
    if (const std::size_t bad = find_bad(c, is_digit); bad != kNoIndex)
      return reject_char(c, kind, bad, "non-digit", "a 10- or 11-character ESN is decimal");
    std::string dec11;
    if (n == 10) {
      dec11 = "0";
      note = "10 decimal digits: leading zero restored";
    }
    dec11.append(v);
    const std::uint64_t maker = *parse_dec(std::string_view(dec11).substr(0, 3));
    const std::uint64_t serial = *parse_dec(std::string_view(dec11).substr(3, 8));
    if (maker > 0xFF)
      return reject(c, kind, Problem::OutOfRange,
                    "ESN decimal manufacturer code " + std::to_string(maker) +
                        " exceeds 255 (first 3 digits)");
    if (serial > 0xFFFFFF)
      return reject(c, kind, Problem::OutOfRange,
                    "ESN decimal serial " + std::to_string(serial) +
                        " exceeds 16777215 (last 8 digits, 24 bits)");
    hex8 = *esn_decimal_to_hex(dec11);
    if (note.empty()) note = "decimal ESN converted to hexadecimal";
  } else {
    return reject(c, kind, Problem::WrongLength,
                  "wrong length: " + std::to_string(n) +
                      (c.hex_prefix ? " hex digits after 0x" : " characters") +
                      ", ESN needs 8 hex digits or 11 decimal digits");
  }

  Identifier id = make_identifier(c, kind);
  id.canonical = hex8;
  id.derived.esn_hex = hex8;
  id.derived.esn_decimal = *esn_hex_to_decimal(hex8);
  id.derived.manufacturer = hex8.substr(0, 2);
  id.derived.serial = hex8.substr(2, 6);
  if (!note.empty()) id.notes.push_back(std::move(note));
  if (c.hex_prefix) id.notes.emplace_back("0x prefix removed");
  if (id.derived.manufacturer == "80")
    id.notes.emplace_back("pseudo-ESN (manufacturer code 80): derived from a MEID, not unique");
  return id;
}

}  // namespace dfx::ident::detail
