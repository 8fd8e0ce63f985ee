// register_android_emulators: the "adbd" and "fastboot" behaviour modules, as a table.
#include <dfx/testing/behavior_registry.hpp>

#include "emulator.hpp"

namespace dfx::testing {

tl::expected<void, std::string> register_android_emulators(BehaviorRegistry& registry) {
  const BehaviorModule modules[] = {
      {"adbd",
       "the phone side of ADB on ff/42/01: RSA auth against authorised keys, banner, getprop, "
       "service call iphonesubinfo",
       &as_behavior<&make_adbd_emulator>},
      {"fastboot",
       "a bootloader's fastboot on ff/42/03: getvar from a variable table, every other command "
       "FAIL",
       &as_behavior<&make_fastboot_emulator>},
  };
  for (const auto& m : modules)
    if (auto r = registry.add(m); !r) return r;
  return {};
}

}  // namespace dfx::testing
