#include "usb_transport.hpp"

namespace dfx::mtp {

Errc errc_from_status(dfx_status code) {
  switch (code) {
    case DFX_ERR_TIMEOUT:
      return Errc::timeout;
    case DFX_ERR_NO_DEVICE:
      return Errc::disconnected;
    case DFX_ERR_OVERFLOW:
      return Errc::too_large;
    case DFX_ERR_CANCELLED:
      return Errc::cancelled;
    case DFX_ERR_UNSUPPORTED:
      return Errc::unsupported;
    default:
      return Errc::io;
  }
}

dfx_status status_from_errc(Errc code) {
  switch (code) {
    case Errc::timeout:
      return DFX_ERR_TIMEOUT;
    case Errc::disconnected:
      return DFX_ERR_NO_DEVICE;
    case Errc::cancelled:
      return DFX_ERR_CANCELLED;
    case Errc::unsupported:
      return DFX_ERR_UNSUPPORTED;
    default:
      return DFX_ERR_IO;  // protocol violations, refusals and transfer failures: the device's
  }
}

Status UsbTransport::write(std::span<const uint8_t> data, std::chrono::milliseconds timeout) {
  if (host_.should_stop()) return fail(Errc::cancelled, "stopped by the host");
  auto sent = host_.bulk_write(out_, data, timeout);
  if (!sent) return fail(errc_from_status(sent.status().code()), sent.status().message());
  if (sent.value() != data.size())
    return fail(Errc::io, "short bulk write: " + std::to_string(sent.value()) + " of " +
                              std::to_string(data.size()) + " bytes");
  return {};
}

Result<std::vector<uint8_t>> UsbTransport::read(std::size_t max_bytes,
                                                std::chrono::milliseconds timeout) {
  if (host_.should_stop()) return fail(Errc::cancelled, "stopped by the host");
  std::vector<uint8_t> buf(max_bytes);
  auto got = host_.bulk_read(in_, buf, timeout);
  if (!got) return fail(errc_from_status(got.status().code()), got.status().message());
  buf.resize(got.value());
  return buf;
}

}  // namespace dfx::mtp
