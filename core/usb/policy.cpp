#include "usb/policy.hpp"

#include <array>
#include <string_view>

namespace dfx::usb {
namespace {

struct Refused {
  uint8_t request;
  std::string_view name;
};

// Standard requests (USB 2.0 table 9-4) that change what the device is or how it is configured.
constexpr std::array<Refused, 6> kRefusedStandard{{{0x01, "CLEAR_FEATURE"},
                                                   {0x03, "SET_FEATURE"},
                                                   {0x05, "SET_ADDRESS"},
                                                   {0x07, "SET_DESCRIPTOR"},
                                                   {0x09, "SET_CONFIGURATION"},
                                                   {0x0B, "SET_INTERFACE"}}};

}  // namespace

std::optional<std::string> refuse_control_request(uint8_t request_type, uint8_t request) {
  const bool to_device = (request_type & 0x80) == 0;
  const bool standard = ((request_type >> 5) & 0x03) == 0;
  if (!to_device || !standard) return std::nullopt;
  for (const auto& r : kRefusedStandard)
    if (r.request == request)
      return "read-only policy: standard request " + std::string(r.name) +
             " would change the device";
  return std::nullopt;
}

}  // namespace dfx::usb
