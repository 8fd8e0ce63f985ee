// A minimal writer of one-line JSON objects for bulk output (`dfx normalize --format json`).
//
// Why not nlohmann::json: building a json object per input line costs a map node and a string
// copy per field, several times the cost of normalizing an IMEI; and even std::string::append
// showed up in profiles (a call and capacity check per piece). JsonBuffer reserves room once per
// value and writes through a pointer.
// Escaping never fails: text that is not well-formed UTF-8 (identifiers come from hostile
// devices and arbitrary files) is written with each bad byte replaced by U+FFFD, so the output
// is always valid JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dfx::tac {

/// A growable byte buffer that JSON is written into; hand view() to write(2) and clear().
class JsonBuffer {
 public:
  explicit JsonBuffer(std::size_t capacity = 1 << 16);

  /// Appends bytes as they are (no escaping).
  void raw(std::string_view s) {
    reserve(s.size());
    std::memcpy(pos_, s.data(), s.size());
    pos_ += s.size();
  }
  /// Appends one byte as it is.
  void raw(char c) {
    reserve(1);
    *pos_++ = c;
  }
  /// Appends `text` as a JSON string literal, quotes included: '"', '\\' and control characters
  /// escaped, invalid UTF-8 bytes replaced by "\ufffd", everything else copied.
  void string(std::string_view text);
  /// Appends an unsigned integer in decimal.
  void number(std::uint64_t value);

  /// What was written so far.
  [[nodiscard]] std::string_view view() const { return {buf_.get(), size()}; }
  [[nodiscard]] std::size_t size() const { return static_cast<std::size_t>(pos_ - buf_.get()); }
  /// Forgets the content, keeps the memory.
  void clear() { pos_ = buf_.get(); }

 private:
  /// Makes room for `n` more bytes.
  void reserve(std::size_t n) {
    if (static_cast<std::size_t>(end_ - pos_) < n) grow(n);
  }
  void grow(std::size_t n);

  std::unique_ptr<char[]> buf_;
  char* pos_;
  char* end_;
};

/// `text` as a JSON string literal (see JsonBuffer::string), for small non-bulk uses and tests.
std::string json_string(std::string_view text);

/// Writes one JSON object on one line into a JsonBuffer. Keys are written in call order as
/// given: they must be plain ASCII names without '"' or '\\' (they are program constants, not
/// data), and the caller keeps them unique. end() must be called once, after the last field.
///
///   JsonObjectWriter w(buf);
///   w.field("input", s); w.field("valid", true); w.end();   // {"input":"...","valid":true}\n
class JsonObjectWriter {
 public:
  /// Starts the object ("{") at the end of `out`.
  explicit JsonObjectWriter(JsonBuffer& out) : out_(out) { out_.raw('{'); }

  /// "key":"value" (escaped as JsonBuffer::string does).
  void field(std::string_view key, std::string_view value) {
    this->key(key);
    out_.string(value);
  }
  /// "key":"value"; a separate overload so that string literals do not decay to bool.
  void field(std::string_view key, const char* value) { field(key, std::string_view(value)); }
  /// "key":true / false.
  void field(std::string_view key, bool value) {
    this->key(key);
    out_.raw(value ? std::string_view("true") : std::string_view("false"));
  }
  /// "key":123.
  void field(std::string_view key, std::uint64_t value) {
    this->key(key);
    out_.number(value);
  }
  /// "key":null.
  void null_field(std::string_view key) {
    this->key(key);
    out_.raw(std::string_view("null"));
  }
  /// "key":["a","b"] (an empty vector gives []).
  void field(std::string_view key, const std::vector<std::string>& values);
  /// Closes the object and ends the line ("}\n").
  void end() { out_.raw(std::string_view("}\n")); }

 private:
  void key(std::string_view k) {
    out_.raw(first_ ? std::string_view("\"") : std::string_view(",\""));
    first_ = false;
    out_.raw(k);
    out_.raw(std::string_view("\":"));
  }

  JsonBuffer& out_;
  bool first_ = true;
};

}  // namespace dfx::tac
