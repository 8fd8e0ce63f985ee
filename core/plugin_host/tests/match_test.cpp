#include "plugin_host/match.hpp"

#include <gtest/gtest.h>

namespace dfx::plugin_host {
namespace {

usb::DeviceFacts pixel() {
  usb::DeviceFacts d;
  d.vendor_id = 0x18D1;
  d.product_id = 0x4EE2;
  d.interfaces = {{0, 0, 0x06, 0x01, 0x01, std::nullopt, {}},
                  {1, 0, 0xFF, 0x42, 0x01, std::nullopt, {}}};
  return d;
}

TEST(Match, VendorAndProduct) {
  UsbMatchRule r;
  r.vendor_id = 0x18D1;
  EXPECT_TRUE(matches(r, pixel()));
  r.product_id = 0x4EE2;
  EXPECT_TRUE(matches(r, pixel()));
  r.product_id = 0x4EE0;
  EXPECT_FALSE(matches(r, pixel()));
}

TEST(Match, InterfaceFieldsMustAllHoldOnTheSameInterface) {
  UsbMatchRule r;
  r.interface_class = 0xFF;
  r.interface_subclass = 0x42;
  r.interface_protocol = 0x01;
  EXPECT_TRUE(matches(r, pixel()));
  r.interface_protocol = 0x03;  // fastboot: not present
  EXPECT_FALSE(matches(r, pixel()));
  UsbMatchRule mixed;  // class of interface 0 with subclass of interface 1: no single interface
  mixed.interface_class = 0x06;
  mixed.interface_subclass = 0x42;
  EXPECT_FALSE(matches(mixed, pixel()));
}

TEST(Match, TheInterfaceNameMustBeExactlyTheInterfacesString) {
  usb::DeviceFacts d = pixel();
  d.interfaces.push_back({2, 0, 0xFF, 0xFF, 0x00, std::string("MTP"), {}});
  d.interfaces.push_back({3, 0, 0xFF, 0xFF, 0x00, std::nullopt, {}});
  UsbMatchRule r;
  r.interface_class = 0xFF;
  r.interface_subclass = 0xFF;
  r.interface_name = "MTP";
  EXPECT_TRUE(matches(r, d));
  r.interface_name = "mtp";
  EXPECT_FALSE(matches(r, d)) << "exact, not case-folded";
  d.interfaces.erase(d.interfaces.begin() + 2);  // only the unnamed vendor interface is left
  r.interface_name = "MTP";
  EXPECT_FALSE(matches(r, d)) << "an interface without a string never matches a name";
  UsbMatchRule name_only;
  name_only.interface_name = "ADB Interface";
  d.interfaces[1].description = "ADB Interface";
  EXPECT_TRUE(matches(name_only, d));
}

TEST(Match, DeviceClassAndAny) {
  UsbMatchRule r;
  r.device_class = 0x00;
  EXPECT_TRUE(matches(r, pixel()));
  r.device_class = 0x02;
  EXPECT_FALSE(matches(r, pixel()));
  UsbMatchRule any;
  any.any = true;
  EXPECT_TRUE(matches(any, usb::DeviceFacts{}));
}

TEST(Match, ManifestRulesAreOredAndRegisterPluginsNeverMatch) {
  Manifest m;
  m.kind = PluginKind::Device;
  UsbMatchRule apple, google;
  apple.vendor_id = 0x05AC;
  google.vendor_id = 0x18D1;
  m.match = {apple};
  EXPECT_FALSE(matches(m, pixel()));
  m.match.push_back(google);
  EXPECT_TRUE(matches(m, pixel()));
  m.kind = PluginKind::Register;
  EXPECT_FALSE(matches(m, pixel()));
}

TEST(Match, HubsAreRecognised) {
  auto d = pixel();
  EXPECT_FALSE(is_hub(d));
  d.device_class = 0x09;
  EXPECT_TRUE(is_hub(d));
}

}  // namespace
}  // namespace dfx::plugin_host
