// register_mtp_emulators: the "mtp" behaviour module, as a table.
#include <dfx/testing/behavior_registry.hpp>

#include "emulator.hpp"

namespace dfx::testing {

tl::expected<void, std::string> register_mtp_emulators(BehaviorRegistry& registry) {
  const BehaviorModule modules[] = {
      {"mtp",
       "the phone side of MTP/PTP on 6/1/1 or ff/ff/00 \"MTP\": GetDeviceInfo from params, "
       "OpenSession and an empty storage list for libmtp, PTP errors for the rest; hostile "
       "variants",
       &as_behavior<&make_mtp_emulator>},
  };
  for (const auto& m : modules)
    if (auto r = registry.add(m); !r) return r;
  return {};
}

}  // namespace dfx::testing
