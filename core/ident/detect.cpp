// Kind::Auto. The precedence is documented in identifier.hpp; in short: a label decides first,
// then the shape of the cleaned value (0x prefix, all digits, hex, other) and its length.
// Lengths shared by several kinds resolve to the kind a technician most likely holds, with a
// note naming the alternatives (e.g. 14 digits: IMEI without check digit, not IMSI).
#include <string>

#include "numtext.hpp"
#include "parsers.hpp"

namespace dfx::ident::detail {
namespace {

// There is no fallback to a free-form serial number: a value that is not clearly an identifier is
// refused with the reason, because a "serial" that misses every register would read as clean.
struct Guess {
  Kind kind = Kind::Auto;
  const char* note = nullptr;    // ambiguity note for the result or rejection
  const char* refuse = nullptr;  // set: no kind fits; this is the reason
};

/// Kind for a value of `n` characters that are (nearly) all decimal digits.
Guess numeric_guess(std::string_view v, std::size_t n) {
  const bool starts89 = v.size() >= 2 && v[0] == '8' && v[1] == '9';
  const bool starts98 = v.size() >= 2 && v[0] == '9' && v[1] == '8';
  switch (n) {
    case 8:
      return {Kind::Esn,
              "8 characters: read as an ESN (hex form); for a serial number choose kind serial"};
    case 11:
      return {Kind::Esn,
              "11 digits: read as an ESN in decimal form; for a serial number choose kind serial"};
    case 14:
      return {Kind::Imei,
              "14 digits: read as an IMEI without check digit; the same digits could be an IMSI "
              "(choose kind imsi) or an all-decimal MEID"};
    case 15:
      return {Kind::Imei, nullptr};  // IMSIs are never auto-detected: see identifier.hpp
    case 16:
      return {Kind::Imeisv, nullptr};
    case 18:
      return {Kind::Meid, nullptr};
    // A 19-digit value starting 89 can never be a decimal MEID: its first 10 digits exceed 32 bits.
    case 19:
      return {starts89 ? Kind::Iccid : Kind::Meid, nullptr};
    case 20:
      if (starts89 || starts98) return {Kind::Iccid, nullptr};
      return {Kind::Auto, nullptr,
              "digits not starting with 89 (ICCID) or 98 (nibble-swapped ICCID): not a "
              "recognised identifier"};
    case 32:
      return {Kind::Eid, nullptr};
    default:
      break;
  }
  if (n >= 12 && n <= 17) return {Kind::Imei, nullptr};
  if (n > 20)
    return {Kind::Auto, nullptr,
            "digits: no identifier has this many (IMEI 15, IMEISV 16, MEID 18, ICCID 19-20, "
            "EID 32)"};
  return {Kind::Auto, nullptr,
          "digits: too few for an identifier (IMEI 15, MEID 18, ESN 8 hex or 11 digits)"};
}

constexpr const char* kNotAnIdentifier =
    "not a recognised identifier; a free-form serial number is read only when its kind is "
    "given (--kind serial, a serial column, or an S/N: label)";

Guess guess(const Cleaned& c) {
  const std::string_view v = c.view();
  const std::size_t n = c.size;
  if (c.hex_prefix) {
    if (n == 7 || n == 8) return {Kind::Esn, nullptr};
    if (n == 14 || n == 15) return {Kind::Meid, nullptr};
    return {Kind::Ecid, nullptr};
  }
  std::size_t digits = 0, hex_letters = 0, f_letters = 0;
  for (const char ch : v) {
    if (is_digit(ch))
      ++digits;
    else if (is_hex(ch)) {
      ++hex_letters;
      if (ch == 'F' || ch == 'f') ++f_letters;
    }
  }
  const std::size_t others = n - digits - hex_letters;  // n >= v.size() counts overflow as others
  if (others == 0 && hex_letters == 0) return numeric_guess(v, n);
  if (others == 0) {
    if (n == 14 || n == 15) return {Kind::Meid, nullptr};
    if (n == 8) return numeric_guess(v, n);
    if (n == 24 || n == 40) return {Kind::Udid, nullptr};
    if (n == 20 && f_letters == hex_letters &&
        ((v[0] == '8' && v[1] == '9') || (v[0] == '9' && v[1] == '8')))
      return {Kind::Iccid, nullptr};
    return {Kind::Auto, nullptr,
            "hex characters: no identifier has this form (MEID 14, ESN 8, UDID 24 or 40, ECID "
            "with a 0x prefix)"};
  }
  // A few stray characters in an otherwise numeric value of identifier length: most likely a
  // mistyped identifier (letter O for zero...). Reporting the character beats accepting a serial.
  if (hex_letters == 0 && others <= 2 && ((n >= 12 && n <= 20) || n == 32)) {
    Guess g = numeric_guess(v, n);
    if (g.kind != Kind::Auto) {
      g.note = nullptr;
      return g;
    }
  }
  return {Kind::Auto, nullptr, kNotAnIdentifier};
}

void add_note(Result& r, std::string note) {
  if (r)
    r->notes.push_back(std::move(note));
  else
    r.error().notes.push_back(std::move(note));
}

}  // namespace

Result detect_and_parse(const Cleaned& c) {
  if (c.size == 0)
    return reject(c, Kind::Auto, Problem::Empty, "empty: no identifier found in the input");

  const Guess g = guess(c);
  if (c.label_kind) {
    const Kind labelled = *c.label_kind;
    Result r = parse_as(c, labelled);
    if (r || labelled == Kind::Serial) return r;
    // The label may be wrong (a MEID printed after "IMEI:"): accept what the value clearly is.
    if (g.kind != labelled && g.kind != Kind::Auto &&
        !(labelled == Kind::Imei && g.kind == Kind::Imeisv)) {
      Result alt = parse_as(c, g.kind);
      if (alt) {
        alt->notes.push_back("labelled " + std::string(c.label) + " but not a valid " +
                             std::string(to_string(labelled)) + " (" + r.error().reason +
                             "): read as " + std::string(to_string(g.kind)));
        return alt;
      }
    }
    return r;
  }

  if (g.kind == Kind::Auto) {
    // Counted refusals ("digits: ...", "hex characters: ...") start with their count.
    const std::string_view why = g.refuse;
    std::string reason = why == kNotAnIdentifier ? std::string(why)
                                                 : std::to_string(c.size) + " " + std::string(why);
    return reject(c, Kind::Auto, Problem::Unrecognised, std::move(reason));
  }
  Result r = parse_as(c, g.kind);
  if (g.note != nullptr) add_note(r, g.note);
  if (!r) add_note(r, "for a free-form serial number choose kind serial");
  return r;
}

}  // namespace dfx::ident::detail
