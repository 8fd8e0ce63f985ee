// Internal: the digests that let a reader prove that the records it reads are those `dfx register
// import` wrote, without reading the whole register.
//
// Every record carries a digest of its fields and of the key of the record after it in key
// order (a hash chain through the sorted table). The register state carries a seal over the
// first record's key, the number of records, the content digest (SHA-256 of every record digest
// in key order) and the last import. A lookup reads the records of its identifier, the record
// before them and the record after, and checks their digests and links: a record changed,
// deleted or inserted by anything but an import breaks a digest or a link on the path of the
// identifiers it affects. The digests are not keyed: they detect edits made outside dfx
// (a hex editor, the sqlite3 shell, a damaged disk, another program), not a forger who
// recomputes them with this code.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/sha256.hpp"

namespace dfx::register_store::detail {

/// A record's primary key, which orders the table.
struct RecordKey {
  std::string_view kind, identifier, source, reference;
  friend bool operator==(const RecordKey&, const RecordKey&) = default;
};

/// What a record digest covers: every column but the digest itself.
struct StoredRecord {
  RecordKey key;
  std::string_view status, reported_at, notes;
  std::int64_t added_by = 0;
  std::int64_t updated_by = 0;  ///< 0: never updated
};

/// What the seal covers: the register after its last import.
struct StateFields {
  std::int64_t import_id = 0;
  std::int64_t records = 0;
  std::string_view content_sha256;
  // The last import's row, so that its file digest is sealed too.
  std::string_view file, file_sha256, format, imported_at;
};

inline constexpr std::size_t kDigestBytes = 16;  // 128 bits: plenty against accidents
using Digest = std::array<unsigned char, kDigestBytes>;

/// Computes digests; one instance reuses one hashing context.
class Digester {
 public:
  /// The digest of `r` followed in key order by `next` (nullptr when `r` is the last record).
  Digest record(const StoredRecord& r, const RecordKey* next);
  /// The seal of the state, whose first record is `first` (nullptr when there is none).
  Digest seal(const StateFields& s, const RecordKey* first);

 private:
  void field(std::string_view bytes);
  void number(std::int64_t n);
  void key(const RecordKey* k);
  Digest finish();

  Sha256 sha_;
};

/// `d` as it is stored (a 16-byte blob) and read back.
std::string_view as_bytes(const Digest& d);
/// Whether the stored blob `stored` is `d`.
bool same(const Digest& d, std::string_view stored);

}  // namespace dfx::register_store::detail
