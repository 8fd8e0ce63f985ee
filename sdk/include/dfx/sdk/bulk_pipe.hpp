// dfx/sdk/bulk_pipe.hpp — the bulk IN/OUT endpoint pair of one claimed interface, for plugins
// whose protocol is a byte stream or a run of messages over bulk transfers (ADB, PTP/MTP, an AT
// command port). It adds to Host::bulk_write and Host::bulk_read what every such protocol needs
// and would otherwise write again: the host's stop request checked before each transfer, a write
// that is whole or an error, and a read into a buffer of the size asked.
//
//   if (auto st = host.claim_interface(number); !st) return st;
//   dfx::sdk::BulkPipe pipe(host, in_address, out_address);
//   if (auto st = pipe.write_all(command, 2s); !st) return st;
//   auto answer = pipe.read(16384, 2s);   // Result<std::vector<uint8_t>>
//
// Errors are Status values with the host's codes (DFX_ERR_TIMEOUT, DFX_ERR_NO_DEVICE...):
// DFX_ERR_CANCELLED when the host asked the plugin to stop (nothing is sent), DFX_ERR_IO for a
// short write. A plugin maps them onto its own protocol errors where it has them.
#pragma once

#include <dfx/plugin.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dfx::sdk {

/// Bulk IN and OUT endpoints of an interface the plugin has claimed, through the host.
class BulkPipe {
 public:
  /// `in` and `out` are endpoint addresses (bEndpointAddress) of an interface already claimed
  /// through `host`; `host` must outlive the pipe.
  BulkPipe(const Host& host, uint8_t in, uint8_t out) : host_(&host), in_(in), out_(out) {}

  /// Sends all of `data` in one bulk OUT transfer. DFX_ERR_CANCELLED (nothing sent) once the
  /// host wants the probe to end; DFX_ERR_IO when the device took only part of it.
  [[nodiscard]] Status write_all(std::span<const uint8_t> data,
                                 std::chrono::milliseconds timeout) const {
    if (host_->should_stop()) return Status::error(DFX_ERR_CANCELLED, "stopped by the host");
    auto sent = host_->bulk_write(out_, data, timeout);
    if (!sent) return sent.status();
    if (sent.value() != data.size())
      return Status::error(DFX_ERR_IO, "short bulk write: " + std::to_string(sent.value()) +
                                           " of " + std::to_string(data.size()) + " bytes");
    return Status::ok();
  }

  /// One bulk IN transfer into a buffer of `max_bytes`; returns what the device sent (a short
  /// packet ends the transfer). DFX_ERR_CANCELLED (nothing read) once the host wants the probe
  /// to end.
  [[nodiscard]] Result<std::vector<uint8_t>> read(std::size_t max_bytes,
                                                  std::chrono::milliseconds timeout) const {
    if (host_->should_stop()) return Status::error(DFX_ERR_CANCELLED, "stopped by the host");
    std::vector<uint8_t> buffer(max_bytes);
    auto got = host_->bulk_read(in_, buffer, timeout);
    if (!got) return got.status();
    buffer.resize(got.value());
    return buffer;
  }

  /// Host::should_stop(): the host's deadline is near.
  [[nodiscard]] bool should_stop() const { return host_->should_stop(); }

  /// The endpoint addresses.
  [[nodiscard]] uint8_t in() const { return in_; }
  [[nodiscard]] uint8_t out() const { return out_; }

 private:
  const Host* host_;
  uint8_t in_;
  uint8_t out_;
};

}  // namespace dfx::sdk
