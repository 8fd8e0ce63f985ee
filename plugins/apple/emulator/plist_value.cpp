// Property lists for the emulated lockdownd (see plist_value.hpp).
#include "plist_value.hpp"

#include <cstdlib>
#include <cstring>

namespace dfx::testing::apple {

std::optional<std::string> Plist::string_at(const std::string& key) const {
  plist_t item = find(key);
  if (!item || plist_get_node_type(item) != PLIST_STRING) return std::nullopt;
  char* s = nullptr;
  plist_get_string_val(item, &s);
  std::string out = s ? s : "";
  std::free(s);
  return out;
}

std::optional<std::vector<std::uint8_t>> Plist::data_at(const std::string& key) const {
  plist_t item = find(key);
  if (!item || plist_get_node_type(item) != PLIST_DATA) return std::nullopt;
  char* d = nullptr;
  uint64_t length = 0;
  plist_get_data_val(item, &d, &length);
  std::vector<std::uint8_t> out(d, d + length);
  std::free(d);
  return out;
}

std::vector<std::string> Plist::keys() const {
  std::vector<std::string> out;
  if (!is_dict()) return out;
  plist_dict_iter it = nullptr;
  plist_dict_new_iter(node_, &it);
  for (;;) {
    char* key = nullptr;
    plist_t value = nullptr;
    plist_dict_next_item(node_, it, &key, &value);
    if (!key) break;
    out.emplace_back(key);
    std::free(key);
  }
  std::free(it);
  return out;
}

std::string Plist::to_xml() const {
  char* xml = nullptr;
  uint32_t length = 0;
  plist_to_xml(node_, &xml, &length);
  std::string out(xml ? xml : "", length);
  std::free(xml);
  return out;
}

std::optional<Plist> Plist::parse(std::span<const std::uint8_t> bytes) {
  if (bytes.empty() || bytes.size() > 0xFFFFFFFFu) return std::nullopt;
  const char* p = reinterpret_cast<const char*>(bytes.data());
  const auto n = static_cast<uint32_t>(bytes.size());
  plist_t node = nullptr;
  if (plist_is_binary(p, n))
    plist_from_bin(p, n, &node);
  else
    plist_from_xml(p, n, &node);
  if (!node) return std::nullopt;
  return Plist(node);
}

std::optional<std::vector<std::uint8_t>> decode_base64(const std::string& text) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<std::uint8_t> out;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] != '='; ++i) {
    const auto at = alphabet.find(text[i]);
    if (at == std::string::npos) return std::nullopt;
    acc = acc << 6 | static_cast<std::uint32_t>(at);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
    }
  }
  for (; i < text.size(); ++i)
    if (text[i] != '=') return std::nullopt;  // only padding may follow padding
  if (bits >= 6) return std::nullopt;         // a lone 6-bit group cannot end the text
  return out;
}

Plist json_to_plist(const JsonReader& value) {
  const nlohmann::json& j = value.value();
  switch (j.type()) {
    case nlohmann::json::value_t::string:
      return Plist::string(j.get<std::string>());
    case nlohmann::json::value_t::boolean:
      return Plist::boolean(j.get<bool>());
    case nlohmann::json::value_t::number_unsigned:
      return Plist::uint(j.get<std::uint64_t>());
    case nlohmann::json::value_t::number_integer:
      if (j.get<std::int64_t>() < 0) value.fail("negative integers have no lockdown form here");
      return Plist::uint(static_cast<std::uint64_t>(j.get<std::int64_t>()));
    case nlohmann::json::value_t::number_float:
      return Plist(plist_new_real(j.get<double>()));
    case nlohmann::json::value_t::array: {
      Plist array(plist_new_array());
      for (const auto& item : value.array())
        plist_array_append_item(array.get(), json_to_plist(item).release());
      return array;
    }
    case nlohmann::json::value_t::object: {
      if (j.contains("data_base64")) {
        value.expect_object({"data_base64"});
        const auto bytes = decode_base64(value.at("data_base64").str());
        if (!bytes) value.at("data_base64").fail("not standard base64");
        return Plist::data(*bytes);
      }
      Plist dict = Plist::dict();
      for (const auto& [key, item] : value.members()) dict.set(key, json_to_plist(item));
      return dict;
    }
    default:
      value.fail("expected a string, a non-negative integer, a boolean, an array or an object");
  }
}

}  // namespace dfx::testing::apple
