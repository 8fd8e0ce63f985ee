// Input and output shared by the bulk commands (normalize, check): line-by-line reading of large
// inputs and buffered stdout with write(2).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "text/line_reader.hpp"
#include "text/output_buffer.hpp"
#include "text/terminal.hpp"

namespace dfx::cli {

using text::printable;

/// Size of the blocks written to stdout.
inline constexpr std::size_t kIoBlock = 1 << 20;

/// stdout through write(2) in large blocks; remembers the first error (EPIPE when the reader
/// went away and SIGPIPE is ignored, ENOSPC, ...).
class StdoutBuffer {
 public:
  StdoutBuffer() : buf_(kIoBlock + 4096) {}
  /// Where to write the next bytes.
  text::OutputBuffer& buffer() { return buf_; }
  /// Writes the buffer out once it holds a block.
  void maybe_flush() {
    if (buf_.size() >= kIoBlock) flush();
  }
  /// Writes everything buffered.
  void flush();
  /// errno of the first failed write, 0 when none failed.
  [[nodiscard]] int error() const { return error_; }

 private:
  text::OutputBuffer buf_;
  int error_ = 0;
};

/// Calls on_line(line, number) for every non-blank line of `lines` (numbers are 1-based and
/// count blank lines too) until it returns false. Errors read "<input>:<line>: <why>".
Result<void> for_each_line(text::LineReader& lines,
                           const std::function<bool(std::string_view, std::size_t)>& on_line);

}  // namespace dfx::cli
