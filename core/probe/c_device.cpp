#include "probe/c_device.hpp"

#include <algorithm>

namespace dfx::probe {
namespace {
const char* c_str(const std::optional<std::string>& s) {
  return s ? s->c_str() : nullptr;
}
}  // namespace

CDevice::CDevice(const usb::DeviceFacts& facts) : facts_(facts) {
  endpoints_.reserve(facts_.interfaces.size());
  interfaces_.reserve(facts_.interfaces.size());
  for (const auto& i : facts_.interfaces) {
    auto& eps = endpoints_.emplace_back();
    for (const auto& e : i.endpoints)
      eps.push_back({e.address, e.attributes, e.max_packet_size, e.interval, {0, 0, 0}});
    dfx_usb_interface ci{};
    ci.number = i.number;
    ci.alt_setting = i.alt_setting;
    ci.interface_class = i.interface_class;
    ci.interface_subclass = i.interface_subclass;
    ci.interface_protocol = i.interface_protocol;
    ci.endpoint_count = static_cast<uint8_t>(std::min<std::size_t>(eps.size(), 255));
    ci.description = c_str(i.description);
    ci.endpoints = eps.data();
    interfaces_.push_back(ci);
  }
  device_.struct_size = sizeof(dfx_usb_device);
  device_.bus_number = facts_.bus;
  device_.device_address = facts_.address;
  device_.port_depth = static_cast<uint8_t>(std::min<std::size_t>(facts_.port_path.size(), 7));
  std::copy_n(facts_.port_path.begin(), device_.port_depth, device_.port_numbers);
  device_.vendor_id = facts_.vendor_id;
  device_.product_id = facts_.product_id;
  device_.bcd_device = facts_.bcd_device;
  device_.bcd_usb = facts_.bcd_usb;
  device_.device_class = facts_.device_class;
  device_.device_subclass = facts_.device_subclass;
  device_.device_protocol = facts_.device_protocol;
  device_.i_manufacturer = facts_.i_manufacturer;
  device_.i_product = facts_.i_product;
  device_.i_serial_number = facts_.i_serial_number;
  device_.manufacturer = c_str(facts_.manufacturer);
  device_.product = c_str(facts_.product);
  device_.serial_number = c_str(facts_.serial_number);
  device_.interface_count = static_cast<uint32_t>(interfaces_.size());
  device_.interfaces = interfaces_.data();
}

}  // namespace dfx::probe
