// The index behind GET /v1/range/<kind>/<prefix>: the stored identifiers of one kind by the
// SHA-256 of their canonical form, so that a client can ask for a hash prefix and compare the
// suffixes itself, without the server learning which identifier it holds.
//
// An index is a snapshot: it is tagged with the content digest of the sealed register state it
// was built from (RegisterStore::sealed_content_sha256), and whoever answers from it must rebuild
// it when the register's digest is no longer that tag. A stale index would turn a hit into a
// miss.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "register_store/register_store.hpp"

namespace dfx::registerd {

/// The shortest and longest prefixes a range request may give, in hex digits. Four digits
/// already spread a register over 65,536 buckets; 32 (128 bits) is as precise as anyone needs.
inline constexpr std::size_t kMinPrefixDigits = 4, kMaxPrefixDigits = 32;

/// A SHA-256 digest.
using KeyHash = std::array<unsigned char, 32>;

/// `text` as a prefix (lower-cased; upper-case digits are accepted), or why it is not one: not
/// kMinPrefixDigits..kMaxPrefixDigits characters long, or not hexadecimal. The reason does not
/// repeat the prefix.
Result<std::string> parse_hash_prefix(std::string_view text);

/// The 64 lower-case hex digits of `hash`.
std::string hash_hex(const KeyHash& hash);

/// The identifiers of one kind, sorted by the SHA-256 of their UTF-8 bytes.
class KeyHashIndex {
 public:
  struct Entry {
    KeyHash hash;            ///< SHA-256 of `identifier`
    std::string identifier;  ///< the canonical form, as stored
  };

  /// Indexes `identifiers` (distinct canonical forms of one kind) under the tag
  /// `content_sha256`. Fails only if hashing fails (OpenSSL).
  static Result<KeyHashIndex> from_identifiers(std::string content_sha256,
                                               const std::vector<std::string>& identifiers);

  /// Indexes the identifiers of `kind` in `store` (RegisterStore::identifiers_of: one snapshot,
  /// whose records are checked), tagged with that snapshot's content digest.
  static Result<KeyHashIndex> build(register_store::RegisterStore& store, std::string_view kind);

  /// The content digest of the register state this index was built from.
  [[nodiscard]] const std::string& content_sha256() const { return content_sha256_; }

  /// How many identifiers it holds.
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

  /// The entries whose hash's hex digits start with `prefix` (as parse_hash_prefix returns
  /// it), in hash order; valid until the index is rebuilt.
  [[nodiscard]] std::span<const Entry> matching(std::string_view prefix) const;

 private:
  std::string content_sha256_;
  std::vector<Entry> entries_;  ///< sorted by hash
};

}  // namespace dfx::registerd
