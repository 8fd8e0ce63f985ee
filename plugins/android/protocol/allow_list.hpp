// The read-only guarantee of the Android plugin: the ONE table of everything it can ever send to
// a phone as a command. ADB service strings (the payload of OPEN) and fastboot commands are
// compared byte for byte against this table; anything else is refused before a byte leaves
// (AdbChannel::send and FastbootSession::command check it). Exact matching, not patterns, so
// "shell:getprop ro.serialno; reboot" and every other injection cannot pass.
// plugins/android/README.md reproduces this table verbatim; tests/allow_list_test.cpp checks both.
#pragma once

#include <span>
#include <string_view>

namespace dfx::android {

/// Which protocol a command belongs to.
enum class Channel { adb, fastboot };

/// One command the plugin may send.
struct AllowedCommand {
  Channel channel;           ///< adb: OPEN payload (without its NUL); fastboot: the command
  std::string_view command;  ///< the exact bytes
  std::string_view reads;    ///< what it reads, for the docs and logs
};

/// The whole allow-list.
std::span<const AllowedCommand> allow_list();

/// True when `command` is exactly one of the table's entries for `channel`.
bool is_allowed(Channel channel, std::string_view command);

}  // namespace dfx::android
