// The built-in behaviour module table: the generic modules of the kit. Vendor protocols live with
// their plugin (plugins/<vendor>/emulator) and are added from emulator modules.
#include "builtin_behaviors.hpp"

namespace dfx::testing::detail {

std::span<const BehaviorModule> builtin_behavior_modules() {
  static const BehaviorModule modules[] = {
      {"descriptor-only",
       "answers the standard descriptor requests only; other control requests stall, IN transfers "
       "never complete",
       &make_descriptor_only_behavior},
      {"composite",
       "a device whose interfaces are played by several modules (MTP and a modem side by side), "
       "each owning the interfaces it lists",
       &make_composite_behavior},
      {"scripted",
       "answers vendor and class control requests and bulk exchanges from a table in the handset "
       "file",
       &make_scripted_behavior},
  };
  return modules;
}

}  // namespace dfx::testing::detail
