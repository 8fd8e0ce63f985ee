// Inputs for the python-stdnum differential tests, generated from fixed seeds so that every run
// and every machine sees the same ones.
#include "differential_inputs.hpp"

#include "gen.hpp"
#include "ident/convert.hpp"
#include "stdnum_oracle.hpp"

namespace dfx::ident::testing {
namespace {

std::string change_one_digit(Gen& g, std::string s) {
  const std::size_t i = g.below(s.size());
  s[i] = static_cast<char>('0' + (s[i] - '0' + 1 + static_cast<int>(g.below(9))) % 10);
  return s;
}

std::string transpose(Gen& g, std::string s) {
  const std::size_t i = g.below(s.size() - 1);
  std::swap(s[i], s[i + 1]);
  return s;
}

std::string random_case(Gen& g, std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'F' && g.coin(50)) c = static_cast<char>(c + 32);
  return s;
}

}  // namespace

std::vector<std::string> make_ascii_inputs() {
  Gen g(0x5eed'1d3f'0000'0001ULL);
  std::vector<std::string> v = {"",
                                " ",
                                "-",
                                " - ",
                                "35-209900-176148-1",
                                " 352099001761481 ",
                                "AF 01 23 45 0A BC DE C",
                                "29360 87365 0070 3710 0",
                                "429496729516777215",
                                "429496729616777215",
                                "429496729516777216",
                                "000000000000000000",
                                "00000000000000",
                                "000000000000000"};
  auto add = [&v](int count, auto make) {
    for (int i = 0; i < count; ++i) v.push_back(make());
  };
  // IMEI family.
  add(2000, [&] { return g.imei(); });
  add(500, [&] { return g.imei().substr(0, 14); });
  add(500, [&] { return g.imei().substr(0, 14) + g.digits(2); });
  add(1000, [&] { return change_one_digit(g, g.imei()); });
  add(1000, [&] { return transpose(g, g.imei()); });
  add(500, [&] { return g.digits(g.below(25)); });
  add(500, [&] {
    std::string s = g.imei();
    s[g.below(s.size())] = "ABCDEFabcdef"[g.below(12)];
    return s;
  });
  // Separators and surrounding spaces on valid values of every form.
  add(1500, [&] {
    std::string s;
    switch (g.below(4)) {
      case 0:
        s = g.imei();
        break;
      case 1:
        s = g.imei().substr(0, 14) + g.digits(2);
        break;
      case 2:
        s = random_case(g, g.meid_hex());
        break;
      default:
        s = *meid_hex_to_decimal(g.hex(14));
        break;
    }
    s = g.sprinkle(s, " -", g.below(5));
    if (g.coin(20)) s = " " + s;
    if (g.coin(20)) s += "  ";
    return s;
  });
  // MEID hex forms.
  add(1000, [&] { return random_case(g, g.meid_hex()); });
  add(1000, [&] {
    const std::string h = g.meid_hex();
    return random_case(g, h + *meid_check_digit(h));
  });
  add(500, [&] {
    const std::string h = g.meid_hex();
    const char cd = *meid_check_digit(h);
    char other = cd;
    while (other == cd) other = "0123456789ABCDEF"[g.below(16)];
    return h + other;
  });
  add(500, [&] { return g.hex(14 + g.below(2)); });  // any regional code, maybe all-decimal
  // MEID decimal forms, including check digits and overflowing parts.
  add(700, [&] { return *meid_hex_to_decimal(g.hex(14)); });
  add(700, [&] {
    const std::string d = *meid_hex_to_decimal(g.hex(14));
    return d + *luhn_check_digit(d);
  });
  add(300, [&] {
    return change_one_digit(g, [&] {
      const std::string d = *meid_hex_to_decimal(g.hex(14));
      return d + *luhn_check_digit(d);
    }());
  });
  add(500, [&] {
    // High part 4294967296..9999999999 or low part 16777216..99999999.
    std::string high = std::to_string(g.below(4294967296ULL));
    std::string low = std::to_string(g.below(16777216ULL));
    if (g.coin())
      high = std::to_string(4294967296ULL + g.below(5705032704ULL));
    else
      low = std::to_string(16777216ULL + g.below(83222784ULL));
    std::string d =
        std::string(10 - high.size(), '0') + high + std::string(8 - low.size(), '0') + low;
    if (g.coin(30)) d += *luhn_check_digit(d);
    return d;
  });
  // All-decimal 14/15-character MEIDs: stdnum validates these as IMEIs.
  add(500, [&] { return g.digits(14); });
  add(500, [&] { return g.imei(); });
  add(500, [&] {
    const std::string body = g.digits(14);
    return body + *luhn_check_digit(body, 16);  // the hex-Luhn digit: valid only by chance
  });
  // Random strings over stdnum's alphabet.
  add(1500, [&] {
    std::string s(g.below(25), '0');
    for (char& c : s) c = "0123456789ABCDEFabcdef -"[g.below(24)];
    return s;
  });
  return v;
}

namespace {

/// A valid value of one of the forms stdnum knows: IMEI, IMEI without check digit, IMEISV, hex
/// MEID (with or without check digit), decimal MEID; now and then with one digit changed.
std::string some_value(Gen& g) {
  std::string s;
  switch (g.below(6)) {
    case 0:
      s = g.imei();
      break;
    case 1:
      s = g.imei().substr(0, 14);
      break;
    case 2:
      s = g.imei().substr(0, 14) + g.digits(2);
      break;
    case 3:
      s = random_case(g, g.meid_hex());
      break;
    case 4: {
      const std::string h = g.meid_hex();
      s = h + *meid_check_digit(h);
      break;
    }
    default:
      s = *meid_hex_to_decimal(g.hex(14));
      break;
  }
  if (g.coin(15)) {
    const std::size_t i = g.below(s.size());
    if (s[i] >= '0' && s[i] <= '9') s = change_one_digit(g, s);
  }
  return s;
}

/// Inserts `what` at a random place of `s` that is not at either end (the ends are trimmed, which
/// is tested separately).
std::string insert_inside(Gen& g, std::string s, const std::string& what) {
  // Positions between characters: after a whole UTF-8 character, never inside one.
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) cuts.push_back(i);
  if (cuts.empty()) return s + what;
  s.insert(cuts[g.below(cuts.size())], what);
  return s;
}

}  // namespace

std::vector<std::string> make_unicode_inputs(const std::vector<CharEquivalent>& map) {
  Gen g(0x5eed'1d3f'0000'0002ULL);
  std::vector<std::string> digits[10], separators, others;
  for (const auto& e : map) {
    if (e.code_point < 0x80) continue;
    if (e.ascii >= '0' && e.ascii <= '9')
      digits[e.ascii - '0'].push_back(utf8(e.code_point));
    else if (e.ascii == ' ' || e.ascii == '-')
      separators.push_back(utf8(e.code_point));
    else
      others.push_back(utf8(e.code_point));
  }
  // Characters stdnum does not map, that people's text holds: zero-width space, word joiner,
  // Arabic-Indic and Devanagari digits, a ligature, soft hyphen, C1 control, private use.
  for (const std::uint32_t cp : {0x200Bu, 0x2060u, 0x0661u, 0x0967u, 0xFB01u, 0x00ADu, 0x0085u,
                                 0xE000u, 0x2028u, 0x00B2u, 0x2460u})
    others.push_back(utf8(cp));

  std::vector<std::string> v;
  auto add = [&v](int count, auto make) {
    for (int i = 0; i < count; ++i) v.push_back(make());
  };
  // Look-alike digits: full-width, mathematical... wherever a digit is.
  add(1500, [&] {
    const std::string s = some_value(g);
    std::string out;
    for (const char c : s) {
      if (c >= '0' && c <= '9' && g.coin(30)) {
        const auto& alike = digits[c - '0'];
        out += alike[g.below(alike.size())];
      } else {
        out.push_back(c);
      }
    }
    return out;
  });
  // Unicode spaces and dashes as separators, sometimes with ASCII ones and at the ends.
  add(1500, [&] {
    std::string s = some_value(g);
    for (std::size_t n = 1 + g.below(4); n > 0; --n)
      s = insert_inside(g, s, g.coin(80) ? separators[g.below(separators.size())] : " ");
    if (g.coin(20)) s = separators[g.below(separators.size())] + s;
    if (g.coin(20)) s += separators[g.below(separators.size())];
    return s;
  });
  // One character that is not a separator: full stops, commas, slashes, colons, apostrophes in
  // their Unicode forms, and characters stdnum does not map at all.
  add(1000, [&] { return insert_inside(g, some_value(g), others[g.below(others.size())]); });
  // Values with digits and separators both replaced.
  add(500, [&] {
    std::string s;
    for (const char c : some_value(g)) {
      if (c >= '0' && c <= '9' && g.coin(50))
        s += digits[c - '0'][g.below(digits[c - '0'].size())];
      else
        s.push_back(c);
      if (g.coin(10)) s += separators[g.below(separators.size())];
    }
    return s;
  });
  return v;
}

std::vector<Decorated> make_decorated_inputs() {
  Gen g(0x5eed'1d3f'0000'0003ULL);
  std::vector<Decorated> v;
  constexpr const char* kLabels[] = {
      "IMEI: ", "IMEI ", "imei#", "IMEI No.: ", "MEID: ", "meid=", "S/N: ", "IMEI1: ", "+CGSN: "};
  // Scanner framing (STX/ETX), NUL padding, line ends, a byte order mark, zero-width spaces,
  // DEL and ESC.
  constexpr std::pair<std::string_view, std::string_view> kEnds[] = {
      {"\x02", "\x03"},     {"", std::string_view("\0\0", 2)},
      {"\r\n", "\r\n"},     {"\xEF\xBB\xBF", ""},
      {"\xE2\x80\x8B", ""}, {"", "\xE2\x80\x8B"},
      {"\x7F", "\x1B"}};
  for (int i = 0; i < 2500; ++i) {
    const std::string bare = some_value(g);
    std::string s = bare;
    switch (g.below(6)) {
      case 0:
        s = kLabels[g.below(std::size(kLabels))] + s;
        break;
      case 1:
        s = g.coin() ? "[" + s + "]" : "\"" + s + "\"";
        break;
      case 2:
        s = (g.coin() ? "]C1" : "]E0") + s;
        break;
      case 3: {
        const auto& e = kEnds[g.below(std::size(kEnds))];
        s = std::string(e.first) + s + std::string(e.second);
        break;
      }
      case 4:
        // 0x is for hexadecimal values: only before a MEID that has a letter.
        if (s.find_first_of("ABCDEFabcdef") != std::string::npos) s = (g.coin() ? "0x" : "0X") + s;
        break;
      default:
        s = kLabels[g.below(std::size(kLabels))] + std::string("[") + s + "]";
        break;
    }
    v.push_back({s, bare});
  }
  return v;
}

}  // namespace dfx::ident::testing
