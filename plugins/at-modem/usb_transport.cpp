#include "usb_transport.hpp"

#include <utility>

namespace dfx::at {

Errc errc_from_status(dfx_status code) {
  switch (code) {
    case DFX_ERR_TIMEOUT:
      return Errc::timeout;
    case DFX_ERR_NO_DEVICE:
      return Errc::disconnected;
    case DFX_ERR_OVERFLOW:
      return Errc::too_large;
    case DFX_ERR_DENIED:
      return Errc::denied;
    case DFX_ERR_CANCELLED:
      return Errc::cancelled;
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
    case Errc::denied:
      return DFX_ERR_DENIED;
    case Errc::cancelled:
      return DFX_ERR_CANCELLED;
    case Errc::invalid_setting:
      return DFX_ERR_INVALID_ARGUMENT;
    case Errc::not_found:
      return DFX_ERR_UNSUPPORTED;  // an AT interpreter without identity commands
    default:
      return DFX_ERR_IO;  // protocol violations and refusals: the device's fault
  }
}

Status UsbTransport::write(std::span<const uint8_t> data, std::chrono::milliseconds timeout) {
  if (auto st = pipe_.write_all(data, timeout); !st)
    return fail(errc_from_status(st.code()), st.message());
  return {};
}

Result<std::vector<uint8_t>> UsbTransport::read(std::size_t max_bytes,
                                                std::chrono::milliseconds timeout) {
  auto got = pipe_.read(max_bytes, timeout);
  if (!got) return fail(errc_from_status(got.status().code()), got.status().message());
  return std::move(*got);
}

}  // namespace dfx::at
