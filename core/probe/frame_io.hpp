// Blocking frame I/O on the worker's end of the protocol socket.
#pragma once

#include <chrono>
#include <string_view>

#include "base/result.hpp"
#include "probe/protocol.hpp"

namespace dfx::probe {

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

/// Reads exactly one frame, waiting at most `timeout`.
Result<Frame> read_frame(int fd, std::chrono::milliseconds timeout);

}  // namespace dfx::probe
