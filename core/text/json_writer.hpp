// JSON written by hand for bulk output (`dfx normalize`, `dfx check` JSON lines), where building
// a nlohmann::json per line costs several times the work being reported (docs/benchmarks.md,
// "normalize"). Everything else uses nlohmann::json.
//
// Escaping never fails: text that is not well-formed UTF-8 (identifiers come from hostile devices
// and arbitrary files) is written with each bad byte replaced by U+FFFD, so the output is always
// valid JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/output_buffer.hpp"

namespace dfx::text {

/// Appends `text` as a JSON string literal, quotes included: '"', '\\' and control characters
/// escaped, invalid UTF-8 bytes replaced by "\ufffd", everything else copied.
void write_json_string(OutputBuffer& out, std::string_view text);

/// Appends an unsigned integer in decimal.
void write_json_number(OutputBuffer& out, std::uint64_t value);

/// `text` as a JSON string literal (see write_json_string), for small uses and tests.
std::string json_string(std::string_view text);

/// Writes one JSON object on one line. Keys are written in call order as given: they must be
/// plain ASCII names without '"' or '\\' (they are program constants, not data), and the caller
/// keeps them unique. end() must be called once, after the last field.
///
///   JsonObjectWriter w(buf);
///   w.field("input", s); w.field("valid", true); w.end();   // {"input":"...","valid":true}\n
class JsonObjectWriter {
 public:
  /// Starts the object ("{") at the end of `out`.
  explicit JsonObjectWriter(OutputBuffer& out) : out_(out) { out_.raw('{'); }

  /// "key":"value".
  void field(std::string_view key, std::string_view value) {
    this->key(key);
    write_json_string(out_, value);
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
    write_json_number(out_, value);
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

  OutputBuffer& out_;
  bool first_ = true;
};

}  // namespace dfx::text
