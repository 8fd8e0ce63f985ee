// Blocking frame I/O on the worker's end of the protocol socket, and the whole-buffer reads and
// writes of dfx's stream sockets.
#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>

#include "base/result.hpp"
#include "probe/protocol.hpp"

namespace dfx::probe {

/// Sends all `size` bytes on the stream socket `fd`, retrying after interruptions and partial
/// writes; false once the peer is gone (never SIGPIPE).
bool send_all(int fd, const void* data, std::size_t size);

/// Reads exactly `size` bytes from `fd`; false at end of file or on an error before that.
bool read_exact(int fd, void* data, std::size_t size);

/// Writes whole frames; after the first failure (host gone) it stays broken and drops frames.
class FrameWriter {
 public:
  explicit FrameWriter(int fd) : fd_(fd) {}
  bool send(FrameType type, std::string_view payload);
  [[nodiscard]] bool broken() const { return broken_; }

 private:
  int fd_;
  bool broken_ = false;
};

/// Reads frames one after another from a stream, keeping what arrived beyond the last frame.
/// `max_payload` bounds each frame (a peer that is not trusted gets a smaller bound).
class FrameReader {
 public:
  explicit FrameReader(int fd, uint32_t max_payload = kMaxPayload)
      : fd_(fd), decoder_(max_payload) {}
  /// The next frame, waiting at most `timeout`; an error when the peer closed the stream, sent
  /// something that is not a frame, or said nothing in time.
  Result<Frame> next(std::chrono::milliseconds timeout);

 private:
  int fd_;
  FrameDecoder decoder_;
};

/// Reads exactly one frame, waiting at most `timeout` (what follows it is dropped).
Result<Frame> read_frame(int fd, std::chrono::milliseconds timeout);

}  // namespace dfx::probe
