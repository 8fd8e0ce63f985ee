// CNXN banner parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adb_banner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  dfx::android::adb::BannerLimits limits;
  limits.max_properties = 8;
  limits.max_features = 8;
  if (auto b = dfx::android::adb::parse_banner(in, limits)) {
    if (b->properties.size() > limits.max_properties || b->features.size() > limits.max_features)
      __builtin_trap();
    (void)b->property("ro.product.model");
  }
  return 0;
}
