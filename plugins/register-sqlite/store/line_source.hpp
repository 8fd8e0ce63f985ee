// Reads a file line by line with bounded memory, hashing every byte on the way (SHA-256), so
// that a 10-million-row register file is imported in one pass without being held in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace dfx::reg {

/// Longest line accepted, without its line ending. Register rows are a few hundred bytes; a
/// longer line means a wrong file (or a binary one), better named than buffered.
inline constexpr std::size_t kMaxLineBytes = 64 * 1024;

/// Largest file accepted. Files are streamed, so this is not a memory limit: it only stops a
/// mistaken `dfx register import` of a disk image before it runs for an hour.
inline constexpr std::uintmax_t kMaxFileBytes = 16ull << 30;

class LineSource {
 public:
  /// Opens `file` for reading; `name` is how messages name it (the path as the user gave it).
  static Result<LineSource> open(const std::filesystem::path& file, std::string name);

  LineSource(LineSource&&) noexcept;
  LineSource& operator=(LineSource&&) noexcept;
  ~LineSource();

  /// The next line without its LF or CRLF ending (valid until the next call), nullopt at the
  /// end of the file, or an error naming the file and line (too long, read failure).
  Result<std::optional<std::string_view>> next();

  /// 1-based number of the line last returned by next().
  [[nodiscard]] std::size_t line() const { return line_; }

  /// How messages name the file.
  [[nodiscard]] const std::string& name() const { return name_; }

  /// Lower-case hex SHA-256 of every byte read; complete once next() returned nullopt.
  [[nodiscard]] std::string sha256_hex() const;

 private:
  struct Hash;
  LineSource(int fd, std::string name, std::unique_ptr<Hash> hash);
  /// Reads more bytes after the unconsumed ones; false at the end of the file.
  Result<bool> fill();

  int fd_ = -1;
  std::string name_;
  std::unique_ptr<Hash> hash_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;  ///< first unconsumed byte in buf_
  std::size_t end_ = 0;    ///< one past the last byte read into buf_
  std::size_t line_ = 0;
  bool eof_ = false;
};

}  // namespace dfx::reg
