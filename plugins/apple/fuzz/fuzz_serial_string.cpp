// Recovery/DFU iSerialNumber parser and the reading built on it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "identity.hpp"
#include "serial_string.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto s = dfx::apple::parse_serial_string(in);
  // Invariants: a value is never reported for a field that has an error.
  for (const auto& e : s.errors)
    if ((e.key == "ECID" && s.ecid) || (e.key == "IMEI" && s.imei)) __builtin_trap();
  if (s.imei && s.imei->size() != 15) __builtin_trap();
  if (s.ecid && *s.ecid == 0) __builtin_trap();
  (void)dfx::apple::read_usb_identity(dfx::apple::Mode::Recovery, in, 3);
  return 0;
}
