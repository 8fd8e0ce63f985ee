// Configuration descriptors as a device sends them, and the choice of the usbmux configuration.
#include <cstddef>
#include <cstdint>
#include <span>

#include "config_descriptor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::span<const uint8_t> in(data, size);
  (void)dfx::apple::configuration_count(in);
  if (auto c = dfx::apple::parse_configuration(in)) {
    if (auto m = dfx::apple::find_usbmux({*c})) {
      if ((m->endpoint_in & 0x80) == 0 || (m->endpoint_out & 0x80) != 0) __builtin_trap();
      if (m->configuration != c->value) __builtin_trap();
    }
  }
  return 0;
}
