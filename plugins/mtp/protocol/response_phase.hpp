// The device's side of one PTP transaction that returns data, as it arrives on the bulk IN pipe:
// a data container (which may span several bulk transfers) followed by a response container
// (PIMA 15740 USB transport: data phase, then response phase; a zero-length packet may end a
// data phase whose length is a multiple of the packet size). Pure code: fed the transfers one by
// one, it assembles the data up to a bound and checks the response.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "container.hpp"
#include "error.hpp"

namespace dfx::mtp {

/// Largest data phase accepted by default: a DeviceInfo is a few hundred bytes (an Android
/// phone's about 400), so 64 KiB leaves room for any real device and bounds a hostile one.
inline constexpr std::size_t kDefaultMaxData = 64 * 1024;

/// Assembles the data phase and checks the response of one transaction.
class ResponsePhase {
 public:
  /// Expects the answer to operation `code` with `transaction_id`; refuses a data phase larger
  /// than `max_data` bytes (payload, header excluded).
  ResponsePhase(uint16_t code, uint32_t transaction_id, std::size_t max_data = kDefaultMaxData);

  /// Takes one bulk IN transfer. Returns true once the response arrived and was OK with data;
  /// false when more transfers are needed. Errors (the phase is then over):
  ///  - too_large: a data container announcing more than max_data, or more bytes than announced
  ///    before a response;
  ///  - malformed: a bad container header (length below 12, unknown type, bad parameters);
  ///  - unexpected: a container of the wrong type, operation code or transaction id, a second
  ///    data phase, an OK response without a data phase, or more than a few zero-length packets;
  ///  - device_error: a response code other than OK (0x2001), named in the message.
  Result<bool> feed(std::span<const uint8_t> transfer);

  /// The data phase's payload (complete once feed returned true).
  [[nodiscard]] const std::vector<uint8_t>& data() const { return data_; }
  /// The response container (valid once feed returned true).
  [[nodiscard]] const Container& response() const { return response_; }
  /// True once the whole data container has arrived.
  [[nodiscard]] bool data_complete() const { return data_done_; }

 private:
  Result<bool> take_container_start();
  Result<bool> check_response(const Container& c);

  uint16_t code_;
  uint32_t tid_;
  std::size_t max_data_;
  std::vector<uint8_t> pending_;   ///< bytes of a container whose header is not complete yet
  std::size_t data_expected_ = 0;  ///< payload bytes the data container announced
  bool in_data_ = false;           ///< inside the data container's payload
  bool data_done_ = false;
  std::size_t empty_transfers_ = 0;
  std::vector<uint8_t> data_;
  Container response_;
};

}  // namespace dfx::mtp
