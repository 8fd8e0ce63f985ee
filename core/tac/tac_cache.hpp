// The TAC table in memory, for bulk work (`dfx normalize` over millions of lines): loaded once,
// then each lookup is a binary search over packed integer keys instead of an SQL query.
//
// Compact on purpose: brand and model texts live in one arena string and each TAC is 12 bytes,
// so loading 22,000 TACs costs a few allocations rather than ~90,000 small strings (whose page
// faults made loading take longer than normalizing 100,000 lines).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "tac/tac_db.hpp"

namespace dfx::tac {

/// Brand and model of a TAC, as views into the cache that returned them.
struct TacName {
  std::string_view brand;
  std::string_view model;
};

class TacCache {
 public:
  /// An empty cache: every find() misses.
  TacCache() = default;

  /// Loads every TAC of `db`.
  static Result<TacCache> load(TacDatabase& db);

  /// Adds a TAC; ignored when `tac` is not 8 digits. Call finish() after the last add().
  void add(std::string_view tac, std::string_view brand, std::string_view model);
  /// Sorts what was added so that find() works; of two entries with the same TAC, the first
  /// added is kept (the database's primary key forbids both anyway).
  void finish();

  /// Brand and model for `tac` (8 digits), or nullopt when unknown or not 8 digits. The views
  /// stay valid as long as the cache (and until the next add()).
  [[nodiscard]] std::optional<TacName> find(std::string_view tac) const noexcept;

  /// Number of TACs held (after finish()).
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    std::uint32_t key;     ///< the TAC as a number
    std::uint32_t offset;  ///< brand text at arena_[offset], model right after it
    std::uint16_t brand_size;
    std::uint16_t model_size;
  };
  std::vector<Entry> entries_;  ///< sorted by key after finish()
  std::string arena_;
};

}  // namespace dfx::tac
