// ADB messages over a Transport: framing (header, then payload, each possibly split or joined
// across USB transfers), the receiver's checks (magic, command, length, checksum), and the
// sender's guard: the channel itself refuses to send anything the allow-list does not permit.
//   - OPEN only with an allow-listed service string (allow_list.hpp), NUL-terminated;
//   - WRTE never (the plugin never writes into a stream: no stdin, no file push);
//   - CNXN, AUTH, OKAY, CLSE as the protocol needs; STLS/SYNC/unknown never.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "adb_message.hpp"
#include "error.hpp"
#include "transport.hpp"

namespace dfx::android::adb {

/// Sends and receives ADB messages on a Transport.
class Channel {
 public:
  /// `receive_limit`: the largest payload accepted (what our CNXN announces as maxdata).
  Channel(Transport& transport, uint32_t receive_limit);

  /// Sends one message (header transfer, then payload transfer when not empty). Refuses with
  /// `denied`, sending nothing, a command or OPEN destination outside the allow-list, and with
  /// `too_large` a payload beyond what the peer accepts (4096 before its CNXN).
  Status send(uint32_t command, uint32_t arg0, uint32_t arg1, std::span<const uint8_t> payload,
              std::chrono::milliseconds timeout);

  /// Receives one whole, checked message within `timeout`. Errors from the transport pass
  /// through; bad_magic, malformed, too_large and checksum_mismatch come from the checks. After
  /// a framing error the channel is broken: every later call fails with the same error, because
  /// the byte stream can no longer be trusted to be in step.
  Result<Message> receive(std::chrono::milliseconds timeout);

  /// Records the peer's CNXN: its version (decides whether a zero checksum is allowed) and its
  /// maxdata (the largest payload we may send).
  void set_peer(uint32_t version, uint32_t max_payload);

  /// The largest payload we may send now.
  [[nodiscard]] uint32_t peer_max_payload() const { return peer_max_payload_; }

  /// Messages sent so far (for tests and logs).
  [[nodiscard]] std::size_t sent_count() const { return sent_; }

 private:
  Status fill(std::size_t need, std::chrono::steady_clock::time_point deadline);

  Transport& transport_;
  uint32_t receive_limit_;
  uint32_t peer_version_ = 0;
  uint32_t peer_max_payload_ = kMaxPayloadV1;
  std::vector<uint8_t> pending_;  // bytes received but not yet consumed
  std::size_t sent_ = 0;
  std::optional<Error> broken_;
};

}  // namespace dfx::android::adb
