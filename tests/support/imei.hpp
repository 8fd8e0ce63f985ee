// Valid IMEIs for tests: a 14-digit body with its Luhn check digit (one copy for every core test).
#pragma once

#include <string>

namespace dfx::testing_support {

/// The 15-digit IMEI made of `body` (14 digits) and its Luhn check digit.
inline std::string imei(const std::string& body) {
  int sum = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    int d = body[body.size() - 1 - i] - '0';
    if (i % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + static_cast<char>('0' + (10 - sum % 10) % 10);
}

}  // namespace dfx::testing_support
