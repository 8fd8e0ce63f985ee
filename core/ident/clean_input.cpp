// Input cleaning shared by all kinds. Order matters: trim, barcode symbology prefix, label,
// brackets/quotes, 0x, then separators. Each step is conservative: a label must be followed by
// a delimiter so that a value which merely starts with the same letters is left alone.
#include "clean_input.hpp"

#include "numtext.hpp"

namespace dfx::ident::detail {
namespace {

using uchar = unsigned char;

bool ascii_space(uchar c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/// Length of a well-formed UTF-8 sequence starting at s[i], or 1 (a stray byte is one char).
std::size_t utf8_len(std::string_view s, std::size_t i) noexcept {
  const auto c = static_cast<uchar>(s[i]);
  std::size_t n = 1;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4;
  if (i + n > s.size()) return 1;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<uchar>(s[i + k]) & 0xC0) != 0x80) return 1;
  return n;
}

/// The code point of the UTF-8 sequence of `len` bytes at s[i] (a stray byte: itself).
std::uint32_t code_point(std::string_view s, std::size_t i, std::size_t len) noexcept {
  const auto c = static_cast<uchar>(s[i]);
  if (len == 1) return c;
  std::uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<uchar>(s[i + k]) & 0x3F);
  return cp;
}

struct Equivalent {
  std::uint32_t code_point;
  char ascii;
};

// python-stdnum reads these as ASCII (full-width digits, Unicode dashes, spaces, dots...): dfx
// does the same, so that a value copied from a web page or typed with an East Asian input method
// means what it means to the reference implementation.
constexpr Equivalent kEquivalents[] = {
#include "unicode_equivalents.inc"
};

/// The ASCII character python-stdnum reads code point `cp` as, or 0.
char ascii_equivalent(std::uint32_t cp) noexcept {
  std::size_t lo = 0, hi = std::size(kEquivalents);
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (kEquivalents[mid].code_point < cp)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < std::size(kEquivalents) && kEquivalents[lo].code_point == cp ? kEquivalents[lo].ascii
                                                                           : '\0';
}

/// True for characters dropped at the ends of a value: Unicode spaces (those stdnum reads as a
/// space and the other characters Python's str.strip() removes) and, deliberately beyond stdnum,
/// the invisible zero-width space and byte-order mark that editors and exports put there.
bool end_blank(std::uint32_t cp) noexcept {
  return ascii_equivalent(cp) == ' ' || cp == 0x85 || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x200B || cp == 0xFEFF;
}

/// Ends of a value: drop whitespace, control characters (CR/LF from scanners, NUL padding,
/// STX/ETX framing) and Unicode blanks (see end_blank).
void trim(std::string_view s, std::size_t& b, std::size_t& e) noexcept {
  while (b < e) {
    const auto c = static_cast<uchar>(s[b]);
    if (c <= 0x20 || c == 0x7F) {
      ++b;
      continue;
    }
    if (c < 0x80) break;
    const std::size_t n = utf8_len(s.substr(0, e), b);
    if (!end_blank(code_point(s, b, n))) break;
    b += n;
  }
  while (e > b) {
    const auto c = static_cast<uchar>(s[e - 1]);
    if (c <= 0x20 || c == 0x7F) {
      --e;
      continue;
    }
    if (c < 0x80) break;
    // Step back to the first byte of the last character.
    std::size_t start = e - 1;
    while (start > b && (static_cast<uchar>(s[start]) & 0xC0) == 0x80 && e - start < 4) --start;
    const std::size_t n = utf8_len(s.substr(0, e), start);
    if (start + n != e || !end_blank(code_point(s, start, n))) break;
    e = start;
  }
}

struct Label {
  std::string_view text;  // upper-case
  std::optional<Kind> kind;
};

// Longer labels first where one is a prefix of another (IMEISV before IMEI).
constexpr Label kLabels[] = {
    {"IMEISV", Kind::Imeisv},
    {"IMEI1", Kind::Imei},
    {"IMEI2", Kind::Imei},
    {"IMEI", Kind::Imei},
    {"MEID", Kind::Meid},
    {"PESN", Kind::Esn},
    {"ESN", Kind::Esn},
    {"ICCID", Kind::Iccid},
    {"IMSI", Kind::Imsi},
    {"EID", Kind::Eid},
    {"ECID", Kind::Ecid},
    {"UDID", Kind::Udid},
    {"SERIAL NUMBER", Kind::Serial},
    {"SERIAL", Kind::Serial},
    {"S/N", Kind::Serial},
    {"SRNM", Kind::Serial},  // Apple iBoot recovery USB serial string: SRNM:[serial]
    {"SN", Kind::Serial},
    {"+CGSN", Kind::Imei},
    {"+GSN", std::nullopt},  // +GSN answers IMEI, ESN or MEID depending on the modem
    {"+CIMI", Kind::Imsi},
    {"+CCID", Kind::Iccid},
    {"^ICCID", Kind::Iccid},
    {"+ICCID", Kind::Iccid},
};

bool starts_with_ci(std::string_view s, std::string_view upper_prefix) noexcept {
  if (s.size() < upper_prefix.size()) return false;
  for (std::size_t i = 0; i < upper_prefix.size(); ++i)
    if (to_upper(s[i]) != upper_prefix[i]) return false;
  return true;
}

void skip_blanks(std::string_view s, std::size_t& i, std::size_t e) noexcept {
  while (i < e && (s[i] == ' ' || s[i] == '\t')) ++i;
}

/// If a label starts at s[b], moves b past it and its delimiter and records it.
void strip_label(std::string_view s, std::size_t& b, std::size_t e, Cleaned& out) noexcept {
  const std::string_view rest = s.substr(b, e - b);
  // Every label starts with a letter, '+' or '^': most values (digits) skip the table.
  if (rest.empty()) return;
  const char first = to_upper(rest[0]);
  if (!((first >= 'A' && first <= 'Z') || first == '+' || first == '^')) return;
  for (const Label& label : kLabels) {
    if (!starts_with_ci(rest, label.text)) continue;
    std::size_t q = b + label.text.size();
    const std::size_t after_label = q;
    skip_blanks(s, q, e);
    // "IMEI No.:" / "S/N No:" style.
    if (starts_with_ci(s.substr(q, e - q), "NO") && q + 2 < e &&
        (s[q + 2] == '.' || s[q + 2] == ':')) {
      q += 2;
      if (s[q] == '.') ++q;
      skip_blanks(s, q, e);
    }
    if (q < e && (s[q] == ':' || s[q] == '=' || s[q] == '#')) {
      ++q;
    } else if (q == after_label) {
      return;  // no delimiter: the value just starts with these letters
    }
    skip_blanks(s, q, e);
    out.label = s.substr(b, after_label - b);
    out.label_kind = label.kind;
    b = q;
    return;
  }
}

}  // namespace

Cleaned clean(std::string_view input, CleanMode mode) noexcept {
  Cleaned out;
  out.input = input;
  std::size_t b = 0, e = input.size();
  trim(input, b, e);

  // AIM symbology identifier sent by barcode scanners: ']' + code letter + modifier.
  if (e - b >= 3 && input[b] == ']' &&
      ((input[b + 1] >= 'A' && input[b + 1] <= 'Z') ||
       (input[b + 1] >= 'a' && input[b + 1] <= 'z')) &&
      (is_digit(input[b + 2]) ||
       (to_upper(input[b + 2]) >= 'A' && to_upper(input[b + 2]) <= 'Z'))) {
    b += 3;
    trim(input, b, e);
  }

  strip_label(input, b, e, out);

  // [value] from Apple recovery strings, "value" from AT replies such as +CGSN: "<imei>".
  if (e - b >= 2 &&
      ((input[b] == '[' && input[e - 1] == ']') || (input[b] == '"' && input[e - 1] == '"'))) {
    ++b;
    --e;
    trim(input, b, e);
  }

  if (mode == CleanMode::Compact && e - b >= 3 && input[b] == '0' &&
      (input[b + 1] == 'x' || input[b + 1] == 'X') && is_hex(input[b + 2])) {
    out.hex_prefix = true;
    out.hex_prefix_offset = static_cast<std::uint32_t>(b + 1);
    b += 2;
  }

  bool last_space = false;  // Serial mode: collapse whitespace runs
  auto keep = [&out, &last_space](char c, std::size_t offset) {
    if (out.size < Cleaned::kCapacity) {
      out.chars[out.size] = c;
      out.offsets[out.size] = static_cast<std::uint32_t>(offset);
    }
    ++out.size;
    last_space = c == ' ';
  };

  for (std::size_t i = b; i < e;) {
    const auto c = static_cast<uchar>(input[i]);
    std::size_t len = 1;
    char ch = input[i];
    if (c >= 0x80) {
      len = utf8_len(input.substr(0, e), i);
      // A character stdnum reads as ASCII is that character; any other is kept as its first
      // byte, which no validator accepts, and describe_char() shows it whole.
      if (const char ascii = ascii_equivalent(code_point(input, i, len)); ascii != '\0') ch = ascii;
    }
    if (mode == CleanMode::Compact) {
      // stdnum's separators, and nothing else: a dot, slash or comma is never silently dropped.
      if (ch != ' ' && ch != '-') keep(ch, i);
    } else if (ascii_space(static_cast<uchar>(ch))) {
      if (out.size > 0 && !last_space) keep(' ', i);
    } else {
      keep(ch, i);
    }
    i += len;
  }
  return out;
}

std::size_t char_position(std::string_view text, std::size_t byte_offset) noexcept {
  std::size_t pos = 1;
  for (std::size_t i = 0; i < byte_offset && i < text.size(); ++i)
    if ((static_cast<uchar>(text[i]) & 0xC0) != 0x80) ++pos;
  return pos;
}

bool is_control_at(std::string_view text, std::size_t byte_offset) noexcept {
  if (byte_offset >= text.size()) return false;
  const auto c = static_cast<uchar>(text[byte_offset]);
  if (c < 0x20 || c == 0x7F) return true;
  return c == 0xC2 && byte_offset + 1 < text.size() &&
         static_cast<uchar>(text[byte_offset + 1]) >= 0x80 &&
         static_cast<uchar>(text[byte_offset + 1]) <= 0x9F;
}

std::string describe_char(std::string_view text, std::size_t byte_offset) {
  if (byte_offset >= text.size()) return "end of input";
  const auto c = static_cast<uchar>(text[byte_offset]);
  auto u_plus = [](std::uint32_t cp) {
    std::string s = "U+";
    append_hex(s, cp, cp > 0xFFFF ? 6 : 4);
    return s;
  };
  if (c < 0x20 || c == 0x7F) return u_plus(c);
  if (c < 0x80) return std::string{'\'', static_cast<char>(c), '\''};
  const std::size_t n = utf8_len(text, byte_offset);
  if (n == 1) {
    std::string s = "byte 0x";
    append_hex(s, c, 2);
    return s;
  }
  const std::uint32_t cp = code_point(text, byte_offset, n);
  if (cp < 0xA0) return u_plus(cp);  // C1 control
  return "'" + std::string(text.substr(byte_offset, n)) + "' (" + u_plus(cp) + ")";
}

}  // namespace dfx::ident::detail
