// Fault injection for virtual USB devices.
//
// A Fault is a rule: "the next N transfers matching X misbehave in way Y".
// Rules are checked when the host submits a transfer, in the order they were
// injected; the first matching rule with uses left applies and uses one up.
// What the host then sees is what the Linux kernel would report for a real
// device doing the same (see each action).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "dfx/testing/usb_descriptors.hpp"

namespace dfx::testing {

/// Matches control requests by any subset of SETUP fields (unset = any).
struct ControlMatch {
  std::optional<std::uint8_t> request_type = std::nullopt;
  std::optional<std::uint8_t> request = std::nullopt;
  std::optional<std::uint16_t> value = std::nullopt;
  std::optional<std::uint16_t> index = std::nullopt;
};

/// What a matching transfer does.
enum class FaultAction {
  /// Control: protocol stall. Bulk/interrupt: the endpoint halts (also for
  /// later transfers) until the host clears it. Host: EPIPE -> LIBUSB_ERROR_PIPE.
  stall,
  /// The transfer completes normally but only after `delay`.
  delay,
  /// The transfer never completes (NAK forever / no answer): the host times
  /// out and cancels it -> LIBUSB_ERROR_TIMEOUT / LIBUSB_TRANSFER_TIMED_OUT.
  never_answer,
  /// The device sends `extra_bytes` more than the host asked for: the host
  /// buffer is filled and the transfer ends with -EOVERFLOW ->
  /// LIBUSB_ERROR_OVERFLOW / LIBUSB_TRANSFER_OVERFLOW. For IN bulk/interrupt
  /// the answer is the next queued message (if any) padded with 0xEE.
  oversize,
  /// The device answers `bytes` instead of its real answer (IN endpoints and
  /// control IN; an IN transfer needs no queued data). Empty `bytes` = as many
  /// pseudo-random bytes as the host asked for. Longer than asked -> overflow.
  garbage,
  /// The device is unplugged while this transfer is in flight: every
  /// in-flight transfer ends with -ESHUTDOWN (LIBUSB_TRANSFER_NO_DEVICE /
  /// LIBUSB_ERROR_NO_DEVICE) and the "remove" uevent is sent.
  disconnect,
};

/// One fault rule.
struct Fault {
  FaultAction action = FaultAction::stall;
  /// Endpoint address to match: 0x00 = control, 0x81 = EP1 IN... nullopt = any endpoint.
  std::optional<std::uint8_t> endpoint;
  /// Extra filter for control transfers (ignored for other endpoints).
  ControlMatch control;
  /// For FaultAction::delay.
  std::chrono::milliseconds delay{0};
  /// For FaultAction::oversize.
  std::size_t extra_bytes = 16;
  /// For FaultAction::garbage.
  Bytes bytes;
  /// How many matching transfers the rule affects; -1 = all of them.
  int times = 1;
  /// Matching transfers that pass normally before the rule starts to apply (e.g. skip = 1:
  /// the second read of a string descriptor fails, the first, at discovery, succeeds).
  int skip = 0;

  /// A rule with `action` on `endpoint` and defaults for everything else.
  static Fault make(FaultAction action, std::optional<std::uint8_t> endpoint) {
    Fault f;
    f.action = action;
    f.endpoint = endpoint;
    return f;
  }
  /// Stall `endpoint` (0x00 = any control request) once.
  static Fault stall(std::uint8_t endpoint) { return make(FaultAction::stall, endpoint); }
  /// Stall control requests matching `match` once.
  static Fault stall_control(ControlMatch match) {
    Fault f = make(FaultAction::stall, std::uint8_t{0});
    f.control = match;
    return f;
  }
  /// Delay the next transfer on `endpoint` by `d`.
  static Fault delayed(std::uint8_t endpoint, std::chrono::milliseconds d) {
    Fault f = make(FaultAction::delay, endpoint);
    f.delay = d;
    return f;
  }
  /// The next transfer on `endpoint` never completes.
  static Fault never_answer(std::uint8_t endpoint) {
    return make(FaultAction::never_answer, endpoint);
  }
  /// The next answer on `endpoint` is `extra` bytes longer than asked for.
  static Fault oversize(std::uint8_t endpoint, std::size_t extra = 16) {
    Fault f = make(FaultAction::oversize, endpoint);
    f.extra_bytes = extra;
    return f;
  }
  /// The next answer on `endpoint` is `junk` (empty = random bytes of the asked length).
  static Fault garbage(std::uint8_t endpoint, Bytes junk = {}) {
    Fault f = make(FaultAction::garbage, endpoint);
    f.bytes = std::move(junk);
    return f;
  }
  /// Unplug the device when the host next submits a transfer on `endpoint`.
  static Fault disconnect(std::uint8_t endpoint) { return make(FaultAction::disconnect, endpoint); }

  /// Applies to every matching transfer instead of only the next one.
  Fault always() && {
    times = -1;
    return std::move(*this);
  }
  /// Applies to the next `n` matching transfers.
  Fault count(int n) && {
    times = n;
    return std::move(*this);
  }
};

}  // namespace dfx::testing
