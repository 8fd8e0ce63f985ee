// register_at_modem_emulators: the "at-modem" behaviour module, as a table.
#include <dfx/testing/behavior_registry.hpp>

#include "emulator.hpp"

namespace dfx::testing {

tl::expected<void, std::string> register_at_modem_emulators(BehaviorRegistry& registry) {
  const BehaviorModule modules[] = {
      {"at-modem",
       "an AT command port on a CDC data interface's bulk pair: replies from a dialogue table, "
       "echo and line-ending quirks, unknown commands ERROR, hostile modes",
       &as_behavior<&make_at_modem_emulator>},
  };
  for (const auto& m : modules)
    if (auto r = registry.add(m); !r) return r;
  return {};
}

}  // namespace dfx::testing
