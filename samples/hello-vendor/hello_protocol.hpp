// The Hello phone's identity protocol, as pure functions (no I/O), so that it is tested without a
// device: the plugin sends the vendor control request GET_IDENT and parses the answer here.
//
//   GET_IDENT  bmRequestType 0xC0 (IN, vendor, device), bRequest 0x01, wValue 0, wIndex 0
//   answer     "SN:<serial>;IMEI:<15 digits>" (ASCII, at most 64 bytes, fields in any order)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hello {

inline constexpr std::uint8_t kGetIdentRequestType = 0xC0;
inline constexpr std::uint8_t kGetIdent = 0x01;
inline constexpr std::uint16_t kGetIdentLength = 64;

/// What GET_IDENT says.
struct Ident {
  std::string serial;
  std::string imei;  ///< as the phone sent it: the host validates identifiers, plugins never do
};

/// Parses a GET_IDENT answer; nullopt and a reason in `why` when it is not one.
std::optional<Ident> parse_ident(std::string_view answer, std::string& why);

}  // namespace hello
