// The device side of a virtual USB device: what it answers.
//
// THREADING. umockdev runs every usbfs ioctl of a testbed on one worker thread
// (a GLib main loop inside the test process). UsbBehavior hooks are called on
// that thread, one at a time, never with a kit lock held. Consequences:
//   * a hook must not block: while it runs, no emulated device of the testbed
//     answers anything (use Fault::delay or queue data later from the test);
//   * a hook may call any DeviceSide method (queue_in, halt...);
//   * state a hook shares with the test thread needs the hook's own locking.
// DeviceSide itself is thread-safe and may be copied and used from any thread,
// including after the device is unplugged (calls then fail or do nothing).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "dfx/testing/usb_descriptors.hpp"

namespace dfx::testing {

namespace detail {
class DeviceCore;
}

/// The 8-byte SETUP packet of a control transfer.
struct SetupPacket {
  std::uint8_t request_type = 0;  ///< bmRequestType.
  std::uint8_t request = 0;       ///< bRequest.
  std::uint16_t value = 0;        ///< wValue.
  std::uint16_t index = 0;        ///< wIndex.
  std::uint16_t length = 0;       ///< wLength.

  bool is_in() const { return (request_type & 0x80) != 0; }
  /// 0 standard, 1 class, 2 vendor (bits 5..6).
  std::uint8_t kind() const { return static_cast<std::uint8_t>((request_type >> 5) & 0x03); }
  /// 0 device, 1 interface, 2 endpoint, 3 other (bits 0..4).
  std::uint8_t recipient() const { return static_cast<std::uint8_t>(request_type & 0x1F); }
};

/// What the device does with a control request.
struct ControlReply {
  enum class Kind {
    data,       ///< IN: send `bytes` (a real device sends at most wLength of them). OUT: accept.
    stall,      ///< Protocol stall: the host sees EPIPE / LIBUSB_ERROR_PIPE.
    no_answer,  ///< Never complete: the host times out (libusb cancels the transfer).
  };
  Kind kind = Kind::stall;
  Bytes bytes;

  static ControlReply data(Bytes b) { return {Kind::data, std::move(b)}; }
  static ControlReply ack() { return {Kind::data, {}}; }
  static ControlReply stall() { return {Kind::stall, {}}; }
  static ControlReply no_answer() { return {Kind::no_answer, {}}; }
};

/// What the device does with bulk/interrupt OUT data.
enum class OutReply {
  ack,        ///< Accept all bytes (the transfer completes with its full length).
  stall,      ///< Stall: the endpoint halts until the host clears it (LIBUSB_ERROR_PIPE).
  no_answer,  ///< NAK forever: the transfer never completes (host timeout).
};

/// Thread-safe handle to one virtual device, for behaviours and tests.
///
/// Endpoints are addressed by bEndpointAddress (0x81 = EP1 IN). A default
/// constructed DeviceSide is detached: every call fails or returns 0.
class DeviceSide {
 public:
  DeviceSide() = default;
  explicit DeviceSide(std::weak_ptr<detail::DeviceCore> core) : core_(std::move(core)) {}

  /// Queues bytes the device will send on IN endpoint `endpoint` (bulk or
  /// interrupt). Each call is one device-side message: it completes one IN
  /// transfer (a short packet ends it). If the host asked for less, the rest
  /// stays queued when the host's buffer is a multiple of wMaxPacketSize (as
  /// from a FIFO), otherwise the transfer ends with -EOVERFLOW and the excess
  /// is dropped, as the kernel reports a babbling device. An empty message is
  /// a zero-length packet. Fails if the endpoint is not an IN endpoint of the
  /// device or the device is unplugged.
  tl::expected<void, std::string> queue_in(std::uint8_t endpoint, Bytes bytes) const;

  /// Halts (stalls) an endpoint until the host clears it (libusb_clear_halt):
  /// pending and later transfers on it fail with EPIPE.
  tl::expected<void, std::string> halt(std::uint8_t endpoint) const;

  /// Pulls the cable from the device side, exactly like Fault::disconnect: in-flight
  /// transfers end with -ESHUTDOWN, "remove" uevents go out (a protocol module uses
  /// it to die mid-conversation). Fails if the device is already gone.
  tl::expected<void, std::string> disconnect() const;

  /// Number of IN transfers the host has submitted on `endpoint` that wait for data.
  std::size_t waiting_in_transfers(std::uint8_t endpoint) const;

  /// Number of queued messages not yet consumed by the host on `endpoint`.
  std::size_t queued_in_messages(std::uint8_t endpoint) const;

  /// Current bConfigurationValue (0 = unconfigured).
  std::uint8_t configuration() const;

  /// Current alternate setting of an interface.
  std::uint8_t alt_setting(std::uint8_t interface) const;

  /// True while the device is plugged in.
  bool connected() const;

  /// The device's descriptors (empty set if detached).
  const DescriptorSet& descriptors() const;

 private:
  std::weak_ptr<detail::DeviceCore> core_;
};

/// Device-side behaviour of a virtual USB device. Override what the device does;
/// every default is what a device with no protocol logic would do.
///
/// The kit itself answers the standard requests (GET_DESCRIPTOR for device,
/// configuration, string, device qualifier and BOS; GET_STATUS; GET/SET
/// CONFIGURATION; GET/SET INTERFACE; CLEAR/SET FEATURE endpoint halt). Every
/// other control request (class, vendor, and standard requests such as
/// GET_DESCRIPTOR of a HID report or hub descriptor) goes to on_control().
/// See the threading note at the top of this file.
class UsbBehavior {
 public:
  virtual ~UsbBehavior() = default;

  /// Called once when the device is plugged, before the "add" uevent, on the
  /// plugging thread. Queue initial IN data here if needed.
  virtual void on_attach(DeviceSide& device) { (void)device; }

  /// A control request the kit does not answer itself. For OUT requests
  /// `out_data` holds the data stage. Default: stall.
  virtual ControlReply on_control(DeviceSide& device, const SetupPacket& setup,
                                  std::span<const std::uint8_t> out_data) {
    (void)device, (void)setup, (void)out_data;
    return ControlReply::stall();
  }

  /// Bytes the host sent on a bulk OUT endpoint. Default: accept and drop.
  virtual OutReply on_bulk_out(DeviceSide& device, std::uint8_t endpoint,
                               std::span<const std::uint8_t> data) {
    (void)device, (void)endpoint, (void)data;
    return OutReply::ack;
  }

  /// Bytes the host sent on an interrupt OUT endpoint. Default: same as bulk.
  virtual OutReply on_interrupt_out(DeviceSide& device, std::uint8_t endpoint,
                                    std::span<const std::uint8_t> data) {
    return on_bulk_out(device, endpoint, data);
  }

  /// The host submitted an IN transfer of `length` bytes on `endpoint` and
  /// no queued data was waiting. Queue an answer with device.queue_in() to
  /// produce data lazily; doing nothing leaves the transfer pending.
  virtual void on_in_requested(DeviceSide& device, std::uint8_t endpoint, std::size_t length) {
    (void)device, (void)endpoint, (void)length;
  }

  /// The host selected a configuration (SET_CONFIGURATION).
  virtual void on_set_configuration(DeviceSide& device, std::uint8_t value) {
    (void)device, (void)value;
  }

  /// The host selected an alternate setting (SET_INTERFACE).
  virtual void on_set_interface(DeviceSide& device, std::uint8_t interface,
                                std::uint8_t alternate) {
    (void)device, (void)interface, (void)alternate;
  }

  /// The host reset the device (libusb_reset_device). Queued IN data is dropped before this call.
  virtual void on_reset(DeviceSide& device) { (void)device; }
};

}  // namespace dfx::testing
