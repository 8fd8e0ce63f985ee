// Internal: the record chain and the sealed state of a register (record_digest.hpp says what
// they prove): reading and checking the state, walking every record, checking the records
// around one identifier.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "register_store/record_digest.hpp"
#include "register_store/register_store.hpp"
#include "sqlite/sqlite.hpp"

namespace dfx::register_store::detail {

/// A record read from the table, owning its text.
struct OwnedRecord {
  std::string kind, identifier, source, reference, status, reported_at, notes, digest;
  std::int64_t added_by = 0, updated_by = 0;

  [[nodiscard]] RecordKey key() const { return {kind, identifier, source, reference}; }
  [[nodiscard]] StoredRecord stored() const {
    return {key(), status, reported_at, notes, added_by, updated_by};
  }
};

/// The columns every record query selects, in the order read_record expects.
inline constexpr std::string_view kRecordColumns =
    "kind, identifier, source, reference, status, reported_at, notes, added_by, "
    "coalesce(updated_by, 0), digest";

/// The current row of a statement selecting kRecordColumns.
OwnedRecord read_record(const sqlite::Statement& q);

/// The sealed state: what the last import left.
struct SealedState {
  bool present = false;  ///< false: nothing was ever imported
  std::int64_t records = 0;
  std::string content_sha256;
  ImportInfo last_import;
  std::optional<OwnedRecord> first;  ///< the first record in key order
};

/// Reads the state, the last import and the first record, and checks the seal. Run inside a
/// read transaction so that all come from one snapshot.
Result<SealedState> read_sealed_state(sqlite::Database& db);

/// What a walk through every record found.
struct Walk {
  std::int64_t records = 0;
  std::string content_sha256;  ///< over every record's (correct) digest, in key order
  std::int64_t rewritten = 0;  ///< digests written (fix)
  std::int64_t wrong = 0;      ///< records whose stored digest was wrong (check)
  std::string first_wrong;     ///< "imei 35381...: Metropolitan Police, MPS-1" ("" if none)
  std::optional<OwnedRecord> first;
};

/// Walks every record in key order computing its digest. With `fix` (an import, inside its
/// transaction) digests that differ are written; without, they are counted.
Result<Walk> walk_records(sqlite::Database& db, bool fix);

/// After an import's walk, inside its transaction: the import row's record count and content
/// digest, and the new sealed state.
Result<void> write_sealed_state(sqlite::Database& db, const ImportInfo& import, const Walk& walk);

/// "imei 353812084788745 (Metropolitan Police, MPS-1)": a record for messages.
std::string describe(const RecordKey& key);

/// Checks the records of one identifier as a lookup reads them: `before` (the record before
/// them in key order, if any), `records` (its records, in order) and `after` (the record after
/// them, if any). `state` gives the first record of the register, which has no predecessor.
/// Returns "" when every digest and link holds, else what is wrong.
std::string check_neighbourhood(Digester& digester, const SealedState& state,
                                const std::optional<OwnedRecord>& before,
                                const std::vector<OwnedRecord>& records,
                                const std::optional<OwnedRecord>& after);

}  // namespace dfx::register_store::detail
