// Input and output shared by the bulk commands (normalize, check): line-by-line reading of large
// inputs, buffered stdout with write(2), terminal-safe text, and the TAC names for IMEIs.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "tac/json_writer.hpp"
#include "tac/tac_cache.hpp"

namespace dfx::cli {

/// Size of the blocks read from input and written to stdout.
inline constexpr std::size_t kIoBlock = 1 << 20;

/// stdout through write(2) in large blocks; remembers the first error (EPIPE when the reader
/// went away and SIGPIPE is ignored, ENOSPC, ...).
class StdoutBuffer {
 public:
  StdoutBuffer() : buf_(kIoBlock + 4096) {}
  /// Where to write the next bytes.
  tac::JsonBuffer& buffer() { return buf_; }
  /// Writes the buffer out once it holds a block.
  void maybe_flush() {
    if (buf_.size() >= kIoBlock) flush();
  }
  /// Writes everything buffered.
  void flush();
  /// errno of the first failed write, 0 when none failed.
  [[nodiscard]] int error() const { return error_; }

 private:
  tac::JsonBuffer buf_;
  int error_ = 0;
};

/// A value for a terminal: control characters and invalid UTF-8 bytes shown as \xNN, so that a
/// hostile value cannot move the cursor or change the terminal's state.
std::string printable(std::string_view s);

/// Calls on_line(line, number) for every non-blank line of `fd` (LF or CRLF endings; a last
/// line without one counts; numbers are 1-based and count blank lines too) until it returns
/// false. `what` names the input in errors ("stdin", a file name).
Result<void> for_each_line(int fd, const std::function<bool(std::string_view, std::size_t)>& on_line,
                           std::string_view what = "stdin");

/// The TAC table in memory from the dfx database (--db / $DFX_DB / XDG), or an empty cache when
/// there is no database yet (a warning says so when the user named the file).
Result<tac::TacCache> load_tac_cache(const std::string& db_option);

}  // namespace dfx::cli
