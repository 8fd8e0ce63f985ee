// SurfacePolicy: what a plugin may send to one device, from what its manifest declares.
#include "usb/surface.hpp"

#include <gtest/gtest.h>

namespace dfx::usb {
namespace {

// An Android phone: MTP on interface 0, ADB on 1; and a DFU interface on 2.
DeviceFacts phone() {
  DeviceFacts d;
  d.interfaces = {
      {0, 0, 0x06, 0x01, 0x01, std::nullopt, {{0x81, 2, 512, 0}, {0x01, 2, 512, 0}}},
      {1, 0, 0xFF, 0x42, 0x01, std::nullopt, {{0x82, 2, 512, 0}, {0x02, 2, 512, 0}}},
      {2, 0, 0xFE, 0x01, 0x02, std::nullopt, {}},
  };
  return d;
}

Surface adb_surface() {
  Surface s;
  s.interfaces = {{0xFF, 0x42, 0x01, true, "adb", std::nullopt}};
  s.control = {{0xC0, 0x33, "accessory protocol version (a read)"}, {0x21, 0x00, "class OUT"}};
  return s;
}

TEST(UsbSurface, StandardReadsPassAndEverythingElseMustBeDeclared) {
  const SurfacePolicy p(Surface{}, phone());
  EXPECT_EQ(p.refuse_control(0x80, 0x06, 0), std::nullopt) << "GET_DESCRIPTOR";
  EXPECT_EQ(p.refuse_control(0x80, 0x00, 0), std::nullopt) << "GET_STATUS";
  EXPECT_EQ(p.refuse_control(0xC0, 0x01, 0),
            "refused: control request 0xc0/0x01 (vendor, device, IN) is not declared in the "
            "plugin's manifest (\"usb\": {\"control\": [...]})");
  const SurfacePolicy declared(adb_surface(), phone());
  EXPECT_EQ(declared.refuse_control(0xC0, 0x33, 0), std::nullopt);
  EXPECT_NE(declared.refuse_control(0xC0, 0x34, 0), std::nullopt) << "exactly what is declared";
}

TEST(UsbSurface, AnInterfaceNamedInTheRuleMustCarryThatName) {
  DeviceFacts d = phone();
  d.interfaces.push_back({3, 0, 0xFF, 0xFF, 0x00, std::string("MTP"), {}});
  d.interfaces.push_back({4, 0, 0xFF, 0xFF, 0x00, std::string("Samsung Modem"), {}});
  Surface s;
  s.interfaces = {{0xFF, 0xFF, 0x00, true, "MTP GetDeviceInfo", "MTP"}};
  const SurfacePolicy p(s, d);
  EXPECT_EQ(p.refuse_claim(3), std::nullopt);
  EXPECT_NE(p.refuse_claim(4), std::nullopt) << "same class triple, another name";
}

TEST(UsbSurface, StateChangingRequestsCannotBeDeclared) {
  for (const auto& [type, request] : std::vector<std::pair<uint8_t, uint8_t>>{
           {0x00, 0x09}, {0x00, 0x03}, {0x00, 0x30}, {0x00, 0x31}, {0x01, 0x0B}, {0x02, 0x01}}) {
    EXPECT_NE(undeclarable_control(type, request), std::nullopt)
        << int(type) << "/" << int(request);
    Surface s;
    s.control = {{type, request, "trying"}};
    EXPECT_NE(SurfacePolicy(s, phone()).refuse_control(type, request, 0), std::nullopt);
  }
  EXPECT_NE(undeclarable_control(0x40, 53), std::nullopt) << "ACCESSORY_START";
  EXPECT_NE(undeclarable_control(0x40, 52), std::nullopt) << "ACCESSORY_SEND_STRING";
  EXPECT_EQ(undeclarable_control(0xC0, 51), std::nullopt) << "ACCESSORY_GET_PROTOCOL is a read";
  EXPECT_EQ(undeclarable_control(0x21, 0x22), std::nullopt) << "a class OUT may be declared";
}

TEST(UsbSurface, NothingIsSentToADfuInterface) {
  const SurfacePolicy p(adb_surface(), phone());
  EXPECT_EQ(p.refuse_control(0x21, 0x00, 2),
            "refused: 0x21/0x00 (class, interface, OUT) to interface 2, a DFU (firmware update) "
            "interface");
  EXPECT_EQ(p.refuse_control(0x21, 0x00, 1), std::nullopt) << "declared, to another interface";
}

TEST(UsbSurface, ClaimsAndTransfersOnlyOnDeclaredInterfaces) {
  const SurfacePolicy p(adb_surface(), phone());
  EXPECT_EQ(p.refuse_claim(1), std::nullopt);
  EXPECT_EQ(p.refuse_claim(0),
            "refused: interface 0 is not among those the plugin's manifest "
            "declares (\"usb\": {\"interfaces\": [...]})");
  EXPECT_EQ(p.refuse_claim(9), "refused: the device has no interface 9");
  EXPECT_EQ(p.refuse_transfer(0x02, {}),
            "refused: endpoint 0x02 belongs to interface 1, which the plugin has not claimed");
  EXPECT_EQ(p.refuse_transfer(0x02, {1}), std::nullopt);
  EXPECT_EQ(p.refuse_transfer(0x82, {1}), std::nullopt);
  EXPECT_EQ(p.refuse_transfer(0x01, {0, 1}),
            "refused: endpoint 0x01 belongs to an undeclared interface");
  EXPECT_EQ(p.refuse_transfer(0x05, {1}), "refused: the device has no endpoint 0x05");
  Surface read_only = adb_surface();
  read_only.interfaces[0].bulk_out = false;
  EXPECT_EQ(SurfacePolicy(read_only, phone()).refuse_transfer(0x02, {1}),
            "refused: writing to endpoint 0x02 is not declared (\"bulk_out\": true for interface "
            "1)");
}

TEST(UsbSurface, AConfigurationIsSelectedOnlyForADeclaredInterface) {
  const std::vector<InterfaceFacts> ptp_and_mux = {
      {0, 0, 0x06, 0x01, 0x01, std::nullopt, {}},
      {1, 0, 0xFF, 0xFE, 0x02, std::nullopt, {{0x85, 2, 512, 0}, {0x04, 2, 512, 0}}}};
  const std::vector<InterfaceFacts> ptp_only = {ptp_and_mux[0]};
  Surface s;
  s.configurations = {{0xFF, 0xFE, 0x02, false, "usbmux", std::nullopt}};
  const SurfacePolicy p(s, phone());
  EXPECT_EQ(p.refuse_configuration(3, ptp_and_mux), std::nullopt);
  EXPECT_EQ(p.refuse_configuration(1, ptp_only),
            "refused: configuration 1 holds no interface the plugin's manifest names in \"usb\": "
            "{\"configurations\": [...]}");
  EXPECT_NE(SurfacePolicy(Surface{}, phone()).refuse_configuration(3, ptp_and_mux), std::nullopt)
      << "nothing declared, nothing selected";
  // Declaring a configuration does not let the plugin claim its interfaces: that is "interfaces".
  SurfacePolicy after(s, phone());
  after.set_interfaces(ptp_and_mux);
  EXPECT_NE(after.refuse_claim(1), std::nullopt);
}

}  // namespace
}  // namespace dfx::usb
