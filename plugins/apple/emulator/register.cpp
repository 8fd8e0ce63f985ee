// register_apple_emulators: the "usbmux" behaviour module, as a table.
#include <dfx/testing/behavior_registry.hpp>

#include "emulator.hpp"

namespace dfx::testing {

tl::expected<void, std::string> register_apple_emulators(BehaviorRegistry& registry) {
  const BehaviorModule modules[] = {
      {"usbmux",
       "an iPhone in normal mode on ff/fe/02: usbmux v2, TCP to lockdownd (QueryType, GetValue, "
       "StartSession with TLS for the paired host), every writing request refused",
       &as_behavior<&make_usbmux_emulator>},
  };
  for (const auto& m : modules)
    if (auto r = registry.add(m); !r) return r;
  return {};
}

}  // namespace dfx::testing
