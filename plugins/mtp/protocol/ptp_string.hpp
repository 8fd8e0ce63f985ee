// PTP strings (PIMA 15740 §5.3.4, libgphoto2 ptp-pack.c): one count byte giving the number of
// UTF-16 code units *including* the terminating NUL (0 = the empty string, with no NUL), then
// that many little-endian UTF-16 code units. The count is in code units, not bytes, so odd counts
// are legal; at most 255 units fit. Pure code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace dfx::mtp {

/// Most code units a PTP string can carry, the NUL included (the count is one byte).
inline constexpr std::size_t kMaxStringUnits = 255;

/// Reads the PTP string starting at `offset` in `bytes`, returns it as UTF-8 and advances
/// `offset` past it. `field` names the string in errors ("Manufacturer"). Errors:
///  - truncated: no count byte, or 2 * count bytes run past the end;
///  - malformed: the last unit is not NUL, a NUL comes before it, or the UTF-16 is invalid (an
///    unpaired surrogate), each with the field and the byte offset of the problem.
Result<std::string> read_ptp_string(std::span<const uint8_t> bytes, std::size_t& offset,
                                    std::string_view field);

/// Appends `utf8` as a PTP string. Errors: malformed (not UTF-8), too_large (more than 254
/// code units before the NUL).
Status write_ptp_string(std::vector<uint8_t>& out, std::string_view utf8);

}  // namespace dfx::mtp
