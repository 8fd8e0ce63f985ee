// umockdev records for USB devices, interfaces and ttys (see sysfs_records.hpp).
//
// libusb-1.0.26 (udev backend) strictly needs: SUBSYSTEM=usb,
// DEVTYPE=usb_device, DEVNAME, the attributes busnum, devnum and descriptors,
// and the /dev node. The rest mirrors what the kernel (drivers/usb/core/sysfs.c)
// and udev's usb_id builtin show, so code reading sysfs or udev properties
// sees a believable device.
#include "sysfs_records.hpp"

#include <cstdio>
#include <string_view>

namespace dfx::testing::detail {
namespace {

std::string fmt(const char* format, unsigned v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

const ConfigurationSpec& first_configuration(const DescriptorSet& d) {
  return d.spec.configurations.front();
}

const char* speed_text(UsbSpeed s) {
  switch (s) {
    case UsbSpeed::low:
      return "1.5";
    case UsbSpeed::full:
      return "12";
    case UsbSpeed::high:
      return "480";
    case UsbSpeed::super:
      return "5000";
    case UsbSpeed::super_plus:
      return "10000";
  }
  return "480";
}

// udev's usb_id keeps these characters and turns the rest into '_'.
std::string udev_safe(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    const bool keep =
        (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        std::string_view("#+-.:=@_").find(static_cast<char>(c)) != std::string_view::npos ||
        c >= 0x80;
    out += keep ? static_cast<char>(c) : '_';
  }
  return out;
}

std::string one_line(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out;
}

std::string interface_list(const ConfigurationSpec& c) {
  std::string out = ":";
  for (const auto& i : c.interfaces)
    for (const auto& a : i.alt_settings) {
      const std::string code = fmt("%02x", a.interface_class) + fmt("%02x", a.interface_subclass) +
                               fmt("%02x", a.interface_protocol);
      if (out.find(":" + code + ":") == std::string::npos) out += code + ":";
    }
  return out;
}

std::string product_property(const UsbDeviceSpec& s) {
  return fmt("%x", s.vendor_id) + "/" + fmt("%x", s.product_id) + "/" + fmt("%x", s.bcd_device);
}

std::string type_property(const UsbDeviceSpec& s) {
  return std::to_string(s.device_class) + "/" + std::to_string(s.device_subclass) + "/" +
         std::to_string(s.device_protocol);
}

void usb_id_properties(std::string& r, const DescriptorSet& d) {
  const auto& s = d.spec;
  const std::string vendor =
      s.manufacturer.empty() ? fmt("%04x", s.vendor_id) : udev_safe(one_line(s.manufacturer.text));
  const std::string model =
      s.product.empty() ? fmt("%04x", s.product_id) : udev_safe(one_line(s.product.text));
  r += "E: ID_BUS=usb\n";
  r += "E: ID_VENDOR=" + vendor + "\n";
  r += "E: ID_VENDOR_ID=" + fmt("%04x", s.vendor_id) + "\n";
  r += "E: ID_MODEL=" + model + "\n";
  r += "E: ID_MODEL_ID=" + fmt("%04x", s.product_id) + "\n";
  r += "E: ID_REVISION=" + fmt("%04x", s.bcd_device) + "\n";
  std::string serial = vendor + "_" + model;
  if (!s.serial.empty()) {
    const std::string short_serial = udev_safe(one_line(s.serial.text));
    r += "E: ID_SERIAL_SHORT=" + short_serial + "\n";
    serial += "_" + short_serial;
  }
  r += "E: ID_SERIAL=" + serial + "\n";
  r += "E: ID_USB_INTERFACES=" + interface_list(first_configuration(d)) + "\n";
}

std::string modalias(const UsbDeviceSpec& s, const AltSettingSpec& a, std::uint8_t number) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "usb:v%04Xp%04Xd%04Xdc%02Xdsc%02Xdp%02Xic%02Xisc%02Xip%02Xin%02X",
                s.vendor_id, s.product_id, s.bcd_device, s.device_class, s.device_subclass,
                s.device_protocol, a.interface_class, a.interface_subclass, a.interface_protocol,
                number);
  return buf;
}

std::string port_string(const std::vector<std::uint8_t>& ports) {
  std::string out;
  for (std::size_t i = 0; i < ports.size(); ++i) out += (i ? "." : "") + std::to_string(ports[i]);
  return out;
}

// A sysfs text attribute: the kernel ends every value with a newline, and
// readers rely on it (lsusb strips the last character of manufacturer,
// product and serial; libusb warns about numbers without it).
void attr(std::string& r, const std::string& key, const std::string& value) {
  r += "A: " + key + "=" + escape_attribute(value + "\n") + "\n";
}

}  // namespace

std::string escape_attribute(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string sysfs_name(std::uint8_t bus, const std::vector<std::uint8_t>& ports) {
  if (ports.empty()) return "usb" + std::to_string(bus);
  return std::to_string(bus) + "-" + port_string(ports);
}

std::string root_hub_devpath(std::uint8_t bus) {
  return "/devices/platform/dummy_hcd." + std::to_string(bus - 1) + "/usb" + std::to_string(bus);
}

std::string usb_devnode(std::uint8_t bus, std::uint8_t devnum) {
  return "/dev/bus/usb/" + fmt("%03u", bus) + "/" + fmt("%03u", devnum);
}

std::string interface_devpath(const DeviceLocation& where, std::uint8_t config,
                              std::uint8_t number) {
  // Root hubs name their interfaces "1-0:1.0".
  const std::string base =
      where.ports.empty() ? std::to_string(where.bus) + "-0" : sysfs_name(where.bus, where.ports);
  return where.devpath + "/" + base + ":" + std::to_string(config) + "." + std::to_string(number);
}

std::vector<std::string> interface_devpaths(const DescriptorSet& d, const DeviceLocation& where) {
  std::vector<std::string> out;
  const auto& c = first_configuration(d);
  for (const auto& i : c.interfaces) out.push_back(interface_devpath(where, c.value, i.number));
  return out;
}

std::string usb_device_records(const DescriptorSet& d, const DeviceLocation& where) {
  const auto& s = d.spec;
  const auto& config = first_configuration(d);
  const unsigned minor = (where.bus - 1u) * 128u + (where.devnum - 1u);
  const std::string node = usb_devnode(where.bus, where.devnum).substr(5);  // without "/dev/"
  const bool superspeed = s.speed == UsbSpeed::super || s.speed == UsbSpeed::super_plus;
  const unsigned power_unit = superspeed ? 8 : 2;
  std::string r;
  r += "P: " + where.devpath + "\n";
  r += "N: " + node + "=" + to_hex(d.sysfs_descriptors()) +
       "\n";  // usbfs nodes read as the descriptors; upper-case hex
  r += "E: DEVNAME=/dev/" + node + "\n";
  r += "E: DEVTYPE=usb_device\n";
  r += "E: DRIVER=usb\n";
  r += "E: PRODUCT=" + product_property(s) + "\n";
  r += "E: TYPE=" + type_property(s) + "\n";
  r += "E: BUSNUM=" + fmt("%03u", where.bus) + "\n";
  r += "E: DEVNUM=" + fmt("%03u", where.devnum) + "\n";
  r += "E: MAJOR=189\n";
  r += "E: MINOR=" + std::to_string(minor) + "\n";
  r += "E: SUBSYSTEM=usb\n";
  usb_id_properties(r, d);
  attr(r, "authorized", "1");
  attr(r, "avoid_reset_quirk", "0");
  attr(r, "bConfigurationValue", std::to_string(config.value));
  attr(r, "bDeviceClass", fmt("%02x", s.device_class));
  attr(r, "bDeviceProtocol", fmt("%02x", s.device_protocol));
  attr(r, "bDeviceSubClass", fmt("%02x", s.device_subclass));
  attr(r, "bMaxPacketSize0", std::to_string(s.max_packet_size0));
  attr(r, "bMaxPower",
       std::to_string(((config.max_power_ma + power_unit - 1) / power_unit) * power_unit) + "mA");
  attr(r, "bNumConfigurations", std::to_string(s.configurations.size()));
  attr(r, "bNumInterfaces", fmt("%2u", static_cast<unsigned>(config.interfaces.size())));
  attr(r, "bcdDevice", fmt("%04x", s.bcd_device));
  attr(r, "bmAttributes", fmt("%x", config.attributes));
  attr(r, "busnum", std::to_string(where.bus));
  attr(r, "configuration", config.name.text);
  // "dev" without the newline: umockdev 0.17.16 unlinks /sys/dev/char/<contents> on removal.
  r += "A: dev=189:" + std::to_string(minor) + "\n";
  attr(r, "devnum", std::to_string(where.devnum));
  attr(r, "devpath", (where.ports.empty() ? std::string("0") : port_string(where.ports)));
  attr(r, "idProduct", fmt("%04x", s.product_id));
  attr(r, "idVendor", fmt("%04x", s.vendor_id));
  attr(r, "ltm_capable", "no");
  if (!s.manufacturer.empty()) attr(r, "manufacturer", s.manufacturer.text);
  attr(r, "maxchild", std::string(s.device_class == 9 ? (where.ports.empty() ? "15" : "7") : "0"));
  if (!s.product.empty()) attr(r, "product", s.product.text);
  attr(r, "quirks", "0x0");
  attr(r, "removable", std::string(where.ports.empty() ? "unknown" : "removable"));
  attr(r, "rx_lanes", "1");
  if (!s.serial.empty()) attr(r, "serial", s.serial.text);
  attr(r, "speed", std::string(speed_text(s.speed)));
  attr(r, "tx_lanes", "1");
  attr(r, "version", fmt("%2x", s.bcd_usb >> 8) + "." + fmt("%02x", s.bcd_usb & 0xFF));
  r += "H: descriptors=" + to_hex(d.sysfs_descriptors()) + "\n";

  for (const auto& iface : config.interfaces) {
    const auto& alt = iface.alt_settings.front();
    r += "\n";
    r += "P: " + interface_devpath(where, config.value, iface.number) + "\n";
    r += "E: DEVTYPE=usb_interface\n";
    r += "E: PRODUCT=" + product_property(s) + "\n";
    r += "E: TYPE=" + type_property(s) + "\n";
    r += "E: INTERFACE=" + std::to_string(alt.interface_class) + "/" +
         std::to_string(alt.interface_subclass) + "/" + std::to_string(alt.interface_protocol) +
         "\n";
    r += "E: MODALIAS=" + modalias(s, alt, iface.number) + "\n";
    r += "E: SUBSYSTEM=usb\n";
    attr(r, "authorized", "1");
    attr(r, "bAlternateSetting", fmt("%2u", alt.alternate));
    attr(r, "bInterfaceClass", fmt("%02x", alt.interface_class));
    attr(r, "bInterfaceNumber", fmt("%02x", iface.number));
    attr(r, "bInterfaceProtocol", fmt("%02x", alt.interface_protocol));
    attr(r, "bInterfaceSubClass", fmt("%02x", alt.interface_subclass));
    attr(r, "bNumEndpoints", fmt("%02x", static_cast<unsigned>(alt.endpoints.size())));
    if (!alt.name.empty()) attr(r, "interface", alt.name.text);
    attr(r, "modalias", modalias(s, alt, iface.number));
    attr(r, "supports_autosuspend", "1");
  }
  return r;
}

std::string tty_record(const DescriptorSet& d, const DeviceLocation& where,
                       const std::string& interface_devpath, std::uint8_t interface_number,
                       const std::string& name, unsigned minor, bool with_dev) {
  (void)where;
  std::string r;
  r += "P: " + interface_devpath + "/tty/" + name + "\n";
  r += "N: " + name + "\n";  // no contents: umockdev backs it with a pty
  r += "E: DEVNAME=/dev/" + name + "\n";
  r += "E: MAJOR=166\n";
  r += "E: MINOR=" + std::to_string(minor) + "\n";
  r += "E: SUBSYSTEM=tty\n";
  usb_id_properties(r, d);
  r += "E: ID_USB_INTERFACE_NUM=" + fmt("%02x", interface_number) + "\n";
  r += "E: ID_USB_DRIVER=cdc_acm\n";
  if (with_dev) r += "A: dev=166:" + std::to_string(minor) + "\n";
  return r;
}

}  // namespace dfx::testing::detail
