#include "usb/device_facts.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace dfx::usb {
namespace {

TEST(DeviceFacts, LocationAndId) {
  DeviceFacts d;
  d.bus = 3;
  d.port_path = {1, 4, 2};
  d.vendor_id = 0x18D1;
  d.product_id = 0x4EE2;
  EXPECT_EQ(d.location(), "3-1.4.2");
  EXPECT_EQ(d.usb_id(), "18d1:4ee2");
  d.port_path.clear();
  EXPECT_EQ(d.location(), "usb3");
}

TEST(DeviceFacts, JsonRoundTripKeepsEverything) {
  DeviceFacts d;
  d.bus = 1;
  d.address = 7;
  d.port_path = {2};
  d.vendor_id = 0x05AC;
  d.product_id = 0x1281;
  d.bcd_device = 0x0100;
  d.bcd_usb = 0x0200;
  d.i_serial_number = 3;
  d.serial_number = "CPID:8020 ECID:001D2CD90128002E";
  d.vendor_name = "Apple, Inc.";
  d.interfaces = {
      {0, 0, 0xFF, 0xFE, 0x02, std::string("usbmux"), {{0x81, 2, 512, 0}, {0x02, 2, 512, 0}}}};
  d.warnings = {"a warning"};
  const nlohmann::json j = d;
  EXPECT_EQ(j["vendor_id"], "05ac");
  EXPECT_EQ(j["location"], "1-2");
  EXPECT_TRUE(j["manufacturer"].is_null());
  const auto back = j.get<DeviceFacts>();
  EXPECT_EQ(nlohmann::json(back), j);
}

TEST(DeviceFacts, BadHexIsAnError) {
  nlohmann::json j = DeviceFacts{};
  j["vendor_id"] = "zz";
  EXPECT_THROW(j.get<DeviceFacts>(), std::exception);
}

}  // namespace
}  // namespace dfx::usb
