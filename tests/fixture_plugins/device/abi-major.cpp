// Reports ABI major 2 while its manifest says 1.0.
#include "test_plugin.hpp"
DFX_TEST_PLUGIN("abi-major", 2, 0, DFX_PLUGIN_DEVICE, nullptr)
