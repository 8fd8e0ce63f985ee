// Internal: MEID derived forms computed from the 56-bit value, so that normalize() parses the
// text once instead of re-reading the hex string for every derived field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace dfx::ident::detail {

/// 18-digit decimal form: high 32 bits as 10 digits, low 24 bits as 8 digits.
std::string meid_decimal_of(std::uint64_t meid);

/// Check digit of the 14-hex-digit form: decimal Luhn when every nibble is 0-9 (IMEI number
/// space), hex Luhn otherwise; upper-case.
char meid_check_digit_of(std::uint64_t meid) noexcept;

/// "80" + low 24 bits of SHA-1 over the 7 big-endian MEID bytes; nullopt without SHA-1.
std::optional<std::string> pseudo_esn_of(std::uint64_t meid);

}  // namespace dfx::ident::detail
