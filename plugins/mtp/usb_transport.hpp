// The Transport of the protocol code over the dfx host API: bulk transfers on the claimed PTP
// interface's endpoints. This and mtp_plugin.cpp are the only code that reaches the device, and
// they reach it only through dfx::sdk::Host.
#pragma once

#include <dfx/plugin.hpp>

#include "transport.hpp"

namespace dfx::mtp {

/// Bulk IN/OUT endpoints of one interface, through the host.
class UsbTransport final : public Transport {
 public:
  /// `in` and `out` are endpoint addresses of an interface already claimed through `host`.
  UsbTransport(const dfx::sdk::Host& host, uint8_t in, uint8_t out)
      : host_(host), in_(in), out_(out) {}

  /// One bulk OUT transfer through Host::bulk_write; a short write is an io error.
  Status write(std::span<const uint8_t> data, std::chrono::milliseconds timeout) override;
  /// One bulk IN transfer through Host::bulk_read into a buffer of `max_bytes`.
  Result<std::vector<uint8_t>> read(std::size_t max_bytes,
                                    std::chrono::milliseconds timeout) override;
  /// Host::should_stop(): the host's deadline is near.
  [[nodiscard]] bool should_stop() const override { return host_.should_stop(); }

 private:
  const dfx::sdk::Host& host_;
  uint8_t in_;
  uint8_t out_;
};

/// Maps a host status code to the protocol code's Errc.
Errc errc_from_status(dfx_status code);

/// Maps an Errc to the dfx_status a probe returns.
dfx_status status_from_errc(Errc code);

}  // namespace dfx::mtp
