// The built-in behaviour module table.
#include "builtin_behaviors.hpp"

namespace dfx::testing::detail {

std::span<const BehaviorModule> builtin_behavior_modules() {
    static const BehaviorModule modules[] = {
        {"descriptor-only",
         "answers the standard descriptor requests only; other control requests stall, IN transfers never complete",
         &make_descriptor_only_behavior},
    };
    return modules;
}

}  // namespace dfx::testing::detail
