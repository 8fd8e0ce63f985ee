// The one thing the MTP reader needs from the outside world: the bulk pipe pair of the PTP
// interface. One write() is one USB OUT transfer, one read() one IN transfer. The plugin
// implements it over the host API (usb_transport.hpp); tests implement it with scripted answers.
// Keeping the reader behind this interface keeps all USB access in the plugin glue.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "error.hpp"

namespace dfx::mtp {

/// A bulk IN/OUT pipe pair to one PTP/MTP interface.
class Transport {
 public:
  virtual ~Transport() = default;

  /// Sends `data` as one transfer. Errors: timeout, disconnected, io, cancelled.
  virtual Status write(std::span<const uint8_t> data, std::chrono::milliseconds timeout) = 0;

  /// Receives one transfer of at most `max_bytes` (possibly empty: a zero-length packet).
  /// Errors: timeout, disconnected, io, cancelled, too_large (the device overran the buffer).
  virtual Result<std::vector<uint8_t>> read(std::size_t max_bytes,
                                            std::chrono::milliseconds timeout) = 0;

  /// True once the caller should give up (the host's deadline is near). Checked between reads.
  [[nodiscard]] virtual bool should_stop() const { return false; }
};

}  // namespace dfx::mtp
