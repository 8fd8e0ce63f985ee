// umockdev device records (the text format of umockdev_testbed_add_from_string)
// for virtual USB devices, their interfaces and ttys, with the attributes and
// properties the Linux kernel and udev would show.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dfx/testing/usb_descriptors.hpp"

namespace dfx::testing::detail {

/// Where a device sits.
struct DeviceLocation {
  std::uint8_t bus = 1;
  std::uint8_t devnum = 2;
  std::vector<std::uint8_t> ports;  ///< Empty for a root hub.
  std::string
      devpath;  ///< sysfs path without "/sys", e.g. "/devices/platform/dummy_hcd.0/usb1/1-2".
};

/// "1-2.3" (or "usb1" for a root hub).
std::string sysfs_name(std::uint8_t bus, const std::vector<std::uint8_t>& ports);

/// "/devices/platform/dummy_hcd.<bus-1>/usb<bus>".
std::string root_hub_devpath(std::uint8_t bus);

/// "/dev/bus/usb/001/002".
std::string usb_devnode(std::uint8_t bus, std::uint8_t devnum);

/// sysfs path of interface `number` of configuration `config` below a device.
std::string interface_devpath(const DeviceLocation& where, std::uint8_t config,
                              std::uint8_t number);

/// Record of the usb_device followed by records of the interfaces of its
/// first configuration (paragraphs; umockdev sends one "add" uevent each, the
/// device first, as the kernel does).
std::string usb_device_records(const DescriptorSet& d, const DeviceLocation& where);

/// Devpaths of the interface records usb_device_records() creates, in order.
std::vector<std::string> interface_devpaths(const DescriptorSet& d, const DeviceLocation& where);

/// Record of a tty below an interface. `with_dev` writes the "dev" attribute
/// inside the record (the preload then knows the node's major:minor).
std::string tty_record(const DescriptorSet& d, const DeviceLocation& where,
                       const std::string& interface_devpath, std::uint8_t interface_number,
                       const std::string& name, unsigned minor, bool with_dev);

/// Escapes a value for an "A:" line (backslash and newline).
std::string escape_attribute(const std::string& value);

}  // namespace dfx::testing::detail
