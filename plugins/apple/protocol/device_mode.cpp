#include "device_mode.hpp"

namespace dfx::apple {

Mode mode_of(uint16_t pid) {
  if (pid >= 0x1280 && pid <= 0x1283) return Mode::Recovery;
  if (pid == 0x1227 || pid == 0x1222) return Mode::Dfu;
  if (pid >= 0x1290 && pid <= 0x12AF) return Mode::Normal;
  return Mode::Other;
}

std::string_view mode_name(Mode mode) {
  switch (mode) {
    case Mode::Recovery:
      return "recovery";
    case Mode::Dfu:
      return "dfu";
    case Mode::Normal:
      return "normal";
    case Mode::Other:
      break;
  }
  return "other";
}

std::string_view mode_words(Mode mode) {
  switch (mode) {
    case Mode::Recovery:
      return "Recovery mode";
    case Mode::Dfu:
      return "DFU mode";
    case Mode::Normal:
      return "normal mode";
    case Mode::Other:
      break;
  }
  return "another mode";
}

}  // namespace dfx::apple
