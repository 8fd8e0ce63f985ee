// The iSerialNumber string an Apple device shows in Recovery and DFU mode: space-separated
// KEY:value pairs (CPID:8020 CPRV:11 ... ECID:001D2CD90128002E IBFL:3C SRNM:[F2LXXXXXXXXX]
// IMEI:[353908123456789]). A pure function of the text: no I/O, for the plugin, its tests and its
// fuzz target.
//
// Tolerant of what varies between boot stages and devices: fields missing, fields it does not
// know (kept as they are), spacing, key order. Strict about values: a field whose value is not
// what the field holds (an ECID that is not hex, an IMEI that is not 15 digits) is an error for
// that field and gives no value; a key given twice with different values is an error too (which
// one would be the device's?). Nothing is guessed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dfx::apple {

/// A field that could not be read: its key, its text as shown, and why.
struct FieldError {
  std::string key;
  std::string text;
  std::string why;
};

/// What a Recovery/DFU iSerialNumber says. Absent fields stay empty.
struct SerialString {
  std::optional<uint32_t> cpid;     ///< chip id (CPID, hex), e.g. 0x8020 for the A12
  std::optional<uint32_t> cprv;     ///< chip revision (CPRV, hex)
  std::optional<uint32_t> cpfm;     ///< chip fuse mode (CPFM, hex): production and security bits
  std::optional<uint32_t> scep;     ///< security epoch (SCEP, hex)
  std::optional<uint32_t> bdid;     ///< board id (BDID, hex)
  std::optional<uint64_t> ecid;     ///< exclusive chip id (ECID, hex, non-zero)
  std::optional<uint32_t> ibfl;     ///< iBoot flags (IBFL, hex)
  std::optional<std::string> srnm;  ///< serial number (SRNM:[...]), iBoot Recovery only
  std::optional<std::string> imei;  ///< IMEI (IMEI:[...]), 15 digits, some iBoot Recovery strings
  std::optional<std::string> srtg;  ///< boot stage tag (SRTG:[iBoot-...]), DFU SecureROM
  std::optional<std::string> nonc;  ///< AP nonce (NONC, hex), where the string carries it
  std::optional<std::string> snon;  ///< SEP nonce (SNON, hex), where the string carries it
  /// Fields this parser does not know, as KEY and value text, in order.
  std::vector<std::pair<std::string, std::string>> unknown;
  /// Fields that could not be read, in order.
  std::vector<FieldError> errors;
};

/// The longest text parsed: a USB string descriptor holds at most 126 UTF-16 characters, so
/// anything longer did not come from one and is refused whole.
inline constexpr std::size_t kMaxSerialString = 1024;

/// Parses `text`. Never throws; every problem is in `errors`.
SerialString parse_serial_string(std::string_view text);

/// Whether `text` looks like a Recovery/DFU string at all (has a CPID or ECID field), as opposed
/// to a normal-mode UDID or another device's serial number.
bool looks_like_serial_string(std::string_view text);

}  // namespace dfx::apple
