#include "tac/json_writer.hpp"

#include <algorithm>
#include <charconv>

#include "tac/utf8.hpp"

namespace dfx::tac {

JsonBuffer::JsonBuffer(std::size_t capacity)
    : buf_(new char[std::max<std::size_t>(capacity, 64)]),
      pos_(buf_.get()),
      end_(buf_.get() + std::max<std::size_t>(capacity, 64)) {}

void JsonBuffer::grow(std::size_t n) {
  const std::size_t used = size();
  const std::size_t cap = static_cast<std::size_t>(end_ - buf_.get());
  const std::size_t want = std::max(cap * 2, used + n);
  std::unique_ptr<char[]> bigger(new char[want]);
  std::memcpy(bigger.get(), buf_.get(), used);
  buf_ = std::move(bigger);
  pos_ = buf_.get() + used;
  end_ = buf_.get() + want;
}

void JsonBuffer::string(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Worst case: every byte becomes "\ufffd" or "\u00XX" (6 bytes), plus the two quotes.
  reserve(text.size() * 6 + 2);
  char* p = pos_;
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
      case '"': *p++ = '"'; break;
      case '\\': *p++ = '\\'; break;
      case '\n': *p++ = 'n'; break;
      case '\r': *p++ = 'r'; break;
      case '\t': *p++ = 't'; break;
      case '\b': *p++ = 'b'; break;
      case '\f': *p++ = 'f'; break;
      default:
        std::memcpy(p, "u00", 3);
        p[3] = kHex[c >> 4];
        p[4] = kHex[c & 0xF];
        p += 5;
    }
    ++i;
  }
  *p++ = '"';
  pos_ = p;
}

void JsonBuffer::number(std::uint64_t value) {
  reserve(20);
  pos_ = std::to_chars(pos_, end_, value).ptr;
}

std::string json_string(std::string_view text) {
  JsonBuffer b(text.size() * 6 + 2);
  b.string(text);
  return std::string(b.view());
}

void JsonObjectWriter::field(std::string_view k, const std::vector<std::string>& values) {
  key(k);
  out_.raw('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out_.raw(',');
    out_.string(values[i]);
  }
  out_.raw(']');
}

}  // namespace dfx::tac
