// The device end of the host API, in the probe worker outside the plugin's sandbox: one device,
// opened through libusb before the sandbox closes, with the read-only policy and the plugin's
// declared surface applied and every transfer traced. The plugin reaches it through the USB
// broker (probe/usb_broker.hpp); in --in-process debug mode, directly.
#pragma once

#include <dfx/plugin.h>

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "usb/device_facts.hpp"
#include "usb/libusb_util.hpp"
#include "usb/surface.hpp"
#include "usb/usb_port.hpp"

namespace dfx::usb {

class UsbSession final : public UsbPort {
 public:
  /// Receives one line per transfer (for the debug log / session recording).
  using TraceFn = std::function<void(const std::string&)>;

  explicit UsbSession(DeviceFacts facts, TraceFn trace = {});

  /// Process-wide switch for the probe worker: open the device's node (/dev/bus/usb/BBB/DDD)
  /// directly and wrap it, instead of enumerating every device on the system. Call before any
  /// libusb context exists; the host process never calls it (it must see all devices).
  static void open_by_node_only();
  ~UsbSession() override;
  UsbSession(const UsbSession&) = delete;
  UsbSession& operator=(const UsbSession&) = delete;

  UsbResult<void> claim_interface(uint8_t number) override;
  UsbResult<void> release_interface(uint8_t number) override;
  UsbResult<uint32_t> control(uint8_t request_type, uint8_t request, uint16_t value, uint16_t index,
                              uint8_t* data, uint16_t length, uint32_t timeout_ms) override;
  UsbResult<uint32_t> bulk(uint8_t endpoint, uint8_t* data, uint32_t length,
                           uint32_t timeout_ms) override;
  UsbResult<uint32_t> interrupt(uint8_t endpoint, uint8_t* data, uint32_t length,
                                uint32_t timeout_ms) override;
  UsbResult<std::string> string_descriptor(uint8_t index, uint32_t timeout_ms) override;
  /// Checks the declared surface, releases claimed interfaces and sends SET_CONFIGURATION
  /// (nothing when `value` is already active); the session's facts then describe it.
  UsbResult<uint8_t> select_configuration(uint8_t value) override;

  /// Opens the device now rather than at the first request, while the worker can still reach
  /// /dev/bus/usb (the plugin's sandbox cannot). A failure is kept and returned by every later
  /// request, so a probe of an unreachable device fails at its first USB call, as before.
  void open_now();

  /// From now on, only what `surface` declares (see usb/surface.hpp) is sent; anything else is
  /// refused with DFX_ERR_DENIED and a message naming the request.
  void restrict_to(Surface surface);

 private:
  // Finds the device by bus and port path (stable while it stays plugged in the same port) and
  // checks its VID/PID, so that a phone swapped into the port between scan and probe is not read
  // under the first phone's name.
  UsbResult<libusb_device_handle*> handle();

  DeviceFacts facts_;
  TraceFn trace_;
  ContextPtr ctx_;
  HandlePtr handle_;
  UsbResult<libusb_device_handle*> open_enumerated();
  UsbResult<libusb_device_handle*> open_node();

  std::set<uint8_t> claimed_;
  int node_fd_ = -1;  // the wrapped device node, closed after the handle
  std::optional<UsbError> open_error_;
  std::optional<SurfacePolicy> surface_;  // the plugin's declared surface, once restricted
};

}  // namespace dfx::usb
