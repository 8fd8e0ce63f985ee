// eUICC identifier (GSMA SGP.02/SGP.29): 32 digits, starting 89 like an ICCID, whose last two
// digits are ISO/IEC 7064 MOD 97-10 check digits (the whole number mod 97 == 1).
#include <string>

#include "ident/checksum.hpp"
#include "numtext.hpp"
#include "parsers.hpp"

namespace dfx::ident::detail {

Result parse_eid(const Cleaned& c) {
  constexpr Kind kind = Kind::Eid;
  if (c.size == 0) return reject(c, kind, Problem::Empty, "empty: no digits found");
  if (const std::size_t bad = find_bad(c, is_digit); bad != kNoIndex)
    return reject_char(c, kind, bad, "non-digit");
  const std::string_view v = c.view();
  if (c.size != 32)
    return reject(c, kind, Problem::WrongLength,
                  "wrong length: " + std::to_string(c.size) + " digits, EID needs 32");
  if (v[0] != '8' || v[1] != '9')
    return reject(c, kind, Problem::OutOfRange,
                  "EID must start with 89 (telecommunications), got " + std::string(v.substr(0, 2)),
                  0);
  if (!mod97_10_valid(v)) {
    return reject(c, kind, Problem::BadCheckDigit,
                  "bad check digits: got " + std::string(v.substr(30, 2)) + ", expected " +
                      *mod97_10_check_digits(v.substr(0, 30)),
                  30);
  }
  Identifier id = make_identifier(c, kind);
  id.canonical.assign(v);
  id.derived.check_digit.assign(v.substr(30, 2));
  return id;
}

}  // namespace dfx::ident::detail
