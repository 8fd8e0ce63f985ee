// A virtual USB device plugged into a Testbed.
//
// WHERE IT APPEARS. A device at bus B, address D and port path P1.P2... shows
// up as /dev/bus/usb/BBB/DDD and as the sysfs device
// /sys/devices/platform/dummy_hcd.<B-1>/usbB/B-P1[.P2...] (the layout of the
// kernel's dummy_hcd), with one child per interface of the active
// configuration (B-P1:C.I). libusb-1.0.26 derives the port path from those
// sysfs names: the part after the last '.' (or '-') is the port on the parent
// hub, whose sysfs name is the rest ("1-2" -> parent "usb1"). libusb's
// libusb_get_port_numbers() walks that parent chain, so each level must exist:
// the Testbed adds the root hub usbB (1d6b:0002, address 1) and a virtual hub
// for every missing intermediate level of a deeper path.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "dfx/testing/usb_behavior.hpp"
#include "dfx/testing/usb_descriptors.hpp"
#include "dfx/testing/usb_faults.hpp"
#include "dfx/testing/virtual_tty.hpp"

namespace dfx::testing {

/// Where to plug a device. Zero / empty fields are chosen by the testbed.
struct Placement {
  std::uint8_t bus = 0;     ///< 1..255; 0 = bus 1.
  std::uint8_t devnum = 0;  ///< Address 2..127; 0 = next free address, as the kernel assigns them.
  std::vector<std::uint8_t> ports;  ///< Port path from the root hub ({2} = "1-2", {2,3} = "1-2.3");
                                    ///< empty = lowest free root port.
};

/// Everything Testbed::plug needs besides the descriptors.
struct PlugOptions {
  Placement placement;
  std::vector<TtySpec> ttys;  ///< Virtual ttys below interfaces of the device (CDC-ACM modems).
};

/// Counters for assertions about what the host did.
struct TransferCounters {
  std::size_t submitted = 0;  ///< URBs submitted (all endpoints).
  std::size_t completed = 0;  ///< URBs reaped by the host.
  std::size_t cancelled = 0;  ///< URBs the host discarded (libusb timeouts and cancels).
};

namespace detail {
class DeviceCore;
struct PluggedDevice;
}  // namespace detail

/// A plugged (or formerly plugged) virtual device. Owned by its Testbed; the
/// pointer Testbed::plug returns stays valid until the Testbed is destroyed,
/// also after unplug(). All methods are thread-safe.
class VirtualUsbDevice {
 public:
  /// Created by Testbed::plug; tests never construct one.
  explicit VirtualUsbDevice(std::shared_ptr<detail::PluggedDevice> state);
  ~VirtualUsbDevice();
  VirtualUsbDevice(const VirtualUsbDevice&) = delete;
  VirtualUsbDevice& operator=(const VirtualUsbDevice&) = delete;

  /// The resolved spec and its descriptors.
  const DescriptorSet& descriptors() const;
  const UsbDeviceSpec& spec() const { return descriptors().spec; }

  std::uint8_t bus() const;
  std::uint8_t devnum() const;
  /// Port numbers from the root hub, as libusb_get_port_numbers() reports them.
  const std::vector<std::uint8_t>& port_path() const;
  /// sysfs name, e.g. "1-2.3".
  const std::string& sysfs_name() const;
  /// sysfs path, e.g. "/sys/devices/platform/dummy_hcd.0/usb1/1-2".
  const std::string& sysfs_path() const;
  /// "/dev/bus/usb/001/002".
  const std::string& devnode() const;

  /// True until unplug().
  bool plugged() const;

  /// Handle for queueing data from the test (same object behaviours get).
  DeviceSide device_side() const;

  /// Shorthand for device_side().queue_in(endpoint, bytes).
  tl::expected<void, std::string> queue_in(std::uint8_t endpoint, Bytes bytes) const;

  /// Adds a fault rule (see usb_faults.hpp).
  void inject(Fault fault);
  /// Removes all fault rules that have not been used up.
  void clear_faults();

  /// Unplugs the device like pulling the cable: in-flight transfers end with
  /// -ESHUTDOWN (LIBUSB_TRANSFER_NO_DEVICE), later ioctls fail with ENODEV,
  /// "remove" uevents are sent (libusb hotplug LEFT) and the sysfs entries
  /// and device nodes disappear. Unplugging twice is a no-op.
  tl::expected<void, std::string> unplug();

  /// The ttys created with the device (PlugOptions::ttys), in spec order.
  std::vector<VirtualTty*> ttys() const;
  /// The tty whose name is `name`, or nullptr.
  VirtualTty* tty(std::string_view name) const;

  /// What the host did so far.
  TransferCounters counters() const;

  /// Exceptions thrown by behaviour hooks (each failed the transfer with -EPROTO).
  std::vector<std::string> behavior_errors() const;

 private:
  std::shared_ptr<detail::PluggedDevice> state_;
};

}  // namespace dfx::testing
