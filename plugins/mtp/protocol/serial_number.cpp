#include "serial_number.hpp"

namespace dfx::mtp {

bool is_luhn_valid_imei(std::string_view digits) {
  if (digits.size() != 15) return false;
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const char c = digits[digits.size() - 1 - i];
    if (c < '0' || c > '9') return false;
    int d = c - '0';
    if (i % 2 == 1) {  // every second digit from the right, the check digit being the first
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 == 0;
}

SerialKind classify_serial(std::string_view serial) {
  if (serial.empty()) return SerialKind::empty;
  if (serial.find_first_not_of('?') == std::string_view::npos) return SerialKind::unavailable;
  if (is_luhn_valid_imei(serial)) return SerialKind::imei;
  return SerialKind::serial;
}

}  // namespace dfx::mtp
