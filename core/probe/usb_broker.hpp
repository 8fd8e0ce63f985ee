// The USB broker: the plugin's sandbox holds no device. The worker keeps the device open outside
// the sandbox (a UsbSession, which enforces the read-only policy and the plugin's declared
// surface) and performs each USB call of the host API on the plugin's behalf, asked over a socket.
// A plugin that bypasses the host API has no descriptor to send a request with: what reaches the
// phone is what the worker agreed to send.
//
// One request, one answer, in order, over a stream socket. The worker trusts nothing it reads:
// an unknown operation, a length over the limit or a socket closed mid-request ends the service
// (every later call of that plugin fails); it never ends the worker.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "usb/usb_port.hpp"

namespace dfx::probe {

/// The largest transfer the broker performs in one call (the session's own bulk limit).
inline constexpr uint32_t kMaxBrokeredTransfer = 1u << 24;

/// Inside the sandbox: the host API's USB calls, sent to the broker on `fd`. Calls from several
/// plugin threads are sent one at a time.
class BrokeredUsb final : public usb::UsbPort {
 public:
  /// `trace` receives the session's trace line of each call (the debug log), if any.
  BrokeredUsb(int fd, std::function<void(const std::string&)> trace)
      : fd_(fd), trace_(std::move(trace)) {}

  usb::UsbResult<void> claim_interface(uint8_t number) override;
  usb::UsbResult<void> release_interface(uint8_t number) override;
  usb::UsbResult<uint32_t> control(uint8_t request_type, uint8_t request, uint16_t value,
                                   uint16_t index, uint8_t* data, uint16_t length,
                                   uint32_t timeout_ms) override;
  usb::UsbResult<uint32_t> bulk(uint8_t endpoint, uint8_t* data, uint32_t length,
                                uint32_t timeout_ms) override;
  usb::UsbResult<uint32_t> interrupt(uint8_t endpoint, uint8_t* data, uint32_t length,
                                     uint32_t timeout_ms) override;
  usb::UsbResult<std::string> string_descriptor(uint8_t index, uint32_t timeout_ms) override;
  usb::UsbResult<uint8_t> select_configuration(uint8_t value) override;

 private:
  struct Reply;
  usb::UsbResult<Reply> call(uint8_t op, uint8_t a, uint8_t b, uint16_t value, uint16_t index,
                             uint8_t* data, uint32_t length, bool out, uint32_t timeout_ms);

  int fd_;
  std::function<void(const std::string&)> trace_;
  std::mutex mutex_;
  bool broken_ = false;
};

/// Outside the sandbox: reads one request from `fd`, performs it on `device` and answers.
/// `trace` is the session's trace line of the call, taken (and cleared) after it. Returns false
/// when the service is over: end of file, or a request it will not read further.
bool serve_usb_request(int fd, usb::UsbPort& device, std::string& trace);

}  // namespace dfx::probe
