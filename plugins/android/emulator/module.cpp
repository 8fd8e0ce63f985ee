// The Android emulator as an emulator module of the testing kit (android.so in
// <prefix>/lib/dfx/emulators): dfx-lab loads it to play the "adbd" and "fastboot" handsets.
#include <dfx/testing/behavior_registry.hpp>

#include "emulator.hpp"

DFX_TESTING_EMULATOR_MODULE(dfx::testing::register_android_emulators)
