#include "values.hpp"

#include <algorithm>

namespace dfx::at {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// Quotes a value for an error message, shortened: a hostile modem's 4 KiB line stays in the log
// as its first 64 characters.
std::string shown(std::string_view v) {
  std::string out = "\"" + std::string(v.substr(0, 64)) + (v.size() > 64 ? "...\"" : "\"");
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  return out;
}

Result<std::string> digits_of_length(std::string_view value, std::size_t min, std::size_t max,
                                     const char* what) {
  if (!all_digits(value) || value.size() < min || value.size() > max)
    return fail(Errc::malformed,
                std::string(what) + " " + shown(value) + " is not " +
                    (min == max ? std::to_string(min)
                                : std::to_string(min) + " to " + std::to_string(max)) +
                    " decimal digits");
  return std::string(value);
}

// Parses a small decimal number (a status word); -1 when it is not one.
int small_number(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 3 || !all_digits(s)) return -1;
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

std::string_view line_value(std::string_view line, std::span<const std::string_view> prefixes) {
  std::string_view v = trim(line);
  for (auto p : prefixes) {
    if (p.empty() || v.size() < p.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < p.size(); ++i) match = match && upper(v[i]) == upper(p[i]);
    if (!match) continue;
    v.remove_prefix(p.size());
    if (!v.empty() && v.front() == ':') v.remove_prefix(1);
    break;
  }
  v = trim(v);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return v;
}

Result<std::string> first_value(const Reply& reply, std::span<const std::string_view> prefixes,
                                std::string_view command) {
  for (const auto& line : reply.lines) {
    const auto v = line_value(line, prefixes);
    if (!v.empty()) return std::string(v);
  }
  return fail(Errc::not_found,
              std::string(command) + " answered " + reply.final_line + " without a value");
}

Result<std::string> parse_imei(std::string_view value) {
  return digits_of_length(value, 15, 15, "IMEI");
}

Result<std::string> parse_imeisv(std::string_view value) {
  return digits_of_length(value, 16, 16, "IMEISV");
}

Result<std::string> parse_imsi(std::string_view value) {
  return digits_of_length(value, 14, 15, "IMSI");
}

Result<std::string> parse_text(std::string_view value) {
  if (value.empty() || value.size() > 256)
    return fail(Errc::malformed, "text " + shown(value) + " is empty or longer than 256 bytes");
  for (char c : value)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      return fail(Errc::malformed, "text " + shown(value) + " holds control characters");
  return std::string(value);
}

Result<std::string> parse_iccid(std::string_view value) {
  std::string v;
  for (char c : value) v.push_back(upper(c));
  while (!v.empty() && v.back() == 'F') v.pop_back();  // BCD padding of a 19-digit ICCID
  const bool shape = (v.size() == 19 || v.size() == 20) && v.starts_with("89");
  bool chars = shape;
  for (std::size_t i = 0; chars && i < v.size(); ++i)
    chars = i < 6 ? (v[i] >= '0' && v[i] <= '9') : is_hex(v[i]);
  if (!chars)
    return fail(Errc::malformed,
                "ICCID " + shown(value) + " is not 19 or 20 digits starting with 89");
  return v;
}

Result<std::string> decode_crsm_iccid(std::string_view value) {
  // sw1,sw2[,"response"]
  const auto c1 = value.find(',');
  if (c1 == std::string_view::npos)
    return fail(Errc::malformed, "+CRSM answer " + shown(value) + " has no status words");
  const auto rest = value.substr(c1 + 1);
  const auto c2 = rest.find(',');
  const int sw1 = small_number(value.substr(0, c1));
  const int sw2 = small_number(rest.substr(0, c2));
  if (sw1 < 0 || sw2 < 0 || sw1 > 255 || sw2 > 255)
    return fail(Errc::malformed, "+CRSM answer " + shown(value) + " has no status words");
  if (sw1 != 144 || sw2 != 0)
    return fail(Errc::refused, "the SIM answered READ BINARY of EF_ICCID with status words " +
                                   std::to_string(sw1) + "," + std::to_string(sw2) +
                                   " (144,0 is success)");
  if (c2 == std::string_view::npos)
    return fail(Errc::malformed, "+CRSM answer " + shown(value) + " has no data");
  std::string_view data = trim(rest.substr(c2 + 1));
  if (data.size() >= 2 && data.front() == '"' && data.back() == '"')
    data = data.substr(1, data.size() - 2);
  if (data.empty() || data.size() % 2 != 0 || data.size() > 20 ||
      !std::all_of(data.begin(), data.end(), is_hex))
    return fail(Errc::malformed,
                "+CRSM data " + shown(data) + " is not at most 10 bytes of hex (EF_ICCID)");
  // EF_ICCID is BCD with swapped nibbles: "98 10 ..." holds the digits "89 01 ...".
  std::string swapped;
  for (std::size_t i = 0; i < data.size(); i += 2) {
    swapped.push_back(upper(data[i + 1]));
    swapped.push_back(upper(data[i]));
  }
  auto iccid = parse_iccid(swapped);
  if (!iccid) return fail(iccid.error(), "+CRSM EF_ICCID " + shown(data));
  return iccid;
}

}  // namespace dfx::at
