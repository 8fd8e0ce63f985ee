// libFuzzer target: the DeviceInfo dataset parser and what the plugin makes of it. Any input must
// end in a DeviceInfo or an error; a parsed one must encode again (strings are valid UTF-8 and
// fit) and parse back to the same value, and its identity must be built without trouble.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "device_info.hpp"
#include "identity.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  auto info = dfx::mtp::parse_device_info(std::span<const uint8_t>(data, size));
  if (!info) {
    if (info.error().message.empty()) std::abort();
    return 0;
  }
  (void)dfx::mtp::identity_from(*info);
  auto again = dfx::mtp::encode_device_info(*info);
  if (!again) std::abort();  // what was parsed is always encodable
  auto back = dfx::mtp::parse_device_info(*again);
  if (!back || !(*back == *info)) std::abort();
  return 0;
}
