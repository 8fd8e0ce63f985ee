// The Apple emulator as an emulator module of the testing kit (apple.so in
// <prefix>/lib/dfx/emulators): dfx-lab loads it to play the "usbmux" handsets.
#include <dfx/testing/behavior_registry.hpp>

#include "emulator.hpp"

DFX_TESTING_EMULATOR_MODULE(dfx::testing::register_apple_emulators)
