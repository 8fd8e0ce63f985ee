// The built-in behaviour module table.
#include "builtin_behaviors.hpp"

#include "dfx/testing/android_behaviors.hpp"

namespace dfx::testing::detail {
namespace {

template <auto Make>
tl::expected<std::unique_ptr<UsbBehavior>, std::string> as_behavior(const BehaviorContext& context) {
    auto made = Make(context);
    if (!made) return tl::unexpected(made.error());
    return std::unique_ptr<UsbBehavior>(std::move(*made));
}

}  // namespace

std::span<const BehaviorModule> builtin_behavior_modules() {
    static const BehaviorModule modules[] = {
        {"descriptor-only",
         "answers the standard descriptor requests only; other control requests stall, IN transfers never complete",
         &make_descriptor_only_behavior},
        {"adbd",
         "the phone side of ADB on ff/42/01: RSA auth against authorised keys, banner, getprop, service call iphonesubinfo",
         &as_behavior<&make_adbd_emulator>},
        {"fastboot", "a bootloader's fastboot on ff/42/03: getvar from a variable table, every other command FAIL",
         &as_behavior<&make_fastboot_emulator>},
    };
    return modules;
}

}  // namespace dfx::testing::detail
