// Check-digit arithmetic used by phone and SIM identifiers: Luhn (base 10 for IMEI, ICCID and
// decimal MEIDs, base 16 for hexadecimal MEIDs) and ISO/IEC 7064 MOD 97-10 (eSIM EID).
//
// These are strict, allocation-free building blocks: they take bare digits (no separators, no
// labels) and never throw. Use ident::normalize() for text as people type it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dfx::ident {

/// Luhn checksum of `number` (check digit included) in `base` 10 or 16; 0 means valid.
/// Hex digits are accepted in either case. Returns -1 when `number` is empty, holds a character
/// that is not a digit of `base`, or `base` is neither 10 nor 16.
int luhn_checksum(std::string_view number, unsigned base = 10) noexcept;

/// True when `number` (check digit last) passes the Luhn check in `base` 10 or 16.
bool luhn_valid(std::string_view number, unsigned base = 10) noexcept;

/// The check digit to append to `body` so that it passes the Luhn check in `base` 10 or 16
/// (upper-case for hex). nullopt for an empty body, a bad character or an unsupported base.
std::optional<char> luhn_check_digit(std::string_view body, unsigned base = 10) noexcept;

/// Fast path for bulk checks: true exactly when `digits` is 15 ASCII digits whose last digit is
/// the Luhn check digit. No separators, no 14/16-digit forms, no allocation.
bool is_valid_imei(std::string_view digits) noexcept;

/// `digits` read as one decimal number, modulo 97, computed digit by digit so that any length
/// works. -1 when `digits` is empty or holds a non-digit.
int mod97(std::string_view digits) noexcept;

/// ISO/IEC 7064 MOD 97-10: valid when the whole number (check digits included) mod 97 == 1.
bool mod97_10_valid(std::string_view digits) noexcept;

/// The two ISO/IEC 7064 MOD 97-10 check digits to append to `body` (range "02".."98", the standard
/// choice).
/// nullopt when `body` is empty or holds a non-digit.
std::optional<std::string> mod97_10_check_digits(std::string_view body);

}  // namespace dfx::ident
