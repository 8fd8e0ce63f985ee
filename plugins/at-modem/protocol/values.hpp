// Reading identifiers out of information lines: the IMEI of +CGSN/+GSN, the IMEISV of +CGSN=2,
// texts of +CGMI/+CGMM/+CGMR, the ICCID of +CCID/+ICCID or of a +CRSM READ BINARY of EF_ICCID
// (nibble-swapped), the IMSI of +CIMI. Pure functions.
//
// Plugins never decide validity (the core does: Luhn, TAC...), but a value that cannot be the
// identifier asked for (letters in an IMEI, 40 digits) is refused here so that a confused modem
// is reported as such rather than claiming garbage.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "error.hpp"
#include "reply.hpp"

namespace dfx::at {

/// The value of an information line: one of `prefixes` and its ':' removed when the line starts
/// with it ("+CGSN: \"35...\"" → "\"35...\""), then spaces trimmed and one pair of surrounding
/// double quotes removed.
std::string_view line_value(std::string_view line, std::span<const std::string_view> prefixes);

/// The value of the first non-empty information line of `reply` (see line_value). not_found
/// when the reply has none (e.g. a bare OK).
Result<std::string> first_value(const Reply& reply, std::span<const std::string_view> prefixes,
                                std::string_view command);

/// An IMEI as +CGSN / +CGSN=1 / +GSN give it: exactly 15 decimal digits.
Result<std::string> parse_imei(std::string_view value);

/// An IMEISV as +CGSN=2 gives it: exactly 16 decimal digits.
Result<std::string> parse_imeisv(std::string_view value);

/// A free text (manufacturer, model, revision): 1 to 256 printable characters.
Result<std::string> parse_text(std::string_view value);

/// An ICCID as +CCID / +ICCID give it: 19 or 20 characters starting "89", after trailing 'F'
/// padding is removed; digits, with hex letters tolerated after the sixth character (some
/// operators' numbering, as ModemManager accepts). Returned upper-case.
Result<std::string> parse_iccid(std::string_view value);

/// The ICCID in a +CRSM answer to READ BINARY of EF_ICCID: `144,0,"98..."` (status words, then
/// the file's 10 bytes in hex, BCD with the nibbles of each byte swapped). Status words other
/// than 144,0 (0x90 0x00, success) are a refused error naming them.
Result<std::string> decode_crsm_iccid(std::string_view value);

/// An IMSI as +CIMI gives it: 14 or 15 decimal digits (MCC 3 + MNC 2-3 + MSIN).
Result<std::string> parse_imsi(std::string_view value);

}  // namespace dfx::at
