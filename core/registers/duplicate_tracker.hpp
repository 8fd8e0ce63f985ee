// Which identifiers a streamed check has seen, to point out duplicates, in bounded memory: a
// 10-million-line intake list must not grow the process without limit. Each identifier is kept
// as a 64-bit hash with where it came first, in one flat table; after kMaxTracked distinct
// identifiers no new ones are added (duplicates of the ones kept are still found), and saturated()
// says so, for the summary. A duplicate mark is information for people, never part of a verdict,
// so a hash collision (about 1 in 10^7 at the cap) could at worst mark a value wrongly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace dfx::registers {

class DuplicateTracker {
 public:
  /// Distinct identifiers remembered at most: 16 bytes each, the table at most twice that (32 MiB).
  static constexpr std::size_t kMaxTracked = 1'000'000;

  explicit DuplicateTracker(std::size_t max_tracked = kMaxTracked) : max_(max_tracked) {}

  /// Where `key` came first (a line or position), or nullopt when it is new, in which case it is
  /// remembered as coming at `where` (unless the table is full).
  std::optional<std::size_t> seen(std::string_view key, std::size_t where);

  /// True once an identifier could not be remembered: later duplicates of it go unmarked.
  [[nodiscard]] bool saturated() const { return saturated_; }
  /// Distinct identifiers remembered.
  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;  ///< 0: empty
    std::uint64_t where = 0;
  };
  void grow();

  std::size_t max_;
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  bool saturated_ = false;
};

}  // namespace dfx::registers
