#include "adb_banner.hpp"

#include <array>

namespace dfx::android::adb {
namespace {

bool printable(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// Values may carry UTF-8 (a model name), but never control characters: those are junk.
bool no_controls(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

DeviceState classify(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, DeviceState>, 7> kStates{{
      {"device", DeviceState::device},
      {"recovery", DeviceState::recovery},
      {"sideload", DeviceState::sideload},
      {"rescue", DeviceState::rescue},
      {"bootloader", DeviceState::bootloader},
      {"host", DeviceState::host},
      {"unauthorized", DeviceState::unauthorized},
  }};
  for (const auto& [name, state] : kStates)
    if (s == name) return state;
  return DeviceState::other;
}

}  // namespace

const char* to_string(DeviceState state) {
  switch (state) {
    case DeviceState::device:
      return "device";
    case DeviceState::recovery:
      return "recovery";
    case DeviceState::sideload:
      return "sideload";
    case DeviceState::rescue:
      return "rescue";
    case DeviceState::bootloader:
      return "bootloader";
    case DeviceState::host:
      return "host";
    case DeviceState::unauthorized:
      return "unauthorized";
    case DeviceState::other:
      return "other";
  }
  return "other";
}

std::optional<std::string> Banner::property(std::string_view key) const {
  for (const auto& [k, v] : properties)
    if (k == key) return v;
  return std::nullopt;
}

Result<Banner> parse_banner(std::string_view in, const BannerLimits& limits) {
  if (in.size() > limits.max_input)
    return fail(Errc::too_large, "banner of " + std::to_string(in.size()) + " bytes beyond limit " +
                                     std::to_string(limits.max_input));
  while (!in.empty() && in.back() == '\0') in.remove_suffix(1);  // adb sends a trailing NUL
  if (in.empty()) return fail(Errc::malformed, "empty banner");

  const auto colon = in.find(':');
  if (colon == std::string_view::npos)
    return fail(Errc::malformed, "banner has no ':' after the state");
  Banner b;
  const auto state = in.substr(0, colon);
  if (state.empty() || state.size() > 32 || !printable(state))
    return fail(Errc::malformed, "banner state is empty, too long or not printable");
  b.state_text = std::string(state);
  b.state = classify(state);

  auto rest = in.substr(colon + 1);
  const auto colon2 = rest.find(':');
  std::string_view props;
  if (colon2 == std::string_view::npos) {
    // "<state>:<serial>" without properties (very old peers) or a single field.
    if (printable(rest) && rest.size() <= limits.max_value) b.serial = std::string(rest);
  } else {
    const auto serial = rest.substr(0, colon2);
    if (printable(serial) && serial.size() <= limits.max_value) b.serial = std::string(serial);
    props = rest.substr(colon2 + 1);
  }

  while (!props.empty()) {
    const auto semi = props.find(';');
    const auto entry = props.substr(0, semi);
    props = semi == std::string_view::npos ? std::string_view{} : props.substr(semi + 1);
    if (entry.empty()) continue;
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      ++b.skipped;
      continue;
    }
    const auto key = entry.substr(0, eq);
    const auto value = entry.substr(eq + 1);
    if (key.size() > limits.max_key || !printable(key) || value.size() > limits.max_value ||
        !no_controls(value)) {
      ++b.skipped;
      continue;
    }
    if (key == "features") {
      std::string_view list = value;
      while (!list.empty()) {
        const auto comma = list.find(',');
        const auto f = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (f.empty()) continue;
        if (b.features.size() >= limits.max_features) {
          ++b.skipped;
          continue;
        }
        b.features.emplace_back(f);
      }
      continue;
    }
    if (b.properties.size() >= limits.max_properties) {
      ++b.skipped;
      continue;
    }
    b.properties.emplace_back(std::string(key), std::string(value));
  }
  return b;
}

}  // namespace dfx::android::adb
