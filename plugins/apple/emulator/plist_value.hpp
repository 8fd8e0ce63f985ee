// Property lists for the emulated lockdownd: an owning handle over libplist's nodes, the
// conversion of handset JSON into plist values, and the two wire forms (XML and "bplist00").
//
// libplist is C and hands out raw nodes that must be freed once; Plist owns exactly one tree so
// the emulator never leaks or double-frees one, including on its error paths.
#pragma once

#include <plist/plist.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dfx/testing/json_reader.hpp"

namespace dfx::testing::apple {

/// An owned plist tree (or none). Copies are deep.
class Plist {
 public:
  Plist() = default;
  /// Takes ownership of `node` (may be null).
  explicit Plist(plist_t node) : node_(node) {}
  Plist(const Plist& other) : node_(other.node_ ? plist_copy(other.node_) : nullptr) {}
  Plist& operator=(const Plist& other) {
    if (this != &other) reset(other.node_ ? plist_copy(other.node_) : nullptr);
    return *this;
  }
  Plist(Plist&& other) noexcept : node_(other.release()) {}
  Plist& operator=(Plist&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  ~Plist() { reset(); }

  static Plist dict() { return Plist(plist_new_dict()); }
  static Plist string(const std::string& s) { return Plist(plist_new_string(s.c_str())); }
  static Plist boolean(bool b) { return Plist(plist_new_bool(b ? 1 : 0)); }
  static Plist uint(std::uint64_t v) { return Plist(plist_new_uint(v)); }
  static Plist data(std::span<const std::uint8_t> bytes) {
    return Plist(plist_new_data(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }

  plist_t get() const { return node_; }
  plist_t release() {
    plist_t n = node_;
    node_ = nullptr;
    return n;
  }
  void reset(plist_t node = nullptr) {
    if (node_) plist_free(node_);
    node_ = node;
  }
  explicit operator bool() const { return node_ != nullptr; }
  bool is_dict() const { return node_ && plist_get_node_type(node_) == PLIST_DICT; }

  /// Dictionary access (this must be a dict): sets a copy of `value` / takes `value`.
  void set(const std::string& key, Plist value) {
    plist_dict_set_item(node_, key.c_str(), value.release());
  }
  /// The item under `key` (not owned), or null when absent or when this is not a dict.
  plist_t find(const std::string& key) const {
    return is_dict() ? plist_dict_get_item(node_, key.c_str()) : nullptr;
  }
  /// The string under `key`, if there is one and it is a string.
  std::optional<std::string> string_at(const std::string& key) const;
  /// The data under `key` (a <data> item), if there is one.
  std::optional<std::vector<std::uint8_t>> data_at(const std::string& key) const;
  /// The keys of a dict, in the dict's order.
  std::vector<std::string> keys() const;
  /// Removes `key` from a dict (nothing if absent).
  void erase(const std::string& key) {
    if (find(key)) plist_dict_remove_item(node_, key.c_str());
  }

  /// The XML form, as lockdownd answers.
  std::string to_xml() const;
  /// Parses XML or binary ("bplist00") plist bytes; nullopt when they are neither.
  static std::optional<Plist> parse(std::span<const std::uint8_t> bytes);

 private:
  plist_t node_ = nullptr;
};

/// A handset JSON value as a plist value: strings → <string>, non-negative integers → <integer>,
/// booleans → <true/>/<false/>, numbers with a fraction → <real>, arrays → <array>,
/// {"data_base64": "..."} → <data>, other objects → <dict>. Throws JsonReadError (negative
/// integers, null, bad base64) at the value's JSON pointer.
Plist json_to_plist(const JsonReader& value);

/// Standard base64 (RFC 4648, padding optional) to bytes; nullopt when malformed.
std::optional<std::vector<std::uint8_t>> decode_base64(const std::string& text);

}  // namespace dfx::testing::apple
