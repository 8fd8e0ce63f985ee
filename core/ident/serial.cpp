// Free-form manufacturer serial numbers (Android ro.serialno, Apple serials, label S/N).
// There is no check digit to verify, so the job is to make equal serials compare equal:
// trim, collapse whitespace runs to one space, upper-case ASCII letters. Rejected: empty,
// control characters, non-ASCII characters (serials are ASCII; a non-ASCII character is almost
// always a scanner/keyboard-layout error), more than 64 characters.
#include <string>

#include "numtext.hpp"
#include "parsers.hpp"

namespace dfx::ident::detail {

inline constexpr std::size_t kMaxSerial = 64;

Result parse_serial(const Cleaned& c) {
  constexpr Kind kind = Kind::Serial;
  if (c.size == 0) return reject(c, kind, Problem::Empty, "empty: no serial number found");
  const std::size_t bad = find_bad(c, [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u >= 0x20 && u < 0x7F;
  });
  if (bad != kNoIndex) {
    if (is_control_at(c.input, c.offsets[bad]))
      return reject_char(c, kind, bad, "control character");
    return reject_char(c, kind, bad, "non-ASCII character");
  }
  if (c.size > kMaxSerial)
    return reject(
        c, kind, Problem::WrongLength,
        "too long: " + std::to_string(c.size) + " characters, a serial number has at most 64");
  Identifier id = make_identifier(c, kind);
  const std::string_view v = c.view();
  id.canonical.reserve(v.size());
  for (const char ch : v) id.canonical.push_back(to_upper(ch));
  return id;
}

}  // namespace dfx::ident::detail
