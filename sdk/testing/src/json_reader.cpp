// JsonReader: strict reading of handset files and behaviour parameters.
#include "dfx/testing/json_reader.hpp"

namespace dfx::testing {

std::string json_pointer_escape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

void JsonReader::fail(const std::string& message) const {
  throw JsonReadError{path_.empty() ? "/" : path_, message};
}

std::string JsonReader::child_path(std::string_view key) const {
  return path_ + "/" + json_pointer_escape(key);
}

void JsonReader::expect_object(std::initializer_list<std::string_view> allowed) const {
  if (!j_->is_object()) fail("expected an object");
  for (const auto& [key, v] : j_->items()) {
    bool ok = false;
    for (auto a : allowed) ok = ok || a == key;
    if (!ok) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      JsonReader(v, child_path(key)).fail("unknown key \"" + key + "\" (allowed: " + list + ")");
    }
  }
}

JsonReader JsonReader::at(std::string_view key) const {
  if (!has(key)) fail("missing required key \"" + std::string(key) + "\"");
  return JsonReader((*j_)[std::string(key)], child_path(key));
}

std::optional<JsonReader> JsonReader::opt(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return JsonReader((*j_)[std::string(key)], child_path(key));
}

std::vector<JsonReader> JsonReader::array() const {
  if (!j_->is_array()) fail("expected an array");
  std::vector<JsonReader> out;
  for (std::size_t i = 0; i < j_->size(); ++i)
    out.emplace_back((*j_)[i], path_ + "/" + std::to_string(i));
  return out;
}

std::vector<std::pair<std::string, JsonReader>> JsonReader::members() const {
  if (!j_->is_object()) fail("expected an object");
  std::vector<std::pair<std::string, JsonReader>> out;
  for (const auto& [key, v] : j_->items()) out.emplace_back(key, JsonReader(v, child_path(key)));
  return out;
}

std::string JsonReader::str() const {
  if (!j_->is_string()) fail("expected a string");
  return j_->get<std::string>();
}

std::string JsonReader::nonempty_str() const {
  auto s = str();
  if (s.empty()) fail("must not be empty");
  return s;
}

bool JsonReader::boolean() const {
  if (!j_->is_boolean()) fail("expected true or false");
  return j_->get<bool>();
}

std::uint64_t JsonReader::uint(std::uint64_t max) const {
  std::uint64_t v = 0;
  if (j_->is_number_unsigned()) {
    v = j_->get<std::uint64_t>();
  } else if (j_->is_number_integer()) {
    const auto signed_value = j_->get<std::int64_t>();
    if (signed_value < 0) fail("must not be negative");
    v = static_cast<std::uint64_t>(signed_value);
  } else if (j_->is_string()) {
    const auto s = j_->get<std::string>();
    if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
      fail("expected a number or a \"0x...\" hex string, got \"" + s + "\"");
    for (std::size_t i = 2; i < s.size(); ++i) {
      const char c = s[i];
      int d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        fail("\"" + s + "\" is not a hex number");
      if (v > (max >> 4)) fail("\"" + s + "\" is larger than " + std::to_string(max));
      v = v * 16 + static_cast<std::uint64_t>(d);
    }
  } else {
    fail("expected a number or a \"0x...\" hex string");
  }
  if (v > max) fail(std::to_string(v) + " is larger than " + std::to_string(max));
  return v;
}

Bytes JsonReader::hex() const {
  auto parsed = from_hex(str());
  if (!parsed) fail("expected hex bytes: " + parsed.error());
  return *parsed;
}

std::vector<std::string> JsonReader::strings() const {
  if (j_->is_string()) return {str()};
  std::vector<std::string> out;
  for (const auto& r : array()) out.push_back(r.str());
  return out;
}

}  // namespace dfx::testing
