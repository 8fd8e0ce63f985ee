// The read-only guarantee of the AT-modem plugin: the ONE table of every command it can ever send
// to a modem. Session::command (session.cpp) compares each command byte for byte against this
// table before a byte leaves; anything else is refused with Errc::denied. Exact matching, not
// patterns, so "AT+CGSN;+CFUN=1", "AT+CGSN\rATZ" and every other concatenation cannot pass.
// AT+CIMI reads the subscriber's identity (personal data): it is on the list but flagged, and is
// sent only when the examiner asked for it (the read-imsi setting).
// plugins/at-modem/README.md and docs/plugins/at-modem.md reproduce this table verbatim;
// tests/allow_list_test.cpp checks both.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace dfx::at {

/// One command the plugin may send.
struct AllowedCommand {
  std::string_view command;  ///< the exact bytes sent, without the terminating "\r"
  /// The information-line prefixes its answer may carry ("+CGSN"); a line with another "+X:" or
  /// "^X:" prefix is an unsolicited result code, never taken for the answer.
  std::array<std::string_view, 3> answer_prefixes;
  std::string_view reads;  ///< what it reads, for the docs and logs
  bool needs_opt_in;       ///< true: sent only when the examiner asked (AT+CIMI)
};

/// The whole allow-list, in the order the docs show it.
std::span<const AllowedCommand> allow_list();

/// The table entry for exactly `command`, or nullptr.
const AllowedCommand* find_allowed(std::string_view command);

/// True when `command` is exactly one of the table's entries, and its entry needs no opt-in or
/// `opted_in` is true.
bool is_allowed(std::string_view command, bool opted_in);

}  // namespace dfx::at
