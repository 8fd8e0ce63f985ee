// A reliable byte stream to the phone, as the lockdown client needs it: a usbmux connection
// (mux_session.hpp), or a TLS session over one (tls_stream.hpp).
#pragma once

#include <dfx/sdk/result.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace dfx::apple {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  /// Sends all of `bytes`.
  virtual dfx::sdk::Status send(std::span<const uint8_t> bytes) = 0;
  /// Appends exactly `count` bytes to `out`, or fails (timeout, reset, protocol error).
  virtual dfx::sdk::Status receive_exact(std::size_t count, std::vector<uint8_t>& out) = 0;
};

}  // namespace dfx::apple
