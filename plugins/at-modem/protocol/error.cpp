#include "error.hpp"

namespace dfx::at {

const char* to_string(Errc code) {
  switch (code) {
    case Errc::malformed:
      return "malformed";
    case Errc::too_large:
      return "too_large";
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
    case Errc::not_found:
      return "not_found";
    case Errc::cancelled:
      return "cancelled";
    case Errc::invalid_setting:
      return "invalid_setting";
  }
  return "unknown";
}

}  // namespace dfx::at
