// The host <-> dfx-probe pipe protocol: length-prefixed frames with a magic and a version, so
// that either side detects garbage, truncation or a peer of another version at the first frame.
//
//   offset size  field
//   0      4     magic "DFXP" (0x44 0x46 0x58 0x50)
//   4      2     protocol version, little-endian (kProtocolVersion)
//   6      2     frame type, little-endian (FrameType)
//   8      4     payload length, little-endian, at most kMaxPayload
//   12     n     payload: one JSON object (see messages.hpp)
//
// Pure code: no I/O, so it is unit-tested and fuzzed directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace dfx::probe {

inline constexpr uint16_t kProtocolVersion = 4;  // 3: Finding frames; 4: USB transcripts
inline constexpr std::size_t kHeaderSize = 12;
inline constexpr uint32_t kMaxPayload = 1u << 20;  // 1 MiB: bounds what a hostile worker costs us

enum class FrameType : uint16_t {
  Request = 1,  ///< host -> worker: what to do
  Hello = 2,    ///< worker -> host: versions and pid, sent first
  Log = 3,      ///< worker -> host: a log line from the plugin or the worker
  Claim = 4,    ///< worker -> host: one identifier read
  Done = 5,     ///< worker -> host: the outcome; the last frame
  Query = 6,    ///< host -> register worker: a batch of lookups
  Answers = 7,  ///< register worker -> host: the answers to one Query, or why there are none
  Finding = 8,  ///< worker -> host: a finding about the device (the plugin's or the worker's)
  /// worker -> host, after Done: the next slice of the probe's USB transcript (raw JSON lines),
  /// sent by the worker outside the sandbox once the plugin's process has ended
  Transcript = 9,
  TranscriptEnd = 10,  ///< worker -> host: the transcript is complete (its size and SHA-256)
};

struct Frame {
  FrameType type;
  std::string payload;
};

/// Serializes one frame. The payload must be at most kMaxPayload bytes.
std::string encode_frame(FrameType type, std::string_view payload);

/// Incremental decoder: feed bytes as they arrive, take complete frames out. The first malformed
/// header makes the decoder fail for good (a stream cannot resynchronise safely).
class FrameDecoder {
 public:
  /// A decoder that refuses payloads longer than `max_payload` (at most kMaxPayload).
  explicit FrameDecoder(uint32_t max_payload = kMaxPayload)
      : max_payload_(max_payload < kMaxPayload ? max_payload : kMaxPayload) {}
  /// Appends received bytes.
  void feed(std::string_view bytes);
  /// The next complete frame, nullopt when more bytes are needed, or the error that ended the
  /// stream (bad magic, other version, unknown type, oversized payload).
  Result<std::optional<Frame>> next();
  /// Bytes received but not yet returned as frames (a truncated frame at end of stream).
  [[nodiscard]] std::size_t pending() const { return buffer_.size() - offset_; }

 private:
  uint32_t max_payload_;
  std::string buffer_;
  std::size_t offset_ = 0;
  std::optional<Error> error_;
};

}  // namespace dfx::probe
