#include "usb/discovery.hpp"

#include <algorithm>
#include <tuple>

#include "usb/libusb_util.hpp"

namespace dfx::usb {
namespace {

// Fills f.interfaces; `string_index` receives each interface's iInterface, read once the device
// is open.
void read_interfaces(libusb_device* dev, DeviceFacts& f, std::vector<uint8_t>& string_index) {
  libusb_config_descriptor* cfg = nullptr;
  int r = libusb_get_active_config_descriptor(dev, &cfg);
  if (r != 0) r = libusb_get_config_descriptor(dev, 0, &cfg);  // unconfigured: describe the first
  if (r != 0 || cfg == nullptr) {
    f.warnings.push_back("no configuration descriptor: " + describe_error(r));
    return;
  }
  f.interfaces = interface_facts(*cfg, &string_index);
  libusb_free_config_descriptor(cfg);
}

void read_strings(libusb_device* dev, DeviceFacts& f, const std::vector<uint8_t>& interface_strings,
                  const DiscoveryOptions& opt) {
  const bool has_strings = f.i_manufacturer || f.i_product || f.i_serial_number ||
                           std::any_of(interface_strings.begin(), interface_strings.end(),
                                       [](uint8_t i) { return i != 0; });
  if (!has_strings) return;
  libusb_device_handle* raw = nullptr;
  if (const int r = libusb_open(dev, &raw); r != 0) {
    f.warnings.push_back("cannot open the device to read its strings: " + describe_error(r));
    return;
  }
  HandlePtr h(raw);
  auto get = [&](uint8_t index, const char* what) -> std::optional<std::string> {
    if (index == 0) return std::nullopt;
    auto s = read_string(h.get(), index, opt.string_timeout_ms);
    if (!s) {
      f.warnings.push_back(std::string(what) + ": " + s.error().message);
      return std::nullopt;
    }
    return *s;
  };
  f.manufacturer = get(f.i_manufacturer, "manufacturer string");
  f.product = get(f.i_product, "product string");
  f.serial_number = get(f.i_serial_number, "serial number string");
  for (std::size_t i = 0; i < f.interfaces.size() && i < interface_strings.size(); ++i)
    f.interfaces[i].description = get(interface_strings[i], "interface string");
}

}  // namespace

DeviceFacts descriptor_facts(libusb_device* dev, std::vector<uint8_t>* interface_strings) {
  libusb_device_descriptor dd{};
  DeviceFacts f;
  f.bus = libusb_get_bus_number(dev);
  f.address = libusb_get_device_address(dev);
  uint8_t ports[8];
  const int depth = libusb_get_port_numbers(dev, ports, sizeof ports);
  if (depth > 0) f.port_path.assign(ports, ports + depth);
  if (const int r = libusb_get_device_descriptor(dev, &dd); r != 0) {
    f.warnings.push_back("no device descriptor: " + describe_error(r));
    return f;
  }
  f.vendor_id = dd.idVendor;
  f.product_id = dd.idProduct;
  f.bcd_device = dd.bcdDevice;
  f.bcd_usb = dd.bcdUSB;
  f.device_class = dd.bDeviceClass;
  f.device_subclass = dd.bDeviceSubClass;
  f.device_protocol = dd.bDeviceProtocol;
  f.i_manufacturer = dd.iManufacturer;
  f.i_product = dd.iProduct;
  f.i_serial_number = dd.iSerialNumber;
  std::vector<uint8_t> ignored;
  read_interfaces(dev, f, interface_strings ? *interface_strings : ignored);
  return f;
}

DeviceFacts describe_device(libusb_device* dev, const DiscoveryOptions& opt) {
  std::vector<uint8_t> interface_strings;
  DeviceFacts f = descriptor_facts(dev, &interface_strings);
  libusb_device_descriptor dd{};
  if (libusb_get_device_descriptor(dev, &dd) == 0) read_strings(dev, f, interface_strings, opt);
  return f;
}

Result<std::vector<DeviceFacts>> discover_devices(const DiscoveryOptions& opt) {
  auto ctx = open_context();
  if (!ctx) return tl::unexpected(ctx.error());
  libusb_device** list = nullptr;
  const ssize_t n = libusb_get_device_list(ctx->get(), &list);
  if (n < 0) return fail("cannot list USB devices: " + describe_error(static_cast<int>(n)));
  std::vector<DeviceFacts> out;
  out.reserve(static_cast<std::size_t>(n));
  for (ssize_t i = 0; i < n; ++i) out.push_back(describe_device(list[i], opt));
  libusb_free_device_list(list, 1);
  // Stable order for people and diffs: by bus, then port path.
  std::sort(out.begin(), out.end(), [](const DeviceFacts& a, const DeviceFacts& b) {
    return std::tie(a.bus, a.port_path, a.address) < std::tie(b.bus, b.port_path, b.address);
  });
  return out;
}

}  // namespace dfx::usb
