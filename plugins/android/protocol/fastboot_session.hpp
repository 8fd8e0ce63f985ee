// A fastboot client over a Transport: one command transfer, then responses until OKAY or FAIL.
// Only allow-listed commands (getvar:*) can be sent. Bounded: response size (256), number of
// INFO/TEXT lines, total bytes and time per command.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "fastboot_response.hpp"
#include "transport.hpp"

namespace dfx::android::fastboot {

/// Bounds of one command.
struct SessionLimits {
  std::chrono::milliseconds io_timeout{2000};       ///< one response
  std::chrono::milliseconds command_timeout{5000};  ///< one command, all its responses
  std::size_t max_lines = 1024;                     ///< INFO/TEXT responses per command
  std::size_t max_bytes = 64 * 1024;                ///< INFO/TEXT bytes kept per command
};

/// What one command produced.
struct Reply {
  std::string value;              ///< the OKAY payload
  std::vector<std::string> info;  ///< INFO payloads in order
  std::vector<std::string> text;  ///< TEXT payloads in order
};

/// One fastboot connection.
class Session {
 public:
  /// Wraps a transport to a fastboot interface.
  explicit Session(Transport& transport, SessionLimits limits = {});

  /// Sends an allow-listed command and collects its responses. Errors: denied (not on the
  /// allow-list; nothing sent), refused (FAIL, with the bootloader's reason), unexpected (a DATA
  /// phase), too_large, malformed, timeout and transport errors.
  Result<Reply> command(std::string_view command);

  /// `getvar:<name>`: the OKAY payload. An empty OKAY (old bootloaders, unknown variable) fails
  /// with not_found.
  Result<std::string> getvar(std::string_view name);

  /// `getvar:all`: every INFO line parsed with parse_getvar_line (unparseable lines dropped).
  Result<std::vector<Variable>> getvar_all();

 private:
  Transport& transport_;
  SessionLimits limits_;
};

}  // namespace dfx::android::fastboot
