// Answers a plugin's USB calls from a recorded transcript instead of a phone: the replay of a
// reading (`dfx case replay`). Each call must be the next one the transcript holds (the same
// operation, setup packet or endpoint, length and bytes out); it then gets the recorded answer
// (status, bytes in, string, previous configuration), after as long as the call took when it
// was recorded, so that a plugin's own time budgets run out as they did. A call that differs, or
// one past the transcript's end, fails with DFX_ERR_IO and a message naming the exchange, and so
// does every call after it: a replay that left the transcript cannot say what the phone would have
// answered.
#pragma once

#include <mutex>
#include <optional>

#include "usb/transcript.hpp"
#include "usb/usb_port.hpp"

namespace dfx::usb {

class ReplayPort final : public UsbPort {
 public:
  explicit ReplayPort(Transcript transcript) : transcript_(std::move(transcript)) {}

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

  /// The first call that left the transcript, described, or nullopt.
  [[nodiscard]] std::optional<std::string> departure() const;
  /// Exchanges answered so far.
  [[nodiscard]] std::size_t answered() const;

 private:
  // The recorded exchange answering `asked`, or the error ending the replay.
  UsbResult<const Exchange*> next(const Exchange& asked);
  // Answers `call` (a control, bulk or interrupt call whose OUT bytes are taken from `data`,
  // unless its length is over `limit`, as the session refused those) from the transcript.
  UsbResult<uint32_t> play(Exchange call, uint8_t* data, uint32_t limit);
  // next(), returned once the recorded call's duration has passed.
  UsbResult<const Exchange*> next_in_recorded_time(const Exchange& asked);

  Transcript transcript_;
  mutable std::mutex mutex_;
  std::size_t next_ = 0;
  std::optional<std::string> departure_;
};

}  // namespace dfx::usb
