// The one thing the AT session needs from the outside world: the modem's data pipe pair (the bulk
// endpoints of the CDC data interface). One write() is one USB OUT transfer, one read() one IN
// transfer. The plugin implements it over the host API (usb_transport.cpp); tests implement it
// with a scripted modem (tests/fake_modem.hpp). Keeping the session behind this interface makes it
// testable in-process and keeps all USB access in the plugin glue.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "error.hpp"

namespace dfx::at {

/// A bulk IN/OUT pipe pair to one modem.
class Transport {
 public:
  virtual ~Transport() = default;

  /// Sends `data` as one transfer. Errors: timeout, disconnected, io, cancelled.
  virtual Status write(std::span<const uint8_t> data, std::chrono::milliseconds timeout) = 0;

  /// Receives one transfer of at most `max_bytes` (possibly empty). Errors: timeout (nothing
  /// arrived in time), disconnected, io, cancelled, too_large (the device overran the buffer).
  virtual Result<std::vector<uint8_t>> read(std::size_t max_bytes,
                                            std::chrono::milliseconds timeout) = 0;

  /// True once the caller should give up (the host's deadline is near). Checked between reads.
  [[nodiscard]] virtual bool should_stop() const { return false; }
};

}  // namespace dfx::at
