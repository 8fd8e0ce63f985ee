#include "request_plan.hpp"

#include <openssl/evp.h>

#include <map>

namespace dfx::register_http {
namespace {

using nlohmann::json;

// The body template with every string filled in, and the string "{items}" replaced by the items.
json fill_body(const json& tmpl, const ServiceConfig& c, std::span<const Item> items,
               std::span<const std::size_t> chunk) {
  if (tmpl.is_string()) {
    const auto& s = tmpl.get_ref<const std::string&>();
    if (s == "{items}") {
      json arr = json::array();
      for (const auto i : chunk) arr.push_back(fill(c.item, items[i], c.prefix_length, false));
      return arr;
    }
    return fill(s, items[chunk.front()], c.prefix_length, false);
  }
  if (tmpl.is_object() || tmpl.is_array()) {
    json out = tmpl;
    for (auto& [key, value] : out.items()) value = fill_body(value, c, items, chunk);
    return out;
  }
  return tmpl;
}

}  // namespace

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(text.data(), text.size(), digest, &n, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

std::string fill(std::string_view tmpl, const Item& item, int prefix_length, bool for_url) {
  const auto value = [&](std::string_view v) {
    return for_url ? percent_encode(v) : std::string(v);
  };
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl.compare(i, 6, "{kind}") == 0) {
      out += value(item.kind);
      i += 6;
    } else if (tmpl.compare(i, 12, "{identifier}") == 0) {
      out += value(item.identifier);
      i += 12;
    } else if (tmpl.compare(i, 8, "{prefix}") == 0) {
      out += sha256_hex(item.identifier).substr(0, static_cast<std::size_t>(prefix_length));
      i += 8;
    } else {
      out += tmpl[i++];
    }
  }
  return out;
}

std::vector<PlannedRequest> plan_requests(const ServiceConfig& c, std::span<const Item> items,
                                          std::span<const std::size_t> which) {
  std::vector<PlannedRequest> out;
  const auto one = [&](std::span<const std::size_t> chunk) {
    PlannedRequest r;
    r.method = c.method;
    r.url = fill(c.url, items[chunk.front()], c.prefix_length, true);
    if (c.body) r.body = fill_body(*c.body, c, items, chunk).dump();
    r.items.assign(chunk.begin(), chunk.end());
    out.push_back(std::move(r));
  };
  if (c.mode != QueryMode::Batch) {
    for (const auto i : which) one(std::span(&i, 1));
    return out;
  }
  std::map<std::string, std::vector<std::size_t>> by_kind;  // one kind per request
  for (const auto i : which) by_kind[items[i].kind].push_back(i);
  for (const auto& [kind, list] : by_kind)
    for (std::size_t start = 0; start < list.size(); start += c.batch_size)
      one(std::span(list).subspan(start, std::min(c.batch_size, list.size() - start)));
  return out;
}

}  // namespace dfx::register_http
