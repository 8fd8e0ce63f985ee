// Reading members of records and transcripts that anyone could have written: a record after the
// last checkpoint can be rewritten with recomputed hashes, and a transcript file is whatever is
// on disk. Every accessor answers a neutral value for a missing member or one of another type,
// instead of throwing, so that a report is made of whatever a case holds.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace dfx::evidence::json_access {

/// Member `key` of `j`, or null when `j` is not an object or has no such member.
inline const nlohmann::json& member(const nlohmann::json& j, const char* key) {
  static const nlohmann::json null_value;
  if (!j.is_object()) return null_value;
  const auto it = j.find(key);
  return it == j.end() ? null_value : *it;
}

/// A string member as it is; a number or boolean as its JSON text; anything else "".
inline std::string str(const nlohmann::json& j, const char* key) {
  const auto& m = member(j, key);
  if (m.is_string()) return m.get<std::string>();
  if (m.is_number() || m.is_boolean()) return m.dump();
  return "";
}

/// An unsigned integer member, or `fallback`.
inline uint64_t unsigned_or(const nlohmann::json& j, const char* key, uint64_t fallback = 0) {
  const auto& m = member(j, key);
  return m.is_number_unsigned() ? m.get<uint64_t>() : fallback;
}

/// A boolean member, or `fallback`.
inline bool bool_or(const nlohmann::json& j, const char* key, bool fallback = false) {
  const auto& m = member(j, key);
  return m.is_boolean() ? m.get<bool>() : fallback;
}

/// A number member, or `fallback`.
inline double number_or(const nlohmann::json& j, const char* key, double fallback = 0) {
  const auto& m = member(j, key);
  return m.is_number() ? m.get<double>() : fallback;
}

/// An array member, or an empty array: `for (const auto& e : array(j, "probes"))`.
inline const nlohmann::json& array(const nlohmann::json& j, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  const auto& m = member(j, key);
  return m.is_array() ? m : empty;
}

}  // namespace dfx::evidence::json_access
