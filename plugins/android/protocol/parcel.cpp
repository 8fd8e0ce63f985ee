#include "parcel.hpp"

#include <array>

namespace dfx::android {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the leading 8-hex-digit words of one line, stopping at the quoted ASCII column (which
// may contain anything, including ')' and more hex-looking text) or any other token.
bool read_line_words(std::string_view line, std::vector<uint32_t>& out) {
  std::size_t i = 0;
  auto skip_spaces = [&] {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  };
  skip_spaces();
  // Optional offset column "0x00000010:".
  if (line.substr(i, 2) == "0x") {
    const auto colon = line.find(':', i);
    if (colon == std::string_view::npos || colon - i > 12) return true;
    i = colon + 1;
  }
  while (true) {
    skip_spaces();
    if (i + 8 > line.size()) return true;
    uint32_t w = 0;
    for (std::size_t k = 0; k < 8; ++k) {
      const int d = hex_digit(line[i + k]);
      if (d < 0) return true;
      w = (w << 4) | static_cast<uint32_t>(d);
    }
    if (i + 8 < line.size() && line[i + 8] != ' ' && line[i + 8] != '\t' && line[i + 8] != ')')
      return true;  // a longer token: not a word
    if (out.size() >= kMaxParcelWords) return false;
    out.push_back(w);
    i += 8;
  }
}

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

std::string first_line(std::string_view text) {
  while (!text.empty() && (text.front() == '\n' || text.front() == '\r' || text.front() == ' '))
    text.remove_prefix(1);
  auto line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > 200) line = line.substr(0, 200);
  std::string out;
  for (unsigned char c : line) out += (c < 0x20 || c > 0x7e) ? '?' : static_cast<char>(c);
  return out;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Reads a String16 at words[pos]: length then UTF-16 units. Returns nullopt for null (-1).
Result<std::optional<std::string>> read_string16(const std::vector<uint32_t>& words,
                                                 std::size_t pos) {
  if (pos >= words.size()) return fail(Errc::malformed, "parcel ends before the string length");
  const auto len = static_cast<int32_t>(words[pos]);
  if (len == -1) return std::optional<std::string>{};
  if (len < 0) return fail(Errc::malformed, "negative string length " + std::to_string(len));
  const std::size_t units = static_cast<std::size_t>(len);
  if (units > (words.size() - pos - 1) * 2)
    return fail(Errc::malformed, "parcel string of " + std::to_string(units) +
                                     " characters but only " +
                                     std::to_string((words.size() - pos - 1) * 2) + " present");
  std::string out;
  for (std::size_t u = 0; u < units; ++u) {
    const uint32_t w = words[pos + 1 + u / 2];
    uint32_t c = (u % 2 == 0) ? (w & 0xFFFF) : (w >> 16);
    if (c >= 0xD800 && c <= 0xDBFF && u + 1 < units) {
      const uint32_t w2 = words[pos + 1 + (u + 1) / 2];
      const uint32_t lo = ((u + 1) % 2 == 0) ? (w2 & 0xFFFF) : (w2 >> 16);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
        ++u;
      } else {
        c = 0xFFFD;
      }
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;  // unpaired surrogate
    }
    append_utf8(out, c);
  }
  return std::optional<std::string>{std::move(out)};
}

}  // namespace

Result<std::vector<uint32_t>> parse_parcel_words(std::string_view text) {
  const auto start = text.find("Parcel(");
  if (start == std::string_view::npos) {
    // Not a reply dump: say what the shell said instead (permission, missing service...).
    if (contains(text, "Permission Denial") || contains(text, "ermission denied") ||
        contains(text, "SecurityException") || contains(text, "does not exist") ||
        contains(text, "not found"))
      return fail(Errc::refused, "service call refused: " + first_line(text));
    return fail(Errc::malformed, "no 'Result: Parcel(' in reply: '" + first_line(text) + "'");
  }
  auto body = text.substr(start + 7);
  if (body.substr(0, 6) == "Error:" || body.substr(0, 7) == " Error:")
    return fail(Errc::refused, "transaction failed: " + first_line(text.substr(start)));

  std::vector<uint32_t> words;
  while (!body.empty()) {
    const auto nl = body.find('\n');
    auto line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view{} : body.substr(nl + 1);
    if (!read_line_words(line, words))
      return fail(Errc::too_large,
                  "parcel dump beyond " + std::to_string(kMaxParcelWords) + " words");
    if (contains(line, "')") ||
        (line.find(')') != std::string_view::npos && line.find('\'') == std::string_view::npos))
      break;  // the dump's closing parenthesis
  }
  return words;
}

std::string exception_name(int32_t code) {
  switch (code) {
    case -1:
      return "SecurityException";
    case -2:
      return "BadParcelableException";
    case -3:
      return "IllegalArgumentException";
    case -4:
      return "NullPointerException";
    case -5:
      return "IllegalStateException";
    case -6:
      return "NetworkOnMainThreadException";
    case -7:
      return "UnsupportedOperationException";
    case -8:
      return "ServiceSpecificException";
    case -9:
      return "ParcelableException";
    case -129:
      return "TransactionFailedException";
    default:
      return "exception " + std::to_string(code);
  }
}

Result<ParcelString> decode_parcel_string(const std::vector<uint32_t>& words) {
  if (words.empty()) return fail(Errc::malformed, "empty parcel");
  std::size_t pos = 0;
  auto status = static_cast<int32_t>(words[0]);
  if (status == -128) {
    // EX_HAS_REPLY_HEADER: a header of `size` bytes (counting the size word) precedes the
    // result; there is no exception.
    if (words.size() < 2) return fail(Errc::malformed, "parcel reply header truncated");
    const uint32_t size = words[1];
    if (size < 4 || size % 4 != 0 || size / 4 >= words.size())
      return fail(Errc::malformed, "bad parcel reply header size " + std::to_string(size));
    pos = 1 + size / 4;
    status = 0;
  } else if (status != 0) {
    std::string msg = exception_name(status);
    if (auto m = read_string16(words, 1); m && m->has_value() && !(*m)->empty()) msg += ": " + **m;
    return fail(Errc::refused, msg);
  } else {
    pos = 1;
  }
  auto s = read_string16(words, pos);
  if (!s) return fail(s.error());
  return ParcelString{status, std::move(*s)};
}

Result<std::string> parse_service_call_string(std::string_view text) {
  auto words = parse_parcel_words(text);
  if (!words) return fail(words.error());
  auto s = decode_parcel_string(*words);
  if (!s) return fail(s.error());
  if (!s->value) return fail(Errc::not_found, "null string (no value for this slot)");
  return std::move(*s->value);
}

}  // namespace dfx::android
