#include "usb/string_descriptor.hpp"

#include "text/utf8.hpp"

namespace dfx::usb {
namespace {

constexpr uint32_t kReplacement = 0xFFFD;

}  // namespace

Result<std::string> decode_string_descriptor(std::span<const uint8_t> b) {
  if (b.size() < 2)
    return fail("string descriptor of " + std::to_string(b.size()) + " bytes is too short");
  if (b[1] != 0x03) return fail("descriptor type " + std::to_string(b[1]) + " is not a string (3)");
  const std::size_t len = b[0];
  if (len < 2 || len > b.size())
    return fail("string descriptor claims " + std::to_string(len) + " bytes but " +
                std::to_string(b.size()) + " arrived");
  if (len % 2 != 0) return fail("string descriptor has an odd length " + std::to_string(len));
  std::string out;
  out.reserve(len);
  for (std::size_t i = 2; i + 1 < len; i += 2) {
    uint32_t u = static_cast<uint32_t>(b[i] | (b[i + 1] << 8));
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
      const uint32_t lo = static_cast<uint32_t>(b[i + 2] | (b[i + 3] << 8));
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        text::append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        i += 2;
        continue;
      }
    }
    if ((u >= 0xD800 && u <= 0xDFFF) || u == 0) u = kReplacement;
    text::append_utf8(out, u);
  }
  return out;
}

std::optional<uint16_t> first_language(std::span<const uint8_t> b) {
  if (b.size() < 4 || b[1] != 0x03 || b[0] < 4) return std::nullopt;
  return static_cast<uint16_t>(b[2] | (b[3] << 8));
}

}  // namespace dfx::usb
