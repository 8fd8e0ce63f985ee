#include "error.hpp"

namespace dfx::android {

const char* to_string(Errc code) {
  switch (code) {
    case Errc::bad_magic:
      return "bad_magic";
    case Errc::checksum_mismatch:
      return "checksum_mismatch";
    case Errc::too_large:
      return "too_large";
    case Errc::malformed:
      return "malformed";
    case Errc::unexpected:
      return "unexpected";
    case Errc::timeout:
      return "timeout";
    case Errc::disconnected:
      return "disconnected";
    case Errc::io:
      return "io";
    case Errc::denied:
      return "denied";
    case Errc::refused:
      return "refused";
    case Errc::unauthorized:
      return "unauthorized";
    case Errc::not_found:
      return "not_found";
    case Errc::cancelled:
      return "cancelled";
    case Errc::crypto:
      return "crypto";
    case Errc::unsupported:
      return "unsupported";
  }
  return "unknown";
}

}  // namespace dfx::android
