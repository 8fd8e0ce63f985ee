// IMEI and IMEISV (3GPP TS 23.003): TAC(8) + SNR(6) + check digit, or TAC + SNR + SVN(2).
// Accepted forms follow python-stdnum's imei module: 14 digits (check digit missing: we add it),
// 15 digits (Luhn-checked), 16 digits (IMEISV, no check digit).
#include <string>

#include "ident/checksum.hpp"
#include "numtext.hpp"
#include "parsers.hpp"

namespace dfx::ident::detail {
namespace {

void fill_common(Identifier& id, std::string_view body14) {
  id.derived.tac.assign(body14.substr(0, 8));
  id.derived.snr.assign(body14.substr(8, 6));
}

Result parse_imeisv_digits(const Cleaned& c, std::string_view v, Kind requested) {
  Identifier id = make_identifier(c, Kind::Imeisv);
  id.canonical.assign(v);
  fill_common(id, v);
  id.derived.svn.assign(v.substr(14, 2));
  const char cd = *luhn_check_digit(v.substr(0, 14));
  id.derived.imei.reserve(15);
  id.derived.imei.assign(v.substr(0, 14));
  id.derived.imei.push_back(cd);
  id.derived.check_digit.assign(1, cd);
  if (requested == Kind::Imei)
    id.notes.emplace_back("16 digits: read as an IMEISV (IMEI + 2-digit software version)");
  // 3GPP TS 23.003: SVN 99 is reserved for future use.
  if (id.derived.svn == "99") id.notes.emplace_back("software version number 99 is reserved");
  return id;
}

}  // namespace

Result parse_imei(const Cleaned& c, Kind requested) {
  const Kind kind = requested == Kind::Imeisv ? Kind::Imeisv : Kind::Imei;
  if (c.size == 0) return reject(c, kind, Problem::Empty, "empty: no digits found");
  if (const std::size_t bad = find_bad(c, is_digit); bad != kNoIndex)
    return reject_char(c, kind, bad, "non-digit");
  const std::string_view v = c.view();
  const std::size_t n = c.size;

  if (kind == Kind::Imeisv) {
    if (n != 16) {
      std::string why = "wrong length: " + std::to_string(n) + " digits, IMEISV needs 16";
      if (n == 14 || n == 15) why += " (" + std::to_string(n) + " digits is an IMEI)";
      return reject(c, kind, Problem::WrongLength, std::move(why));
    }
    return parse_imeisv_digits(c, v, requested);
  }

  if (n == 16) return parse_imeisv_digits(c, v, requested);
  if (n != 14 && n != 15) {
    return reject(c, kind, Problem::WrongLength,
                  "wrong length: " + std::to_string(n) +
                      " digits, IMEI needs 15 (or 14 without check digit, 16 for an IMEISV)");
  }
  const char expected = *luhn_check_digit(v.substr(0, 14));
  if (n == 15 && v[14] != expected)
    return reject(c, kind, Problem::BadCheckDigit, bad_check_digit(v[14], expected), 14);

  Identifier id = make_identifier(c, Kind::Imei);
  id.canonical.reserve(15);
  id.canonical.assign(v.substr(0, 14));
  id.canonical.push_back(expected);
  fill_common(id, v);
  id.derived.check_digit.assign(1, expected);
  id.derived.imei = id.canonical;
  if (n == 14)
    id.notes.push_back(std::string("check digit ") + expected + " added (14 digits given)");
  if (id.canonical == "000000000000000")
    id.notes.emplace_back(
        "all zeros: a placeholder reported by devices without a valid IMEI, not a real IMEI");
  return id;
}

}  // namespace dfx::ident::detail
