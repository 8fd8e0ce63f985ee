// Hub descriptions and their minimal class-request behaviour.
#include "hub_device.hpp"

namespace dfx::testing::detail {
namespace {

UsbDeviceSpec hub_base() {
  UsbDeviceSpec s;
  s.bcd_usb = 0x0200;
  s.device_class = 0x09;     // hub
  s.device_protocol = 0x01;  // high-speed hub with a single TT
  s.max_packet_size0 = 64;
  s.speed = UsbSpeed::high;
  ConfigurationSpec c;
  c.value = 1;
  c.attributes = 0xE0;  // self-powered, remote wakeup
  c.max_power_ma = 0;
  InterfaceSpec i;
  i.number = 0;
  AltSettingSpec a;
  a.interface_class = 0x09;
  a.endpoints.push_back(
      EndpointSpec{0x81, TransferType::interrupt, 0, 4, 12, {}});  // status change endpoint
  i.alt_settings.push_back(a);
  c.interfaces.push_back(i);
  s.configurations.push_back(c);
  return s;
}

class HubBehavior final : public UsbBehavior {
 public:
  explicit HubBehavior(std::uint8_t ports) : ports_(ports) {}

  ControlReply on_control(DeviceSide&, const SetupPacket& s,
                          std::span<const std::uint8_t>) override {
    if (s.request_type == 0xA0 && s.request == 0x06 &&
        (s.value >> 8) == 0x29) {  // GET_DESCRIPTOR(HUB)
      const std::size_t bitmap = ports_ / 8u + 1u;
      Bytes d{static_cast<std::uint8_t>(7 + 2 * bitmap), 0x29, ports_, 0x09, 0x00, 10, 0};
      d.insert(d.end(), bitmap, 0x00);  // DeviceRemovable
      d.insert(d.end(), bitmap, 0xFF);  // PortPwrCtrlMask (USB 1.1 compatibility)
      return ControlReply::data(d);
    }
    if (s.request_type == 0xA0 && s.request == 0x00)
      return ControlReply::data({0, 0, 0, 0});  // hub status
    if (s.request_type == 0xA3 && s.request == 0x00 && s.index >= 1 && s.index <= ports_)
      return ControlReply::data(
          {0x00, 0x01, 0, 0});  // port powered; connection state is not tracked
    if ((s.request_type == 0x23 || s.request_type == 0x20) &&
        (s.request == 0x01 || s.request == 0x03))
      return ControlReply::ack();  // CLEAR/SET_FEATURE on hub or port
    return ControlReply::stall();
  }

 private:
  std::uint8_t ports_;
};

}  // namespace

UsbDeviceSpec root_hub_spec(std::uint8_t bus) {
  UsbDeviceSpec s = hub_base();
  s.vendor_id = 0x1D6B;   // Linux Foundation
  s.product_id = 0x0002;  // 2.0 root hub
  s.bcd_device = 0x0601;  // kernel version, like a real root hub
  s.device_protocol = 0x00;
  s.manufacturer = "Linux 6.1.0 dummy_hcd";
  s.product = "Dummy host controller";
  s.serial = "dummy_hcd." + std::to_string(bus - 1);
  return s;
}

UsbDeviceSpec generic_hub_spec() {
  UsbDeviceSpec s = hub_base();
  s.vendor_id = 0x05E3;   // Genesys Logic, Inc.
  s.product_id = 0x0608;  // Hub
  s.bcd_device = 0x6060;
  s.product = "USB2.0 Hub";
  s.configurations.front().attributes = 0xA0;  // bus-powered
  s.configurations.front().max_power_ma = 100;
  return s;
}

std::unique_ptr<UsbBehavior> make_hub_behavior(std::uint8_t ports) {
  return std::make_unique<HubBehavior>(ports);
}

}  // namespace dfx::testing::detail
