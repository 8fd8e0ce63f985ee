// Values that are not one identifier in the ways people's tools break them: a spreadsheet that
// turned an IMEI into 3.53812E+14 or 353812084788745.0 or 353,812,084,788,745; two identifiers in
// one cell; label text dfx does not know. Each gets a rejection that says what happened and what
// to do, instead of a bare "bad character" (or, worse, a value read as something it is not).
#include <string>
#include <vector>

#include "numtext.hpp"
#include "parsers.hpp"

namespace dfx::ident::detail {
namespace {

/// "3.53812E+14", "3,53812E+14" (a European decimal comma), "353812E+9": digits, an optional
/// decimal point and more digits, E, an optional sign and 1-3 digits. A bare "123E4" is left
/// alone (it is also a hex value), so a '.', ',' or '+' must be there.
std::optional<std::size_t> scientific_notation(std::string_view v) {
  std::size_t i = 0;
  while (i < v.size() && is_digit(v[i])) ++i;
  if (i == 0) return std::nullopt;
  bool marked = false;
  if (i < v.size() && (v[i] == '.' || v[i] == ',')) {
    marked = true;
    ++i;
    while (i < v.size() && is_digit(v[i])) ++i;
  }
  if (i >= v.size() || (v[i] != 'E' && v[i] != 'e')) return std::nullopt;
  const std::size_t e = i++;
  if (i < v.size() && v[i] == '+') {
    marked = true;
    ++i;
  }
  const std::size_t exponent = i;
  while (i < v.size() && is_digit(v[i])) ++i;
  if (!marked || i != v.size() || i == exponent || i - exponent > 3) return std::nullopt;
  return e;
}

/// "353,812,084,788,745" or "353.812.084.788.745" or "353'812'084'788'745": 1-3 digits, then
/// groups of a separator and three digits, one separator throughout.
bool thousands_grouping(std::string_view v) {
  std::size_t lead = 0;
  while (lead < v.size() && is_digit(v[lead])) ++lead;
  if (lead == 0 || lead > 3 || lead == v.size()) return false;
  const char sep = v[lead];
  if (sep != ',' && sep != '.' && sep != '\'') return false;
  std::size_t groups = 0;
  for (std::size_t i = lead; i < v.size(); i += 4, ++groups)
    if (i + 4 > v.size() || v[i] != sep || !all_digits(v.substr(i + 1, 3))) return false;
  return groups >= 2;
}

bool is_list_delimiter(char c) {
  return c == ',' || c == ';' || c == '|' || c == '/';
}

/// The parts of `text` between list delimiters (or, when `by_spaces`, runs of blanks).
std::vector<std::string_view> split(std::string_view text, bool by_spaces) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool cut =
        i == text.size() ||
        (by_spaces ? (text[i] == ' ' || text[i] == '\t')
                   : (is_list_delimiter(text[i]) || text[i] == '\t' || text[i] == '\n'));
    if (!cut) continue;
    if (i > start) parts.push_back(text.substr(start, i - start));
    start = i + 1;
  }
  return parts;
}

/// The identifiers `text` holds when it holds several (each part recognised on its own), else
/// an empty list. Parts are recognised without a fallback (see detect.cpp).
std::vector<std::string> several_identifiers(std::string_view text) {
  for (const bool by_spaces : {false, true}) {
    const auto parts = split(text, by_spaces);
    if (parts.size() < 2 || parts.size() > 16) continue;
    std::vector<std::string> found;
    for (const std::string_view part : parts) {
      const Cleaned c = clean(part, CleanMode::Compact);
      // Spaces group the digits of one identifier ("35 209900 176148 1"): split there only when
      // every part is a whole identifier of its own.
      if (c.size < (by_spaces ? 14U : 8U)) break;
      const Result r = detect_and_parse(c);
      if (!r || r->kind == Kind::Serial) break;
      found.push_back(r->canonical);
    }
    if (found.size() == parts.size()) return found;
  }
  return {};
}

std::size_t find_first(const Cleaned& c, std::string_view chars) {
  const std::string_view v = c.view();
  const std::size_t i = v.find_first_of(chars);
  return i == std::string_view::npos ? kNoIndex : i;
}

std::string position_of(const Cleaned& c, std::size_t index) {
  return std::to_string(char_position(c.input, c.offsets[index]));
}

}  // namespace

std::optional<Rejection> diagnose_shape(const Cleaned& c, Kind kind) {
  auto make = [&](Problem problem, std::string reason, std::size_t index = kNoIndex) {
    return std::optional<Rejection>(reject(c, kind, problem, std::move(reason), index).value());
  };
  const std::string_view v = c.view();
  if (v.empty() || c.truncated()) return std::nullopt;

  if (const auto e = scientific_notation(v))
    return make(Problem::Mangled,
                "looks like a spreadsheet's scientific notation (" + std::string(v) +
                    "): digits were lost; re-export the column formatted as text",
                *e);
  if (const auto ids = several_identifiers(c.input); !ids.empty()) {
    std::string list;
    for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
    return make(Problem::SeveralValues, "holds " + std::to_string(ids.size()) + " identifiers (" +
                                            list + "): give one identifier per value or row");
  }
  if (kind == Kind::Serial) return std::nullopt;  // the rest are ordinary in serial numbers

  if (thousands_grouping(v))
    return make(Problem::Mangled,
                "digits grouped in thousands: a spreadsheet formatted the identifier as a "
                "number; re-export the column formatted as text",
                find_first(c, ",.'"));
  if (const std::size_t i = find_first(c, ",;"); i != kNoIndex)
    return make(Problem::SeveralValues,
                "'" + std::string(1, v[i]) + "' at position " + position_of(c, i) +
                    ": a value holds one identifier (is '" + std::string(1, v[i]) +
                    "' the list's delimiter?)",
                i);
  if (const std::size_t i = find_first(c, "."); i != kNoIndex)
    return make(Problem::Mangled,
                "decimal point at position " + position_of(c, i) +
                    ": a number format may have dropped or changed digits; re-export the column "
                    "formatted as text, or give the identifier without dots",
                i);
  if (const std::size_t i = find_first(c, ":"); i != kNoIndex && i > 0)
    return make(Problem::Unrecognised,
                "label text '" + std::string(v.substr(0, i + 1)) +
                    "' is not an identifier label dfx knows (IMEI:, MEID:, ICCID:, S/N: ...)",
                i);
  return std::nullopt;
}

}  // namespace dfx::ident::detail
