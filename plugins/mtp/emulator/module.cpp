// The MTP emulator as an emulator module of the testing kit (mtp.so in <prefix>/lib/dfx/emulators):
// dfx-lab loads it to play the handsets whose behaviour is "mtp".
#include <dfx/testing/behavior_registry.hpp>

#include "emulator.hpp"

DFX_TESTING_EMULATOR_MODULE(dfx::testing::register_mtp_emulators)
