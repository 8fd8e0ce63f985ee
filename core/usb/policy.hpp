// The host's read-only policy for control requests: the one place that decides which control
// transfers a plugin may send. Protocol-level allow-lists (e.g. which ADB commands) live in the
// vendor plugins; this layer guarantees that no plugin reconfigures the device itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace dfx::usb {

/// Why a control request is refused, or nullopt when it may be sent. Refused: the standard
/// host-to-device requests that change device state (CLEAR_FEATURE, SET_FEATURE, SET_ADDRESS,
/// SET_DESCRIPTOR, SET_CONFIGURATION, SET_INTERFACE).
std::optional<std::string> refuse_control_request(uint8_t request_type, uint8_t request);

}  // namespace dfx::usb
