// A plugin's USB surface: the requests it may send to a device, declared in its manifest
// ("usb": {...}) so that an examiner can read them before running it, and enforced by the host
// API. Reading descriptors and status is always allowed; everything else is refused unless
// declared, and the requests that change a device cannot be declared at all.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "usb/device_facts.hpp"

namespace dfx::usb {

/// A control request a plugin may send: bmRequestType and bRequest, exactly.
struct ControlRule {
  uint8_t request_type = 0;
  uint8_t request = 0;
  std::string why;  ///< what the plugin reads with it, for people
};

/// Interfaces a plugin may claim, and whether it may write to their bulk/interrupt OUT endpoints.
struct InterfaceRule {
  std::optional<uint8_t> interface_class;
  std::optional<uint8_t> interface_subclass;
  std::optional<uint8_t> interface_protocol;
  bool bulk_out = false;
  std::string why;
  std::optional<std::string>
      interface_name;  ///< iInterface, exactly (an unnamed one never matches)
  [[nodiscard]] bool matches(const InterfaceFacts& i) const;
};

struct Surface {
  std::vector<ControlRule> control;
  std::vector<InterfaceRule> interfaces;
  /// Configurations the host may make active for the plugin: those holding an interface that
  /// matches one of these ("usb": {"configurations": [...]}); bulk_out is unused here.
  std::vector<InterfaceRule> configurations;
};

/// Why a control request cannot be declared (it changes a device whatever its data), or
/// nullopt: every standard host-to-device request (SET_CONFIGURATION, SET_FEATURE, SET_SEL...),
/// and the vendor requests that switch an Android phone into accessory mode (52-58).
std::optional<std::string> undeclarable_control(uint8_t request_type, uint8_t request);

/// "0xc0/0x01 (vendor, device, IN)"
std::string describe_control(uint8_t request_type, uint8_t request);

/// The surface applied to one device. Each check returns why a request is refused, or nullopt.
class SurfacePolicy {
 public:
  SurfacePolicy(Surface surface, const DeviceFacts& device)
      : surface_(std::move(surface)), device_(device) {}

  /// Standard reads (GET_STATUS, GET_DESCRIPTOR, GET_CONFIGURATION, GET_INTERFACE, SYNCH_FRAME)
  /// pass; so does a declared request, unless it is an OUT request to a DFU interface.
  [[nodiscard]] std::optional<std::string> refuse_control(uint8_t request_type, uint8_t request,
                                                          uint16_t index) const;
  /// The interface must exist and match a declared rule.
  [[nodiscard]] std::optional<std::string> refuse_claim(uint8_t interface) const;
  /// The endpoint must belong to a claimed, declared interface; OUT needs "bulk_out".
  [[nodiscard]] std::optional<std::string> refuse_transfer(uint8_t endpoint,
                                                           const std::set<uint8_t>& claimed) const;
  /// Configuration `value`, whose interfaces are `interfaces`, must hold one that matches a
  /// declared configuration rule.
  [[nodiscard]] std::optional<std::string> refuse_configuration(
      uint8_t value, const std::vector<InterfaceFacts>& interfaces) const;
  /// The device's interfaces changed (another configuration is active).
  void set_interfaces(std::vector<InterfaceFacts> interfaces) {
    device_.interfaces = std::move(interfaces);
  }

 private:
  [[nodiscard]] const InterfaceRule* rule_for(const InterfaceFacts& i) const;
  Surface surface_;
  DeviceFacts device_;
};

}  // namespace dfx::usb
