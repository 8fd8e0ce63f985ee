// Internal: the register's tables, and the check that a file holds exactly them.
//
// Version 2 (in `register_schema_version`):
//   register_entry(kind, identifier, source, reference, status, reported_at, notes, added_by,
//                  updated_by, digest)  WITHOUT ROWID, PRIMARY KEY (kind, identifier, source,
//                  reference): a lookup is one B-tree descent, a record is one party's report;
//                  `digest` chains the records (record_digest.hpp);
//   register_import(id, file, sha256, format, imported_at, rows_added, rows_updated,
//                   rows_unchanged, rows_skipped, records, content_sha256): one row per import,
//                   with the register's size and content digest after it;
//   register_history(kind, identifier, source, reference, status, reported_at, notes,
//                    recorded_by, replaced_by): every earlier version of a changed record, kept by
//                    a trigger when an import changes its status, date or notes;
//   register_state(id = 1, import_id, records, content_sha256, seal): the sealed state.
// Version 1 (no digests) is refused: its content cannot be verified.
#pragma once

#include <cstdint>

#include "base/result.hpp"
#include "sqlite/sqlite.hpp"

namespace dfx::register_store::detail {

inline constexpr std::int64_t kSchemaVersion = 2;

/// For an import, inside its write transaction: creates the schema in a new (empty) file, or
/// checks that an existing register is exactly what this dfx writes.
Result<void> prepare_for_writing(sqlite::Database& db);

/// For a reader: the file is a version-2 register whose tables, indexes and triggers are exactly
/// those this dfx creates. A view in place of a table, an extra trigger or index, a changed
/// column: refused, naming what differs.
Result<void> check_for_reading(sqlite::Database& db);

}  // namespace dfx::register_store::detail
