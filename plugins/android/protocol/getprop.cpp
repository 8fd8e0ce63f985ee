#include "getprop.hpp"

namespace dfx::android {
namespace {

bool has_controls(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

Result<std::string> parse_getprop_value(std::string_view out) {
  // "shell:" without a pty may still translate "\n" to "\r\n" on old adbd.
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.remove_suffix(1);
  if (out.empty()) return fail(Errc::not_found, "property not set (empty value)");
  if (out.size() > kMaxPropertyValue)
    return fail(Errc::too_large, "property value of " + std::to_string(out.size()) +
                                     " bytes beyond limit " + std::to_string(kMaxPropertyValue));
  if (out.find('\n') != std::string_view::npos)
    return fail(Errc::malformed, "property value spans several lines");
  if (has_controls(out)) return fail(Errc::malformed, "property value has control characters");
  return std::string(out);
}

PropertyListing parse_getprop_listing(std::string_view out, std::size_t max_entries) {
  PropertyListing result;
  while (!out.empty()) {
    const auto nl = out.find('\n');
    auto line = out.substr(0, nl);
    out = nl == std::string_view::npos ? std::string_view{} : out.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    // "[name]: [value]"; the value may itself contain ']' so take the last one.
    const auto close = line.find("]: [");
    if (line.front() != '[' || line.back() != ']' || close == std::string_view::npos) {
      ++result.skipped;
      continue;
    }
    const auto name = line.substr(1, close - 1);
    const auto value = line.substr(close + 4, line.size() - close - 5);
    if (name.empty() || name.size() > 256 || has_controls(name) ||
        value.size() > kMaxPropertyValue || has_controls(value)) {
      ++result.skipped;
      continue;
    }
    if (result.entries.size() >= max_entries) {
      ++result.skipped;
      continue;
    }
    result.entries.emplace_back(std::string(name), std::string(value));
  }
  return result;
}

}  // namespace dfx::android
