#include "text/json_writer.hpp"

#include <algorithm>
#include <charconv>

#include "base/hex.hpp"
#include "text/utf8.hpp"

namespace dfx::text {

void write_json_string(OutputBuffer& out, std::string_view text) {
  // Worst case: every byte becomes "\ufffd" or "\u00XX" (6 bytes), plus the two quotes.
  char* p = out.reserve(text.size() * 6 + 2);
  *p++ = '"';
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {  // the common case: plain ASCII
      *p++ = static_cast<char>(c);
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence_length(text, i);
      if (n == 0) {
        std::memcpy(p, "\\ufffd", 6);
        p += 6;
        ++i;
      } else {
        std::memcpy(p, text.data() + i, n);
        p += n;
        i += n;
      }
      continue;
    }
    *p++ = '\\';
    switch (c) {
      case '"':
        *p++ = '"';
        break;
      case '\\':
        *p++ = '\\';
        break;
      case '\n':
        *p++ = 'n';
        break;
      case '\r':
        *p++ = 'r';
        break;
      case '\t':
        *p++ = 't';
        break;
      case '\b':
        *p++ = 'b';
        break;
      case '\f':
        *p++ = 'f';
        break;
      default:
        std::memcpy(p, "u00", 3);
        p[3] = hex_digit(c >> 4);
        p[4] = hex_digit(c);
        p += 5;
    }
    ++i;
  }
  *p++ = '"';
  out.commit(p);
}

void write_json_number(OutputBuffer& out, std::uint64_t value) {
  char* p = out.reserve(20);
  out.commit(std::to_chars(p, p + 20, value).ptr);
}

std::string json_string(std::string_view text) {
  OutputBuffer b(text.size() * 6 + 2);
  write_json_string(b, text);
  return std::string(b.view());
}

void JsonObjectWriter::field(std::string_view k, const std::vector<std::string>& values) {
  key(k);
  out_.raw('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out_.raw(',');
    write_json_string(out_, values[i]);
  }
  out_.raw(']');
}

}  // namespace dfx::text
