#include "plugin_host/match.hpp"

#include <algorithm>

namespace dfx::plugin_host {
namespace {

template <typename T, typename U>
bool field_ok(const std::optional<T>& want, U have) {
  return !want || *want == have;
}

}  // namespace

bool matches(const UsbMatchRule& r, const usb::DeviceFacts& d) {
  if (r.any) return true;
  if (!field_ok(r.vendor_id, d.vendor_id) || !field_ok(r.product_id, d.product_id) ||
      !field_ok(r.device_class, d.device_class) ||
      !field_ok(r.device_subclass, d.device_subclass) ||
      !field_ok(r.device_protocol, d.device_protocol))
    return false;
  if (!r.interface_class && !r.interface_subclass && !r.interface_protocol && !r.interface_name)
    return true;
  return std::any_of(d.interfaces.begin(), d.interfaces.end(), [&](const usb::InterfaceFacts& i) {
    return field_ok(r.interface_class, i.interface_class) &&
           field_ok(r.interface_subclass, i.interface_subclass) &&
           field_ok(r.interface_protocol, i.interface_protocol) &&
           (!r.interface_name || (i.description && *i.description == *r.interface_name));
  });
}

bool matches(const Manifest& m, const usb::DeviceFacts& d) {
  if (m.kind != PluginKind::Device) return false;
  return std::any_of(m.match.begin(), m.match.end(),
                     [&](const UsbMatchRule& r) { return matches(r, d); });
}

bool is_hub(const usb::DeviceFacts& d) {
  return d.device_class == 0x09;
}

}  // namespace dfx::plugin_host
