// Hubs the testbed adds by itself: the Linux root hub of each bus and generic
// hubs for intermediate levels of deep port paths.
#pragma once

#include <memory>

#include "dfx/testing/usb_behavior.hpp"
#include "dfx/testing/usb_spec.hpp"

namespace dfx::testing::detail {

/// Ports a root hub offers to automatic placement.
inline constexpr std::uint8_t root_hub_ports = 15;
/// Ports of the generic hub.
inline constexpr std::uint8_t generic_hub_ports = 7;

/// The Linux "2.0 root hub" (1d6b:0002) of dummy_hcd.<bus-1>.
UsbDeviceSpec root_hub_spec(std::uint8_t bus);

/// A plain USB 2.0 hub (Genesys Logic 05e3:0608, a common one).
UsbDeviceSpec generic_hub_spec();

/// Answers the hub class requests lsusb -v asks (hub descriptor, hub and port status).
std::unique_ptr<UsbBehavior> make_hub_behavior(std::uint8_t ports);

}  // namespace dfx::testing::detail
