// The Transport of the protocol code, over the dfx host API: bulk transfers on one claimed
// interface's endpoints. This and android_plugin.cpp are the only code that reaches the device,
// and they reach it only through dfx::sdk::Host.
#pragma once

#include <dfx/plugin.hpp>
#include <dfx/sdk/bulk_pipe.hpp>

#include "transport.hpp"

namespace dfx::android {

/// The protocol code's Transport over the SDK's BulkPipe (one claimed interface's bulk pair),
/// with the host's status codes mapped onto Errc.
class UsbTransport final : public Transport {
 public:
  /// `in` and `out` are endpoint addresses of an interface already claimed through `host`.
  UsbTransport(const dfx::sdk::Host& host, uint8_t in, uint8_t out) : pipe_(host, in, out) {}

  /// BulkPipe::write_all: one whole bulk OUT transfer; a short write is an io error.
  Status write(std::span<const uint8_t> data, std::chrono::milliseconds timeout) override;
  /// BulkPipe::read: one bulk IN transfer into a buffer of `max_bytes`.
  Result<std::vector<uint8_t>> read(std::size_t max_bytes,
                                    std::chrono::milliseconds timeout) override;
  /// Host::should_stop(): the host's deadline is near.
  [[nodiscard]] bool should_stop() const override { return pipe_.should_stop(); }

 private:
  dfx::sdk::BulkPipe pipe_;
};

/// Maps a host status code to the protocol code's Errc.
Errc errc_from_status(dfx_status code);

/// Maps an Errc to the dfx_status a probe returns.
dfx_status status_from_errc(Errc code);

}  // namespace dfx::android
