// getprop value and listing parsers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "getprop.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)dfx::android::parse_getprop_value(in);
  auto listing = dfx::android::parse_getprop_listing(in, 64);
  if (listing.entries.size() > 64) __builtin_trap();
  return 0;
}
