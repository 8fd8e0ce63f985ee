#include "usb/usb_ids.hpp"

#include <gtest/gtest.h>

namespace dfx::usb {
namespace {

TEST(UsbIds, ParsesVendorsAndProductsAndStopsAtClasses) {
  const auto ids = UsbIds::parse(
      "# comment\n"
      "05ac  Apple, Inc.\n"
      "\t12a8  iPhone 5/5C/5S/6/SE/7/8/X/XR\n"
      "\t\t00  an interface line\n"
      "18d1  Google Inc.\n"
      "\t4ee7  Nexus/Pixel Device (charging + debug)\r\n"
      "C 09  Hub\n"
      "\t00  Full speed (or root) hub\n");
  EXPECT_EQ(ids.vendor(0x05AC), "Apple, Inc.");
  EXPECT_EQ(ids.product(0x05AC, 0x12A8), "iPhone 5/5C/5S/6/SE/7/8/X/XR");
  EXPECT_EQ(ids.product(0x18D1, 0x4EE7), "Nexus/Pixel Device (charging + debug)");
  EXPECT_FALSE(ids.product(0x05AC, 0x0000));
  EXPECT_FALSE(ids.vendor(0x0009));
}

TEST(UsbIds, SystemFileIsInstalledAndKnowsApple) {
  // usb.ids is a declared dependency (scripts/setup); without it names would silently vanish.
  const auto ids = UsbIds::load_system();
  EXPECT_GT(ids.vendors(), 3000u);
  EXPECT_EQ(ids.product(0x1D6B, 0x0002), "2.0 root hub");
  EXPECT_EQ(ids.vendor(0x05AC), "Apple, Inc.");
}

}  // namespace
}  // namespace dfx::usb
