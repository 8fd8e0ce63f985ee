// main() for GoogleTest programs using the kit (target dfx::testing_main).
//
// Outside umockdev's preload every test would fail in its own confusing way
// (libusb sees no devices); this fails the whole program at once with the fix.
// Listing tests needs no testbed, so --gtest_list_tests works everywhere.
#include <gtest/gtest.h>

#include <cstring>

#include "dfx/testing/testbed.hpp"

int main(int argc, char** argv) {
  bool listing = false;
  for (int i = 1; i < argc; ++i)
    listing = listing || std::strcmp(argv[i], "--gtest_list_tests") == 0;
  testing::InitGoogleTest(&argc, argv);
  if (!listing) dfx::testing::require_mock_environment_or_exit(argc > 0 ? argv[0] : "");
  return RUN_ALL_TESTS();
}
