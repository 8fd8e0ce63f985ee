#include "usb/device_facts.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace dfx::usb {
namespace {

// IDs travel as lower-case hex strings ("18d1"), the way lsusb and usb.ids write them, so that a
// person reading JSON recognises them; the parser accepts the same form back.
unsigned parse_hex(const nlohmann::json& j, const char* key) {
  const auto& v = j.at(key);
  if (v.is_number_unsigned()) return v.get<unsigned>();
  const auto s = v.get<std::string>();
  std::size_t used = 0;
  const unsigned long n = std::stoul(s, &used, 16);
  if (used != s.size() || n > 0xFFFF)
    throw nlohmann::json::other_error::create(501, std::string("bad hex in ") + key, &j);
  return static_cast<unsigned>(n);
}

template <typename T>
void put_optional(nlohmann::json& j, const char* key, const std::optional<T>& v) {
  if (v)
    j[key] = *v;
  else
    j[key] = nullptr;
}
template <typename T>
void get_optional(const nlohmann::json& j, const char* key, std::optional<T>& v) {
  if (auto it = j.find(key); it != j.end() && !it->is_null())
    v = it->get<T>();
  else
    v.reset();
}

}  // namespace

std::string hex(unsigned value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*x", digits, value);
  return buf;
}

std::string DeviceFacts::location() const {
  if (port_path.empty()) return "usb" + std::to_string(bus);
  std::string s = std::to_string(bus) + "-";
  for (std::size_t i = 0; i < port_path.size(); ++i) {
    if (i) s += '.';
    s += std::to_string(port_path[i]);
  }
  return s;
}

std::string DeviceFacts::usb_id() const {
  return hex(vendor_id, 4) + ":" + hex(product_id, 4);
}

void to_json(nlohmann::json& j, const EndpointFacts& e) {
  j = {{"address", hex(e.address, 2)},
       {"attributes", e.attributes},
       {"max_packet_size", e.max_packet_size},
       {"interval", e.interval}};
}
void from_json(const nlohmann::json& j, EndpointFacts& e) {
  e.address = static_cast<uint8_t>(parse_hex(j, "address"));
  e.attributes = j.at("attributes").get<uint8_t>();
  e.max_packet_size = j.at("max_packet_size").get<uint16_t>();
  e.interval = j.at("interval").get<uint8_t>();
}

void to_json(nlohmann::json& j, const InterfaceFacts& i) {
  j = {{"number", i.number},
       {"alt_setting", i.alt_setting},
       {"class", hex(i.interface_class, 2)},
       {"subclass", hex(i.interface_subclass, 2)},
       {"protocol", hex(i.interface_protocol, 2)},
       {"endpoints", i.endpoints}};
  put_optional(j, "description", i.description);
}
void from_json(const nlohmann::json& j, InterfaceFacts& i) {
  i.number = j.at("number").get<uint8_t>();
  i.alt_setting = j.at("alt_setting").get<uint8_t>();
  i.interface_class = static_cast<uint8_t>(parse_hex(j, "class"));
  i.interface_subclass = static_cast<uint8_t>(parse_hex(j, "subclass"));
  i.interface_protocol = static_cast<uint8_t>(parse_hex(j, "protocol"));
  i.endpoints = j.at("endpoints").get<std::vector<EndpointFacts>>();
  get_optional(j, "description", i.description);
}

void to_json(nlohmann::json& j, const DeviceFacts& d) {
  j = {{"location", d.location()},
       {"bus", d.bus},
       {"address", d.address},
       {"port_path", d.port_path},
       {"vendor_id", hex(d.vendor_id, 4)},
       {"product_id", hex(d.product_id, 4)},
       {"bcd_device", hex(d.bcd_device, 4)},
       {"bcd_usb", hex(d.bcd_usb, 4)},
       {"class", hex(d.device_class, 2)},
       {"subclass", hex(d.device_subclass, 2)},
       {"protocol", hex(d.device_protocol, 2)},
       {"string_indexes", {d.i_manufacturer, d.i_product, d.i_serial_number}},
       {"interfaces", d.interfaces},
       {"warnings", d.warnings}};
  put_optional(j, "manufacturer", d.manufacturer);
  put_optional(j, "product", d.product);
  put_optional(j, "serial_number", d.serial_number);
  put_optional(j, "vendor_name", d.vendor_name);
  put_optional(j, "product_name", d.product_name);
}
void from_json(const nlohmann::json& j, DeviceFacts& d) {
  d.bus = j.at("bus").get<uint8_t>();
  d.address = j.at("address").get<uint8_t>();
  d.port_path = j.at("port_path").get<std::vector<uint8_t>>();
  d.vendor_id = static_cast<uint16_t>(parse_hex(j, "vendor_id"));
  d.product_id = static_cast<uint16_t>(parse_hex(j, "product_id"));
  d.bcd_device = static_cast<uint16_t>(parse_hex(j, "bcd_device"));
  d.bcd_usb = static_cast<uint16_t>(parse_hex(j, "bcd_usb"));
  d.device_class = static_cast<uint8_t>(parse_hex(j, "class"));
  d.device_subclass = static_cast<uint8_t>(parse_hex(j, "subclass"));
  d.device_protocol = static_cast<uint8_t>(parse_hex(j, "protocol"));
  const auto idx = j.at("string_indexes").get<std::vector<uint8_t>>();
  if (idx.size() != 3)
    throw nlohmann::json::other_error::create(501, "string_indexes needs 3 entries", &j);
  d.i_manufacturer = idx[0];
  d.i_product = idx[1];
  d.i_serial_number = idx[2];
  d.interfaces = j.at("interfaces").get<std::vector<InterfaceFacts>>();
  d.warnings = j.value("warnings", std::vector<std::string>{});
  get_optional(j, "manufacturer", d.manufacturer);
  get_optional(j, "product", d.product);
  get_optional(j, "serial_number", d.serial_number);
  get_optional(j, "vendor_name", d.vendor_name);
  get_optional(j, "product_name", d.product_name);
}

}  // namespace dfx::usb
