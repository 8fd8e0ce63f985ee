// RAII over a umockdev testbed: a private /sys and /dev in which virtual USB
// devices live, seen by unmodified libusb code in the same process and in
// child processes (lsusb, adb...).
//
// RUNNING. The process must run under umockdev's preload library, which
// redirects /sys, /dev, uevents and ioctls into the testbed:
//     umockdev-wrapper ./my_test
//     LD_PRELOAD=libumockdev-preload.so.0 ./my_test
// Without it libusb silently sees the real (or no) devices, so Testbed::create
// refuses with mock_environment_help(). Link dfx::testing_main instead of
// GTest::gtest_main to make a whole test binary fail at once with that message.
//
// RULES (measured, see README.md):
//   * one Testbed per process at a time (umockdev keeps its path in the
//     environment variable UMOCKDEV_DIR, which the Testbed sets and unsets);
//   * create each libusb context after the Testbed and close every handle and
//     the context (libusb_close, libusb_exit) before destroying it: an ioctl on
//     a handle whose testbed is gone hangs, and a context that outlives its
//     testbed misses the next testbed's hotplug events;
//   * umockdev leaks two descriptors per testbed: one testbed per test process.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "dfx/testing/usb_behavior.hpp"
#include "dfx/testing/usb_spec.hpp"
#include "dfx/testing/virtual_usb_device.hpp"

// Opaque umockdev type, for native().
struct _UMockdevTestbed;

namespace dfx::testing {

/// True when the process runs under umockdev's preload library.
bool in_mock_environment();

/// The message explaining how to run under the preload.
std::string mock_environment_help(std::string_view program = {});

/// Prints mock_environment_help() to stderr and exits with status 2 unless
/// in_mock_environment(). For main() of test programs.
void require_mock_environment_or_exit(std::string_view program = {});

/// Exit status of require_mock_environment_or_exit() outside the preload.
inline constexpr int exit_status_no_mock_environment = 2;

/// Testbed options.
struct TestbedOptions {
  /// Add a Linux root hub (1d6b:0002, address 1, sysfs "usbB") to each bus on
  /// first use, as on a real system. Needed for port paths to have a root;
  /// without it libusb still reports the port of a device directly on it.
  bool root_hubs = true;
};

namespace detail {
struct TestbedState;
}

/// A umockdev testbed with virtual USB devices. Not copyable or movable
/// (devices point back to it). Methods are thread-safe.
class Testbed {
 public:
  /// Creates the testbed, or explains why not (not under the preload,
  /// another Testbed alive in this process).
  static tl::expected<std::unique_ptr<Testbed>, std::string> create(TestbedOptions options = {});

  /// Unplugs every device still plugged (sending "remove" uevents), stops
  /// tty threads, and removes the testbed directory.
  ~Testbed();
  Testbed(const Testbed&) = delete;
  Testbed& operator=(const Testbed&) = delete;

  /// Plugs a device described by `spec`. `behavior` may be null (answers
  /// standard requests only, IN transfers never complete). The device is
  /// fully set up (descriptors, ioctl handler, sysfs) before the "add"
  /// uevent is sent. The pointer stays valid until the Testbed is destroyed.
  tl::expected<VirtualUsbDevice*, std::string> plug(const UsbDeviceSpec& spec,
                                                    std::unique_ptr<UsbBehavior> behavior = nullptr,
                                                    PlugOptions options = {});

  /// Every device plugged so far (including hubs the testbed added and
  /// devices unplugged since), in plugging order.
  std::vector<VirtualUsbDevice*> devices() const;

  /// The testbed's root directory (its private /sys is root_dir() + "/sys").
  std::string root_dir() const;

  /// The underlying umockdev object, for anything the kit does not wrap.
  _UMockdevTestbed* native() const;

 private:
  explicit Testbed(std::shared_ptr<detail::TestbedState> state);
  std::shared_ptr<detail::TestbedState> state_;
};

}  // namespace dfx::testing
