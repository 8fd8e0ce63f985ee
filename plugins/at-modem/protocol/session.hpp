// An AT command session over a Transport: sends one allow-listed command at a time, terminated by
// "\r" as V.250 requires, and reads until the modem's final result. The only code that writes to
// the modem; it refuses any command not on the allow-list (allow_list.hpp) before a byte leaves.
//
// Bounded against hostile modems: each reply by bytes and lines (ReplyAssembler) and by time (the
// command's timeout), the whole session by the host's should_stop(). A modem that never answers
// ends in timeout, one that streams without a final result in too_large, one that echoes forever
// in malformed, one that sends binary noise in malformed.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "reply.hpp"
#include "transport.hpp"

namespace dfx::at {

/// How a session reads.
struct SessionOptions {
  ReplyLimits reply;                              ///< bounds on each reply
  std::size_t read_size = 512;                    ///< bytes asked per IN transfer
  std::chrono::milliseconds read_slice{250};      ///< longest single read (should_stop)
  std::chrono::milliseconds write_timeout{1000};  ///< per OUT transfer
  bool imsi_opted_in = false;  ///< the examiner asked for the IMSI: AT+CIMI may be sent
};

/// One AT conversation with one modem.
class Session {
 public:
  /// `transport` must outlive the session.
  explicit Session(Transport& transport, SessionOptions options = {});

  /// Sends `command` + "\r" and returns the complete reply (which may end in ERROR: the caller
  /// decides what that means). Errors: denied (not on the allow-list, or AT+CIMI without opt-in;
  /// nothing is sent), timeout (no final result within `timeout`), too_large, malformed,
  /// disconnected, io, cancelled. Each message names the command.
  Result<Reply> command(std::string_view command, std::chrono::milliseconds timeout);

  /// Every command written to the modem, in order (for the log and the tests).
  [[nodiscard]] const std::vector<std::string>& sent() const { return sent_; }

 private:
  Transport& transport_;
  SessionOptions options_;
  std::vector<std::string> sent_;
};

}  // namespace dfx::at
