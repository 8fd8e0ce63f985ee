// normalize() entry point, kind names, and the result/rejection helpers shared by the parsers.
#include "ident/identifier.hpp"

#include <array>
#include <string>

#include "clean_input.hpp"
#include "numtext.hpp"
#include "parsers.hpp"

namespace dfx::ident {
namespace {

constexpr std::array<std::string_view, 11> kKindNames = {
    "imei", "imeisv", "meid", "esn", "iccid", "imsi", "eid", "ecid", "udid", "serial", "auto"};

}  // namespace

std::string_view to_string(Kind kind) noexcept {
  const auto i = static_cast<std::size_t>(kind);
  return i < kKindNames.size() ? kKindNames[i] : std::string_view("unknown");
}

std::optional<Kind> kind_from_string(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    const std::string_view k = kKindNames[i];
    if (k.size() != name.size()) continue;
    bool same = true;
    for (std::size_t j = 0; j < k.size() && same; ++j) same = detail::to_lower(name[j]) == k[j];
    if (same) return static_cast<Kind>(i);
  }
  return std::nullopt;
}

std::string_view to_string(Problem problem) noexcept {
  switch (problem) {
    case Problem::Empty:
      return "empty";
    case Problem::BadCharacter:
      return "bad-character";
    case Problem::WrongLength:
      return "wrong-length";
    case Problem::BadCheckDigit:
      return "bad-check-digit";
    case Problem::OutOfRange:
      return "out-of-range";
    case Problem::Unrecognised:
      return "unrecognised";
    case Problem::Mangled:
      return "mangled";
    case Problem::SeveralValues:
      return "several-values";
  }
  return "unknown";
}

std::vector<std::pair<std::string_view, std::string_view>> Derived::fields() const {
  const std::pair<std::string_view, const std::string*> all[] = {
      {"tac", &tac},
      {"snr", &snr},
      {"imei", &imei},
      {"svn", &svn},
      {"check_digit", &check_digit},
      {"meid_hex", &meid_hex},
      {"meid_hex_check", &meid_hex_check},
      {"meid_decimal", &meid_decimal},
      {"meid_decimal_check", &meid_decimal_check},
      {"pesn", &pesn},
      {"manufacturer", &manufacturer},
      {"serial", &serial},
      {"esn_hex", &esn_hex},
      {"esn_decimal", &esn_decimal},
      {"mcc", &mcc},
      {"mnc", &mnc},
      {"msin", &msin},
      {"ecid_hex", &ecid_hex},
      {"ecid_decimal", &ecid_decimal},
      {"chip_id", &chip_id},
  };
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (const auto& [name, value] : all)
    if (!value->empty()) out.emplace_back(name, *value);
  return out;
}

namespace detail {

tl::unexpected<Rejection> reject(const Cleaned& c, Kind kind, Problem problem, std::string reason,
                                 std::size_t index) {
  Rejection r;
  r.kind = kind;
  r.input.assign(c.input);
  r.reason = std::move(reason);
  r.problem = problem;
  if (index != kNoIndex && index < c.view().size())
    r.position = char_position(c.input, c.offsets[index]);
  return tl::unexpected<Rejection>(std::move(r));
}

tl::unexpected<Rejection> reject_char(const Cleaned& c, Kind kind, std::size_t index,
                                      std::string_view what, std::string_view extra) {
  const std::size_t offset = c.offsets[index];
  std::string reason;
  if (is_control_at(c.input, offset)) {
    reason = "control character ";
  } else {
    reason.assign(what);
    reason.push_back(' ');
  }
  reason += describe_char(c.input, offset);
  reason += " at position ";
  reason += std::to_string(char_position(c.input, offset));
  // The usual typing slips when copying a number from a label.
  const char ch = c[index];
  if (ch == 'O' || ch == 'o')
    reason += " (letter O, not zero?)";
  else if (ch == 'I' || ch == 'l' || ch == '|')
    reason += " (letter, not one?)";
  if (!extra.empty()) {
    reason += ": ";
    reason += extra;
  }
  return reject(c, kind, Problem::BadCharacter, std::move(reason), index);
}

Identifier make_identifier(const Cleaned& c, Kind kind) {
  Identifier id;
  id.kind = kind;
  id.input.assign(c.input);
  return id;
}

std::string bad_check_digit(char got, char expected) {
  std::string s = "bad check digit: got ";
  s.push_back(got);
  s += ", expected ";
  s.push_back(expected);
  return s;
}

Result parse_as(const Cleaned& compact, Kind kind) {
  // 0x only makes sense before the hexadecimal kinds; elsewhere the 'x' is a typing error.
  if (compact.hex_prefix && kind != Kind::Meid && kind != Kind::Esn && kind != Kind::Ecid &&
      kind != Kind::Serial && kind != Kind::Auto) {
    const std::size_t offset = compact.hex_prefix_offset;
    const std::size_t position = char_position(compact.input, offset);
    auto r = reject(compact, kind, Problem::BadCharacter,
                    "non-digit " + describe_char(compact.input, offset) + " at position " +
                        std::to_string(position) + ": a 0x prefix is for hexadecimal values, " +
                        std::string(to_string(kind)) + " is not one");
    r.value().position = position;
    return r;
  }
  switch (kind) {
    case Kind::Imei:
    case Kind::Imeisv:
      return parse_imei(compact, kind);
    case Kind::Meid:
      return parse_meid(compact);
    case Kind::Esn:
      return parse_esn(compact);
    case Kind::Iccid:
      return parse_iccid(compact);
    case Kind::Imsi:
      return parse_imsi(compact);
    case Kind::Eid:
      return parse_eid(compact);
    case Kind::Ecid:
      return parse_ecid(compact);
    case Kind::Udid:
      return parse_udid(compact);
    case Kind::Serial:
      return parse_serial(clean(compact.input, CleanMode::Serial));
    case Kind::Auto:
      return detect_and_parse(compact);
  }
  return reject(compact, kind, Problem::Unrecognised, "unknown identifier kind");
}

}  // namespace detail

tl::expected<Identifier, Rejection> normalize(std::string_view input, Kind kind) {
  using namespace detail;
  const Cleaned c = clean(input, kind == Kind::Serial ? CleanMode::Serial : CleanMode::Compact);
  Result r = kind == Kind::Serial ? parse_serial(c) : parse_as(c, kind);
  // Say how a value that is not one identifier came to be so (a spreadsheet's number format,
  // two identifiers in a cell...) rather than naming its first odd character. A serial number
  // may hold dots and commas, but not two identifiers or a spreadsheet's exponent.
  if (!r &&
      (r.error().problem == Problem::BadCharacter || r.error().problem == Problem::WrongLength ||
       r.error().problem == Problem::Unrecognised)) {
    if (auto shape = diagnose_shape(c, kind)) r = tl::unexpected(std::move(*shape));
  } else if (r && r->kind == Kind::Serial) {
    if (auto shape = diagnose_shape(clean(input, CleanMode::Compact), Kind::Serial))
      r = tl::unexpected(std::move(*shape));
  }
  // A label naming another kind is ignored when the caller chose the kind; say so.
  if (kind != Kind::Auto && c.label_kind && *c.label_kind != kind &&
      !(*c.label_kind == Kind::Imei && kind == Kind::Imeisv) &&
      !(*c.label_kind == Kind::Imeisv && kind == Kind::Imei)) {
    std::string note =
        "label " + std::string(c.label) + " ignored: read as " + std::string(to_string(kind));
    if (r)
      r->notes.push_back(std::move(note));
    else
      r.error().notes.push_back(std::move(note));
  }
  return r;
}

}  // namespace dfx::ident
