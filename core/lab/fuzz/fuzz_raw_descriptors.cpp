// Raw USB descriptors read back into a device spec (lab/raw_descriptors.hpp), on arbitrary bytes.
// Invariant: an accepted device has at least one configuration, and every endpoint lies in an
// interface's alternate setting (the reader refuses one that comes before any interface).
#include <cstddef>
#include <cstdint>
#include <span>

#include "lab/raw_descriptors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::map<uint8_t, std::string> strings = {{1, "Maker"}, {2, "Phone"}, {3, "SERIAL"}};
  auto spec = dfx::lab::spec_from_raw_descriptors(std::span(data, size), strings);
  if (!spec) return 0;
  if (spec->configurations.empty()) __builtin_trap();
  for (const auto& c : spec->configurations)
    for (const auto& i : c.interfaces)
      if (i.alt_settings.empty()) __builtin_trap();
  return 0;
}
