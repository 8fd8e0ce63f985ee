// Records every call a plugin makes through the host API into a Transcript, around the port that
// performs it (the device's session). The probe worker wraps the session with it outside the
// sandbox, so the plugin can neither skip nor forge an entry: what the transcript says was asked
// is what the session was asked.
#pragma once

#include <chrono>

#include "usb/transcript.hpp"
#include "usb/usb_port.hpp"

namespace dfx::usb {

class RecordingPort final : public UsbPort {
 public:
  /// Records into `transcript` (which must outlive this) the calls passed on to `inner`. Once the
  /// transcript's text would pass `max_bytes`, exchanges are counted but no longer kept (the
  /// transcript is marked truncated): a plugin reading 16 MiB in a loop cannot exhaust the worker.
  RecordingPort(UsbPort& inner, Transcript& transcript, std::size_t max_bytes = 32u << 20);

  UsbResult<void> claim_interface(uint8_t number) override;
  UsbResult<void> release_interface(uint8_t number) override;
  UsbResult<uint32_t> control(uint8_t request_type, uint8_t request, uint16_t value, uint16_t index,
                              uint8_t* data, uint16_t length, uint32_t timeout_ms) override;
  UsbResult<uint32_t> bulk(uint8_t endpoint, uint8_t* data, uint32_t length,
                           uint32_t timeout_ms) override;
  UsbResult<uint32_t> interrupt(uint8_t endpoint, uint8_t* data, uint32_t length,
                                uint32_t timeout_ms) override;
  UsbResult<std::string> string_descriptor(uint8_t index, uint32_t timeout_ms) override;
  UsbResult<uint8_t> select_configuration(uint8_t value) override;

 private:
  Exchange begin(UsbOp op, uint8_t target) const;
  void keep(Exchange e, const UsbError* error);
  UsbResult<uint32_t> transfer(UsbOp op, uint8_t endpoint, uint8_t* data, uint32_t length,
                               uint32_t timeout_ms);

  UsbPort& inner_;
  Transcript& transcript_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  uint32_t next_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace dfx::usb
