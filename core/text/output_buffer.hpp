// A growable byte buffer that bulk output (JSON lines, CSV) is written into and then handed to
// write(2) in large blocks.
//
// Why not std::string: even std::string::append showed up in profiles of `dfx normalize` (a call
// and a capacity check per piece); writers here reserve room once per value and write through a
// pointer (docs/benchmarks.md, "normalize").
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace dfx::text {

class OutputBuffer {
 public:
  explicit OutputBuffer(std::size_t capacity = 1 << 16);

  /// Appends bytes as they are.
  void raw(std::string_view s) {
    std::memcpy(reserve(s.size()), s.data(), s.size());
    pos_ += s.size();
  }
  /// Appends one byte as it is.
  void raw(char c) {
    *reserve(1) = c;
    ++pos_;
  }
  /// Room for `n` more bytes: the writer fills [p, p + k) with k <= n and calls commit(p + k).
  char* reserve(std::size_t n) {
    if (static_cast<std::size_t>(end_ - pos_) < n) grow(n);
    return pos_;
  }
  /// Ends a write started with reserve(): `end` is one past the last byte written.
  void commit(char* end) { pos_ = end; }

  /// What was written so far.
  [[nodiscard]] std::string_view view() const { return {buf_.get(), size()}; }
  [[nodiscard]] std::size_t size() const { return static_cast<std::size_t>(pos_ - buf_.get()); }
  /// Forgets the content, keeps the memory.
  void clear() { pos_ = buf_.get(); }

 private:
  void grow(std::size_t n);

  std::unique_ptr<char[]> buf_;
  char* pos_;
  char* end_;
};

}  // namespace dfx::text
