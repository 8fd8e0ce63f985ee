// Assembling a modem's reply to one AT command from the bytes it sends, whatever its quirks:
// echo on or off (the command comes back first, possibly with a trailing "\r"), blank lines,
// "\r\n", "\r" or "\n" line ends, unsolicited result codes ("^RSSI:18", "+CREG: 1", "RING")
// interleaved anywhere, information lines with or without their "+CGSN:" prefix. It ends at the
// final result (OK, ERROR, +CME ERROR: <n or text>, +CMS ERROR: <n>, COMMAND NOT SUPPORT).
//
// A modem is hostile input: the assembler is bounded (bytes and lines), refuses bytes that are
// not text, and refuses a modem that echoes the command again and again. Pure code, no I/O: the
// session (session.hpp) feeds it what the transport reads.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace dfx::at {

/// Bounds on one reply. A real identity reply is a few lines of under 200 bytes.
struct ReplyLimits {
  std::size_t max_bytes = 4096;  ///< bytes up to and including the final result's line
  std::size_t max_lines = 64;    ///< non-blank lines (echo, information, unsolicited, final)
};

/// How a reply ended.
enum class Final {
  ok,         ///< OK
  error,      ///< ERROR (or a vendor's COMMAND NOT SUPPORT / TOO MANY PARAMETERS)
  cme_error,  ///< +CME ERROR: <n or text> (mobile equipment error)
  cms_error,  ///< +CMS ERROR: <n> (message service error)
};

/// A modem's complete reply to one command.
struct Reply {
  Final final = Final::ok;               ///< how it ended
  std::string final_line;                ///< the final result as sent, e.g. "+CME ERROR: 10"
  std::vector<std::string> lines;        ///< information lines, in order (echo, URCs removed)
  std::vector<std::string> unsolicited;  ///< unsolicited result codes seen meanwhile, ignored
  bool echoed = false;                   ///< the modem echoed the command (echo on, ATE1)
  /// True when the final result is OK.
  [[nodiscard]] bool ok() const { return final == Final::ok; }
};

/// Builds the Reply to `command` from bytes fed in pieces as the transport delivers them.
class ReplyAssembler {
 public:
  /// `command` is what was sent (without "\r"), to recognise its echo; `answer_prefixes` are the
  /// prefixes its information lines may carry (allow_list.hpp), to tell them from unsolicited
  /// result codes.
  ReplyAssembler(std::string_view command, std::span<const std::string_view> answer_prefixes,
                 ReplyLimits limits = {});

  /// Takes bytes until the final result's line ends; returns how many it took (the rest belongs
  /// to what comes after: unsolicited codes, the next reply). Errors: malformed (non-text byte,
  /// repeated echo), too_large (beyond the limits). After an error or the final result, further
  /// calls take nothing.
  Result<std::size_t> feed(std::string_view bytes);

  /// True once the final result arrived.
  [[nodiscard]] bool done() const { return done_; }

  /// The reply so far (complete once done()).
  [[nodiscard]] const Reply& reply() const { return reply_; }

  /// Bytes taken so far.
  [[nodiscard]] std::size_t bytes_taken() const { return bytes_; }

 private:
  Status end_line();
  std::string command_;
  std::vector<std::string> prefixes_;
  ReplyLimits limits_;
  Reply reply_;
  std::string line_;
  std::size_t bytes_ = 0;
  std::size_t line_count_ = 0;
  bool done_ = false;
  bool failed_ = false;
};

/// The whole reply to `command` in `text`; an error when it has no final result or breaks a
/// limit. For tests and fuzzing; the session feeds a ReplyAssembler.
Result<Reply> parse_reply(std::string_view command, std::span<const std::string_view> prefixes,
                          std::string_view text, ReplyLimits limits = {});

/// True when `line` is a final result code (OK, ERROR, +CME ERROR:...), and which.
bool is_final_result(std::string_view line, Final* final);

/// The "+NAME" (or "^NAME", "*NAME", "%NAME", "$NAME", "#NAME") a line starts with, up to its
/// ':' (or the end of the line when it has none), or "" when it does not start like that.
std::string_view result_code_prefix(std::string_view line);

/// `s` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

}  // namespace dfx::at
