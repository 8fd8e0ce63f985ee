// What an MTP SerialNumber is. Pure functions.
//
// Older Samsung phones with Samsung's own MTP stack (04e8:6860: GT-I9300, GT-I9100, GT-I8190 in
// libmtp's device logs) report the IMEI as the DeviceInfo SerialNumber. AOSP's MTP server reports
// Build.SERIAL, or "????????" when it cannot read it. A SerialNumber of exactly 15 ASCII digits
// with a valid Luhn check digit is read as an IMEI as well; anything else never is.
#pragma once

#include <string_view>

namespace dfx::mtp {

/// What a DeviceInfo SerialNumber holds.
enum class SerialKind {
  empty,        ///< nothing: no serial to claim
  unavailable,  ///< only '?' characters: AOSP's "????????" when Build.SERIAL is unavailable
  imei,         ///< 15 ASCII digits, Luhn-valid: also read as the IMEI
  serial,       ///< anything else: a serial number
};

/// True when `digits` is exactly 15 ASCII digits whose Luhn check (the last digit) holds.
bool is_luhn_valid_imei(std::string_view digits);

/// Classifies an MTP SerialNumber as read (no trimming: the value is what the phone said).
SerialKind classify_serial(std::string_view serial);

}  // namespace dfx::mtp
