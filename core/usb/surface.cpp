#include "usb/surface.hpp"

namespace dfx::usb {
namespace {

constexpr uint8_t kDirectionIn = 0x80;
constexpr uint8_t kTypeStandard = 0x00, kTypeVendor = 0x40;
constexpr uint8_t kRecipientInterface = 0x01;
constexpr uint8_t kDfuClass = 0xFE, kDfuSubclass = 0x01;

uint8_t type_of(uint8_t request_type) {
  return request_type & 0x60;
}

bool is_dfu(const InterfaceFacts& i) {
  return i.interface_class == kDfuClass && i.interface_subclass == kDfuSubclass;
}

}  // namespace

bool InterfaceRule::matches(const InterfaceFacts& i) const {
  return (!interface_class || *interface_class == i.interface_class) &&
         (!interface_subclass || *interface_subclass == i.interface_subclass) &&
         (!interface_protocol || *interface_protocol == i.interface_protocol) &&
         (!interface_name || (i.description && *i.description == *interface_name));
}

std::string describe_control(uint8_t request_type, uint8_t request) {
  static constexpr const char* kTypes[] = {"standard", "class", "vendor", "reserved"};
  static constexpr const char* kRecipients[] = {"device", "interface", "endpoint", "other"};
  const uint8_t recipient = request_type & 0x1F;
  return "0x" + hex(request_type, 2) + "/0x" + hex(request, 2) + " (" +
         kTypes[(request_type >> 5) & 3] + ", " + (recipient < 4 ? kRecipients[recipient] : "?") +
         ", " + ((request_type & kDirectionIn) ? "IN" : "OUT") + ")";
}

std::optional<std::string> undeclarable_control(uint8_t request_type, uint8_t request) {
  if (request_type & kDirectionIn) return std::nullopt;
  if (type_of(request_type) == kTypeStandard)
    return describe_control(request_type, request) +
           ": a standard host-to-device request changes the device (configuration, features, "
           "address) and cannot be declared";
  // Android Open Accessory: SEND_STRING, START, REGISTER_HID, UNREGISTER_HID,
  // SET_HID_REPORT_DESC, SEND_HID_EVENT, SET_AUDIO_MODE.
  if (type_of(request_type) == kTypeVendor && request >= 52 && request <= 58)
    return describe_control(request_type, request) +
           ": Android accessory-mode requests switch the phone into another mode and cannot be "
           "declared";
  return std::nullopt;
}

std::optional<std::string> SurfacePolicy::refuse_control(uint8_t request_type, uint8_t request,
                                                         uint16_t index) const {
  const bool in = request_type & kDirectionIn;
  if (in && type_of(request_type) == kTypeStandard &&
      (request == 0x00 || request == 0x06 || request == 0x08 || request == 0x0A || request == 0x0C))
    return std::nullopt;  // GET_STATUS, GET_DESCRIPTOR, GET_CONFIGURATION, GET_INTERFACE...
  if (auto why = undeclarable_control(request_type, request)) return "refused: " + *why;
  if (!in && (request_type & 0x1F) == kRecipientInterface) {
    for (const auto& i : device_.interfaces)
      if (i.number == (index & 0xFF) && is_dfu(i))
        return "refused: " + describe_control(request_type, request) + " to interface " +
               std::to_string(i.number) + ", a DFU (firmware update) interface";
  }
  for (const auto& r : surface_.control)
    if (r.request_type == request_type && r.request == request) return std::nullopt;
  return "refused: control request " + describe_control(request_type, request) +
         " is not declared in the plugin's manifest (\"usb\": {\"control\": [...]})";
}

const InterfaceRule* SurfacePolicy::rule_for(const InterfaceFacts& i) const {
  for (const auto& r : surface_.interfaces)
    if (r.matches(i)) return &r;
  return nullptr;
}

std::optional<std::string> SurfacePolicy::refuse_claim(uint8_t interface) const {
  bool exists = false;
  for (const auto& i : device_.interfaces) {
    if (i.number != interface) continue;
    exists = true;
    if (rule_for(i) != nullptr) return std::nullopt;
  }
  if (!exists) return "refused: the device has no interface " + std::to_string(interface);
  return "refused: interface " + std::to_string(interface) +
         " is not among those the plugin's manifest declares (\"usb\": {\"interfaces\": [...]})";
}

std::optional<std::string> SurfacePolicy::refuse_transfer(uint8_t endpoint,
                                                          const std::set<uint8_t>& claimed) const {
  const bool out = (endpoint & kDirectionIn) == 0;
  for (const auto& i : device_.interfaces) {
    for (const auto& e : i.endpoints) {
      if (e.address != endpoint) continue;
      if (!claimed.count(i.number))
        return "refused: endpoint 0x" + hex(endpoint, 2) + " belongs to interface " +
               std::to_string(i.number) + ", which the plugin has not claimed";
      const auto* rule = rule_for(i);
      if (rule == nullptr)
        return "refused: endpoint 0x" + hex(endpoint, 2) + " belongs to an undeclared interface";
      if (out && !rule->bulk_out)
        return "refused: writing to endpoint 0x" + hex(endpoint, 2) +
               " is not declared (\"bulk_out\": true for interface " + std::to_string(i.number) +
               ")";
      return std::nullopt;
    }
  }
  return "refused: the device has no endpoint 0x" + hex(endpoint, 2);
}

std::optional<std::string> SurfacePolicy::refuse_configuration(
    uint8_t value, const std::vector<InterfaceFacts>& interfaces) const {
  for (const auto& i : interfaces)
    for (const auto& r : surface_.configurations)
      if (r.matches(i)) return std::nullopt;
  return "refused: configuration " + std::to_string(value) +
         " holds no interface the plugin's manifest names in \"usb\": {\"configurations\": "
         "[...]}";
}

}  // namespace dfx::usb
