// The AT-modem emulator as an emulator module of the testing kit (at-modem.so in
// <prefix>/lib/dfx/emulators): dfx-lab loads it to play the "at-modem" handsets.
#include <dfx/testing/behavior_registry.hpp>

#include "emulator.hpp"

DFX_TESTING_EMULATOR_MODULE(dfx::testing::register_at_modem_emulators)
