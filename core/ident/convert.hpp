// Conversions between the hexadecimal and decimal forms of CDMA identifiers (MEID, ESN), the
// pseudo-ESN of a MEID, and Apple ECIDs. Strict inputs (bare digits of the exact length, no
// separators or labels); ident::normalize() accepts text as people type it and fills these values
// in Identifier::derived.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dfx::ident {

/// 14 hex digits (either case) -> 18 decimal digits: the high 32 bits (manufacturer: regional
/// code + manufacturer code) as 10 digits, then the low 24 bits (serial) as 8 digits.
std::optional<std::string> meid_hex_to_decimal(std::string_view hex14);

/// 18 decimal digits -> 14 upper-case hex digits. nullopt when the first 10 digits exceed
/// 32 bits or the last 8 exceed 24 bits (such a number is not a MEID).
std::optional<std::string> meid_decimal_to_hex(std::string_view dec18);

/// The MEID check digit for a 14-digit hex body (decimal Luhn when all 14 characters are decimal
/// digits, as for an IMEI; hex Luhn otherwise) or an 18-digit decimal body (decimal Luhn).
std::optional<char> meid_check_digit(std::string_view body);

/// Pseudo-ESN of a MEID given as 14 hex digits: "80" followed by the low 24 bits of SHA-1 over
/// the 7 MEID bytes, upper-case hex (to_pseudo_esn("AF0123450ABCDE") == "8016B128").
/// nullopt on a malformed argument or when OpenSSL offers no SHA-1.
std::optional<std::string> to_pseudo_esn(std::string_view meid_hex14);

/// 8 hex digits -> 11 decimal digits (3 for the 8-bit manufacturer code, 8 for the 24-bit serial).
std::optional<std::string> esn_hex_to_decimal(std::string_view hex8);

/// 11 decimal digits -> 8 upper-case hex digits. nullopt when the manufacturer part exceeds 255
/// or the serial part exceeds 16777215.
std::optional<std::string> esn_decimal_to_hex(std::string_view dec11);

/// An ECID written in decimal (lockdown's UniqueChipID is an integer) -> the canonical
/// 16-digit upper-case hex form. nullopt when not 1-20 digits, zero, or above 2^64-1.
std::optional<std::string> ecid_decimal_to_hex(std::string_view decimal);

}  // namespace dfx::ident
