// Internal: one parser per kind, each taking an already cleaned value, plus the helpers they
// share for building results and technician-readable rejections.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "clean_input.hpp"
#include "ident/identifier.hpp"

namespace dfx::ident::detail {

using Result = tl::expected<Identifier, Rejection>;

inline constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);

/// A Rejection of `c` as `kind`. `index` (into the cleaned characters) sets the position.
tl::unexpected<Rejection> reject(const Cleaned& c, Kind kind, Problem problem, std::string reason,
                                 std::size_t index = kNoIndex);

/// "<what> 'O' at position 5 (letter O, not zero?)[: <extra>]" for the cleaned character at
/// `index`; control characters are reported as such whatever `what` says.
tl::unexpected<Rejection> reject_char(const Cleaned& c, Kind kind, std::size_t index,
                                      std::string_view what, std::string_view extra = {});

/// Index of the first cleaned character for which `ok` is false, or kNoIndex.
template <typename Pred>
std::size_t find_bad(const Cleaned& c, Pred ok) {
  const std::string_view v = c.view();
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!ok(v[i])) return i;
  return kNoIndex;
}

/// An Identifier of `kind` for `c` with the input copied; the caller fills the rest.
Identifier make_identifier(const Cleaned& c, Kind kind);

/// "bad check digit: got 3, expected 7".
std::string bad_check_digit(char got, char expected);

// Parsers. Each expects `c` cleaned in CleanMode::Compact, except parse_serial (Serial mode).
Result parse_imei(const Cleaned& c, Kind requested);  ///< Imei (14/15/16 digits) or Imeisv
Result parse_meid(const Cleaned& c);
Result parse_esn(const Cleaned& c);
Result parse_iccid(const Cleaned& c);
Result parse_imsi(const Cleaned& c);
Result parse_eid(const Cleaned& c);
Result parse_ecid(const Cleaned& c);
Result parse_udid(const Cleaned& c);
Result parse_serial(const Cleaned& c);

/// Parses a cleaned value as `kind` (not Auto), re-cleaning in Serial mode for Kind::Serial.
Result parse_as(const Cleaned& compact, Kind kind);

/// Kind::Auto: picks the kind by the precedence documented in identifier.hpp and parses.
Result detect_and_parse(const Cleaned& compact);

/// A rejection naming how `c` fails to be one identifier when it has a shape people's tools
/// produce (scientific notation, decimal point, thousands grouping, several identifiers, a list
/// delimiter, unknown label text), else nullopt. For Kind::Serial only scientific notation and
/// several identifiers count: the rest are ordinary in serial numbers.
std::optional<Rejection> diagnose_shape(const Cleaned& c, Kind kind);

}  // namespace dfx::ident::detail
