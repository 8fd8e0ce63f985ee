#include "error.hpp"

namespace dfx::mtp {

const char* to_string(Errc code) {
  switch (code) {
    case Errc::truncated:
      return "truncated";
    case Errc::malformed:
      return "malformed";
    case Errc::too_large:
      return "too_large";
    case Errc::unexpected:
      return "unexpected";
    case Errc::device_error:
      return "device_error";
    case Errc::timeout:
      return "timeout";
    case Errc::disconnected:
      return "disconnected";
    case Errc::io:
      return "io";
    case Errc::cancelled:
      return "cancelled";
    case Errc::unsupported:
      return "unsupported";
  }
  return "unknown";
}

}  // namespace dfx::mtp
