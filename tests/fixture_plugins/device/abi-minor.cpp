// Reports an ABI minor newer than the host's while its manifest says 1.0.
#include "test_plugin.hpp"
DFX_TEST_PLUGIN("abi-minor", DFX_ABI_MAJOR, DFX_ABI_MINOR + 1, DFX_PLUGIN_DEVICE, nullptr)
