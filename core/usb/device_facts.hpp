// What the host knows about a USB device from its descriptors, before any plugin talks to it.
// Filled by discovery (libusb), sent to the probe worker as JSON, shown by `dfx scan`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace dfx::usb {

struct EndpointFacts {
  uint8_t address = 0;     ///< bEndpointAddress (bit 7: IN)
  uint8_t attributes = 0;  ///< bmAttributes (bits 0-1: transfer type)
  uint16_t max_packet_size = 0;
  uint8_t interval = 0;
};

struct InterfaceFacts {
  uint8_t number = 0;
  uint8_t alt_setting = 0;
  uint8_t interface_class = 0;
  uint8_t interface_subclass = 0;
  uint8_t interface_protocol = 0;
  std::optional<std::string> description;  ///< iInterface string, when readable
  std::vector<EndpointFacts> endpoints;
};

struct DeviceFacts {
  uint8_t bus = 0;
  uint8_t address = 0;
  std::vector<uint8_t> port_path;  ///< port numbers from the root hub; empty for root hubs
  uint16_t vendor_id = 0;
  uint16_t product_id = 0;
  uint16_t bcd_device = 0;
  uint16_t bcd_usb = 0;
  uint8_t device_class = 0;
  uint8_t device_subclass = 0;
  uint8_t device_protocol = 0;
  uint8_t i_manufacturer = 0;
  uint8_t i_product = 0;
  uint8_t i_serial_number = 0;
  std::optional<std::string> manufacturer;  ///< string descriptors, when the device answered
  std::optional<std::string> product;
  std::optional<std::string> serial_number;
  std::optional<std::string> vendor_name;  ///< from the system's usb.ids
  std::optional<std::string> product_name;
  std::vector<InterfaceFacts> interfaces;  ///< of the active configuration
  std::vector<std::string> warnings;       ///< what discovery could not read, and why

  /// The sysfs-style location, stable while the device stays in the same port: "1-1.4".
  /// Root hubs (empty port path) are "usb1".
  [[nodiscard]] std::string location() const;
  /// "18d1:4ee7"
  [[nodiscard]] std::string usb_id() const;
};

void to_json(nlohmann::json& j, const EndpointFacts& e);
void from_json(const nlohmann::json& j, EndpointFacts& e);
void to_json(nlohmann::json& j, const InterfaceFacts& i);
void from_json(const nlohmann::json& j, InterfaceFacts& i);
void to_json(nlohmann::json& j, const DeviceFacts& d);
void from_json(const nlohmann::json& j, DeviceFacts& d);

/// Lower-case hex with a fixed number of digits: hex(0x18d1, 4) == "18d1".
std::string hex(unsigned value, int digits);

}  // namespace dfx::usb
