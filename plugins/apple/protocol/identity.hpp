// What an Apple device's USB serial string says about it, as claims: the plugin's whole reading
// in Recovery and DFU mode, and the UDID in normal mode. Pure: the plugin passes the string it
// read and emits what comes back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "device_mode.hpp"

namespace dfx::apple {

/// One claim to report: its kind (a DFX_CLAIM_* text or an x_apple_ name), value and method.
struct Fact {
  std::string kind;
  std::string value;
  std::string method;
};

/// The facts read, and the problems that kept some from being read (each one sentence naming
/// the field). A reading with problems is an error for the probe: fail closed.
struct Reading {
  std::vector<Fact> facts;
  std::vector<std::string> problems;
  /// Findings for the examiner (code, sentence): what limited the reading, e.g.
  /// {"imei_withheld", ...}; see dfx_host_api's report_finding.
  std::vector<std::pair<std::string, std::string>> findings;
};

/// Reads the iSerialNumber string `text` (string descriptor `index`) of a device in `mode`.
/// Recovery and DFU: ECID (as 0x + 16 hex digits), serial number (SRNM), IMEI, and the chip and
/// board fields as x_apple_ facts. Normal mode: the UDID. Always an x_apple_mode fact.
Reading read_usb_identity(Mode mode, std::string_view text, uint8_t index);

}  // namespace dfx::apple
