#include "fastboot_response.hpp"

namespace dfx::android::fastboot {
namespace {

bool has_controls(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

const char* to_string(ResponseKind kind) {
  switch (kind) {
    case ResponseKind::okay:
      return "OKAY";
    case ResponseKind::fail:
      return "FAIL";
    case ResponseKind::info:
      return "INFO";
    case ResponseKind::text:
      return "TEXT";
    case ResponseKind::data:
      return "DATA";
  }
  return "?";
}

Result<Response> parse_response(std::span<const uint8_t> bytes) {
  if (bytes.size() > kMaxResponse)
    return fail(Errc::too_large, "fastboot response of " + std::to_string(bytes.size()) +
                                     " bytes beyond the 256-byte limit");
  if (bytes.size() < 4)
    return fail(Errc::malformed, "fastboot response of " + std::to_string(bytes.size()) +
                                     " bytes, shorter than its 4-byte prefix");
  std::string_view s(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const auto prefix = s.substr(0, 4);
  Response r;
  if (prefix == "OKAY")
    r.kind = ResponseKind::okay;
  else if (prefix == "FAIL")
    r.kind = ResponseKind::fail;
  else if (prefix == "INFO")
    r.kind = ResponseKind::info;
  else if (prefix == "TEXT")
    r.kind = ResponseKind::text;
  else if (prefix == "DATA")
    r.kind = ResponseKind::data;
  else
    return fail(Errc::malformed, "unknown fastboot response prefix");
  auto payload = s.substr(4);
  while (!payload.empty() &&
         (payload.back() == '\0' || payload.back() == '\n' || payload.back() == '\r'))
    payload.remove_suffix(1);
  // TEXT carries free text that may legitimately hold line breaks; everything else must not.
  for (unsigned char c : payload) {
    const bool allowed_break = r.kind == ResponseKind::text && (c == '\n' || c == '\r');
    if ((c < 0x20 && !allowed_break && c != '\t') || c == 0x7f)
      return fail(Errc::malformed,
                  std::string("control character in fastboot ") + to_string(r.kind) + " response");
  }
  r.payload = std::string(payload);
  if (r.kind == ResponseKind::data) {
    if (r.payload.size() != 8) return fail(Errc::malformed, "DATA size is not 8 hex digits");
    uint32_t n = 0;
    for (char c : r.payload) {
      int d = -1;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      if (d < 0) return fail(Errc::malformed, "DATA size is not 8 hex digits");
      n = (n << 4) | static_cast<uint32_t>(d);
    }
    r.data_size = n;
  }
  return r;
}

std::optional<Variable> parse_getvar_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == '\0'))
    line.remove_suffix(1);
  if (line.size() > kMaxResponse || has_controls(line)) return std::nullopt;
  line = trim(line);
  constexpr std::string_view kTag = "(bootloader)";
  if (line.substr(0, kTag.size()) == kTag) line = trim(line.substr(kTag.size()));

  std::size_t split = std::string_view::npos;
  if (line.substr(0, 10) == "partition-") {
    split = line.rfind(':');
  } else {
    split = line.find(':');
  }
  if (split == std::string_view::npos) return std::nullopt;
  const auto name = trim(line.substr(0, split));
  const auto value = trim(line.substr(split + 1));
  if (name.empty() || name.find(' ') != std::string_view::npos) return std::nullopt;
  return Variable{std::string(name), std::string(value)};
}

}  // namespace dfx::android::fastboot
