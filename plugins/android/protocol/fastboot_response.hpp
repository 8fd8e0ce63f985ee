// fastboot replies (AOSP fastboot protocol): each USB transfer from the bootloader is one
// response of at most 256 bytes starting with OKAY, FAIL, INFO, TEXT or DATA. INFO and TEXT may
// repeat before the final OKAY or FAIL; DATA%08x announces a data phase. `getvar:all` sends one
// INFO line per variable, "name:value", which some OEM bootloaders (and older fastboot output)
// write as "(bootloader) name: value". Pure and bounded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "error.hpp"

namespace dfx::android::fastboot {

/// Longest response the protocol allows.
inline constexpr std::size_t kMaxResponse = 256;
/// Longest command the protocol documents.
inline constexpr std::size_t kMaxCommand = 64;

/// The response kinds.
enum class ResponseKind { okay, fail, info, text, data };

/// "OKAY", "FAIL"...
const char* to_string(ResponseKind kind);

/// One decoded response.
struct Response {
  ResponseKind kind = ResponseKind::okay;  ///< the 4-byte prefix
  std::string payload;                     ///< what follows, trailing NULs and CR/LF removed
  uint32_t data_size = 0;                  ///< DATA only: the announced byte count
};

/// Decodes one response. Fails (too_large) beyond kMaxResponse, (malformed) when shorter than
/// 4 bytes, with an unknown prefix, with control characters (other than trailing NUL/CR/LF) in
/// the payload, or a DATA size that is not 8 hex digits.
Result<Response> parse_response(std::span<const uint8_t> bytes);

/// One `getvar:all` variable.
struct Variable {
  std::string name;   ///< e.g. "version-bootloader", "partition-size:boot"
  std::string value;  ///< e.g. "b1c1-0.4-7617406", may be empty
};

/// Parses one INFO payload of `getvar:all`: "name:value", "name: value" or
/// "(bootloader) name: value". Names of the "partition-*" family contain a ':' themselves
/// ("partition-size:boot:0x4000000"), so for them the value follows the last ':'. Returns nullopt
/// for lines that are not a variable (empty name, control characters, over 256 bytes).
std::optional<Variable> parse_getvar_line(std::string_view line);

}  // namespace dfx::android::fastboot
