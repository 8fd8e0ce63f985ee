// Versioned schemas: each dfx database file keeps the version of its tables in a one-column
// table, so that a file written by a newer dfx, or someone else's database, is refused rather
// than misread or altered.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/result.hpp"
#include "sqlite/sqlite.hpp"

namespace dfx::sqlite {

/// Which version table a file keeps, the version this dfx writes, and what the file is called in
/// messages ("dfx database", "dfx register").
struct SchemaVersion {
  std::string_view table;
  std::int64_t version = 1;
  std::string_view what;
  std::string_view label = "schema version";  ///< how messages name the version
};

/// For writers, inside their transaction: in a file without tables, creates the version table
/// with `schema.version`; in a file that has one, checks that its version is not newer. A file
/// with other tables and no version table is someone else's database: refused, never altered.
Result<void> ensure_schema_version(Database& db, const SchemaVersion& schema);

/// For readers: the version table must exist, hold a version, and not be newer than
/// `schema.version`. Returns the file's version.
Result<std::int64_t> check_schema_version(Database& db, const SchemaVersion& schema);

/// Puts the file in WAL mode (readers and one writer at the same time) unless it already is.
/// Must run outside a transaction; persistent, so only the first opener pays for it.
Result<void> use_wal(Database& db);

/// The single integer a query returns (count, max...); 0 when it returns no row or NULL.
Result<std::int64_t> scalar(Database& db, std::string_view sql);

}  // namespace dfx::sqlite
