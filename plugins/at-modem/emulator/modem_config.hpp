// The parameters of the "at-modem" behaviour, read strictly from a handset file (unknown keys are
// errors, as everywhere in the handset format).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "dfx/testing/behavior_registry.hpp"

namespace dfx::testing::at_modem {

/// How the modem ends the lines it sends.
enum class LineEnding {
  crlf,  ///< V.250 verbose: every line framed as "\r\n<line>\r\n" (blank lines between)
  cr,    ///< "<line>\r" (some embedded modems)
  lf,    ///< "<line>\n" (some firmware consoles)
};

/// A hostile modem, for the tests of the plugin's bounds.
enum class Hostile {
  none,
  endless,       ///< answers every command with information lines for ever, no final result
  garbage,       ///< answers every command with binary noise, for ever
  echo_forever,  ///< echoes the command again and again, never a result
  silent,        ///< never answers anything
};

/// Everything the behaviour needs.
struct ModemConfig {
  std::uint8_t in_endpoint = 0;   ///< bulk IN of the data interface
  std::uint8_t out_endpoint = 0;  ///< bulk OUT of the data interface
  bool echo = true;               ///< echo commands (ATE1, the V.250 default)
  LineEnding line_ending = LineEnding::crlf;
  std::size_t chunk = 64;  ///< the modem's output is queued in IN messages of at most this size
  std::vector<std::string> unsolicited;  ///< codes sent before every reply ("^RSSI:18")
  /// command (without CR) -> reply lines, final result included; "AT" answers OK and any other
  /// command ERROR unless listed.
  std::map<std::string, std::vector<std::string>> dialogue;
  Hostile hostile = Hostile::none;
  /// Answer nothing until the host raises DTR (CDC SET_CONTROL_LINE_STATE, bit 0), as modems
  /// that wait for a terminal to open the port do; input before it is dropped.
  bool needs_dtr = false;
};

/// Reads the params of `context` for its device (the first CDC data interface 0x0A of the first
/// configuration with a bulk pair, or "data_interface": N).
tl::expected<ModemConfig, std::string> read_modem_config(const BehaviorContext& context);

}  // namespace dfx::testing::at_modem
