// Reads text line by line with bounded memory, from a file, a descriptor (stdin) or text already
// in memory, hashing every byte read (SHA-256), so that a 10-million-row file is read in one pass
// without being held in memory, and what was read can be named by its digest.
//
// Lines end with LF or CRLF; a last line without an ending counts. A UTF-8 byte order mark at
// the start of line 1 is dropped (it marks the encoding, it is not text), but hashed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "base/result.hpp"
#include "base/sha256.hpp"

namespace dfx::text {

/// Bounds on what a reader accepts.
struct LineLimits {
  /// Longest line, without its ending. Rows of lists and registers are a few hundred bytes; a
  /// longer line means a wrong file (or a binary one), better named than buffered.
  std::size_t max_line_bytes = 64 * 1024;
  /// Largest file opened with open_file(). Not a memory limit (files are streamed): it stops a
  /// mistaken import of a disk image before it runs for an hour.
  std::uintmax_t max_file_bytes = 16ull << 30;
};

/// Why the next line could not be read.
struct LineError {
  std::size_t line = 0;  ///< 1-based number of the line that could not be read
  std::string message;   ///< without the input's name, e.g. "line is longer than 65536 bytes"
};

class LineReader {
 public:
  /// Opens a regular file (a folder, FIFO or device is refused: it could block or never end).
  /// `name` is how messages name it (the path as the user gave it).
  static Result<LineReader> open_file(const std::filesystem::path& file, std::string name,
                                      LineLimits limits = {});
  /// Reads an open descriptor (stdin), which stays open afterwards.
  static LineReader from_fd(int fd, std::string name, LineLimits limits = {});
  /// Reads `text`, which must outlive the reader; `first_line` numbers its first line.
  static LineReader from_text(std::string_view text, std::string name, std::size_t first_line = 1,
                              LineLimits limits = {});

  LineReader(LineReader&&) noexcept;
  LineReader& operator=(LineReader&&) noexcept;
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader();

  /// The next line without its ending (valid until the next call), nullopt at the end.
  tl::expected<std::optional<std::string_view>, LineError> next();
  /// 1-based number of the line last returned by next() (0 before the first).
  [[nodiscard]] std::size_t line() const { return line_; }
  /// True when the line last returned ended with CRLF rather than LF (or nothing).
  [[nodiscard]] bool ended_with_crlf() const { return crlf_; }
  /// How messages name the input.
  [[nodiscard]] const std::string& name() const { return name_; }
  /// "<name>:<line>: <message>", the form every reader's errors take.
  [[nodiscard]] std::string where(std::size_t line, std::string_view message) const;
  /// Lower-case hex SHA-256 of every byte read so far; complete once next() returned nullopt.
  [[nodiscard]] std::string sha256_hex() const { return hash_.hex(); }

 private:
  LineReader(int fd, bool owned, std::string name, LineLimits limits);
  /// Reads more bytes after the unconsumed ones; false at the end of the input.
  tl::expected<bool, LineError> fill();

  int fd_ = -1;         ///< -1 for text in memory
  bool owned_ = false;  ///< close fd_ at the end
  std::string name_;
  LineLimits limits_;
  Sha256 hash_;
  std::vector<char> buf_;       ///< file and descriptor input
  const char* data_ = nullptr;  ///< buf_.data(), or the text in memory
  std::size_t begin_ = 0;       ///< first unconsumed byte
  std::size_t end_ = 0;         ///< one past the last byte available
  std::size_t line_ = 0;
  bool eof_ = false;
  bool crlf_ = false;
};

}  // namespace dfx::text
