// Reading handset files and behaviour parameters strictly, with errors that point into the
// document by JSON pointer ("/behavior/params/imei/1: expected a string"). Unknown keys are errors
// everywhere in the handset format: in hand-written files they are nearly always typos that would
// otherwise fall back to a default in silence.
//
// A JsonReader throws JsonReadError on the first problem; read_json() turns that into an error
// value at the boundary, so no exception leaves a factory or a parser:
//
//     return read_json("pixel.json", [&] { return parse_thing(JsonReader(doc, "")); });
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "dfx/testing/usb_descriptors.hpp"

namespace dfx::testing {

/// `key` escaped for a JSON pointer ("~" -> "~0", "/" -> "~1").
std::string json_pointer_escape(std::string_view key);

/// The first problem a JsonReader found: where (a JSON pointer) and what.
struct JsonReadError {
  std::string path;
  std::string message;
};

/// A view of one JSON value and its place in the document.
class JsonReader {
 public:
  /// `path` is the JSON pointer of `value` ("" for the document root).
  JsonReader(const nlohmann::json& value, std::string path) : j_(&value), path_(std::move(path)) {}

  const nlohmann::json& value() const { return *j_; }
  const std::string& path() const { return path_; }
  /// Throws JsonReadError at this value.
  [[noreturn]] void fail(const std::string& message) const;

  /// Checks this is an object whose keys are all in `allowed`.
  void expect_object(std::initializer_list<std::string_view> allowed) const;
  bool has(std::string_view key) const { return j_->is_object() && j_->contains(key); }
  /// A required member.
  JsonReader at(std::string_view key) const;
  /// An optional member.
  std::optional<JsonReader> opt(std::string_view key) const;
  /// The elements of an array.
  std::vector<JsonReader> array() const;
  /// The members of an object, in the object's (sorted) key order.
  std::vector<std::pair<std::string, JsonReader>> members() const;

  std::string str() const;
  std::string nonempty_str() const;
  bool boolean() const;
  /// A JSON number or a "0x..." hex string, at most `max`.
  std::uint64_t uint(std::uint64_t max) const;
  std::uint8_t u8() const { return static_cast<std::uint8_t>(uint(0xFF)); }
  std::uint16_t u16() const { return static_cast<std::uint16_t>(uint(0xFFFF)); }
  /// Bytes written as hex text ("05 0F 0C 00", spaces optional).
  Bytes hex() const;
  /// One string, or an array of strings.
  std::vector<std::string> strings() const;
  /// The value of the name this string holds, from `choices`.
  template <typename T>
  T one_of(std::initializer_list<std::pair<std::string_view, T>> choices) const {
    const auto s = str();
    std::string list;
    for (const auto& [name, value] : choices) {
      if (name == s) return value;
      list += (list.empty() ? "" : ", ") + std::string(name);
    }
    fail("expected one of " + list + ", got \"" + s + "\"");
  }

 private:
  std::string child_path(std::string_view key) const;
  const nlohmann::json* j_;
  std::string path_;
};

/// Runs `read` (which uses JsonReaders) and returns its result, or "<source>: <pointer>: <problem>"
/// for the first JsonReadError it throws ("<pointer>: <problem>" when `source` is empty).
template <typename F>
auto read_json(std::string_view source, F&& read) -> tl::expected<decltype(read()), std::string> {
  try {
    return read();
  } catch (const JsonReadError& e) {
    return tl::unexpected((source.empty() ? std::string() : std::string(source) + ": ") +
                          (e.path.empty() ? "/" : e.path) + ": " + e.message);
  }
}

}  // namespace dfx::testing
