// The TAC table of the local dfx database (SQLite, the project's embedded default store):
// type allocation code -> brand and model, and a record of each import (source file, its
// SHA-256, licence banner, time) so that a report can say which list a brand came from.
//
// Schema (version 1, in the `schema_version` table that the whole database shares):
//   tac(tac TEXT PRIMARY KEY, brand, model, aka)        -- replaced as a whole by each import
//   tac_import(id, source, sha256, banner, imported_at, rows, skipped)   -- one row per import
// The database runs in WAL mode: readers (dfx normalize, lookups) never block an import and
// keep seeing the previous list until the import commits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "sqlite/sqlite.hpp"
#include "tac/osmocom.hpp"

namespace dfx::tac {

/// What the database knows about one TAC.
struct TacInfo {
  std::string tac;    ///< 8 digits
  std::string brand;  ///< e.g. "Oppo"
  std::string model;  ///< e.g. "N1" (may be empty)
  std::string aka;    ///< other model names, comma-separated (may be empty)
};

/// Where the current TAC list came from.
struct ImportRecord {
  std::string source;        ///< the imported file's absolute path
  std::string sha256;        ///< lower-case hex SHA-256 of the file's bytes
  std::string banner;        ///< its licence line ("" when it had none)
  std::string imported_at;   ///< UTC, ISO 8601: "2024-05-01T12:34:56Z"
  std::int64_t rows = 0;     ///< TACs imported
  std::int64_t skipped = 0;  ///< malformed rows left out (--skip-invalid)
};

class TacDatabase {
 public:
  /// The schema version this code reads and writes.
  static constexpr std::int64_t kSchemaVersion = 1;

  /// Opens the database at `path`. ReadWriteCreate creates the file, its folders and the schema
  /// when missing and switches the file to WAL mode; ReadOnly fails when the file is missing or
  /// is not a dfx database. Both fail on a schema newer than kSchemaVersion.
  static Result<TacDatabase> open(const std::filesystem::path& path,
                                  sqlite::Database::Access access);

  /// Replaces every TAC with `list.rows` and appends an import record, in one transaction: on
  /// any failure nothing changes and other processes never see a partial list. `source` and
  /// `sha256` describe the file (see ImportRecord). Returns the record written.
  Result<ImportRecord> replace_all(const TacList& list, std::string_view source,
                                   std::string_view sha256);

  /// The entry for `tac` (8 digits), or nullopt when it is not in the list.
  Result<std::optional<TacInfo>> lookup(std::string_view tac);

  /// Calls `row(tac, brand, model)` for every TAC, in TAC order (to build an in-memory cache
  /// without an object per row). The views are valid during the call only.
  Result<void> for_each(
      const std::function<void(std::string_view, std::string_view, std::string_view)>& row);

  /// The most recent import, or nullopt when nothing was imported yet.
  Result<std::optional<ImportRecord>> last_import();

  /// Number of TACs in the table.
  Result<std::int64_t> count();

  /// The database file.
  [[nodiscard]] const std::filesystem::path& path() const { return db_.path(); }

 private:
  explicit TacDatabase(sqlite::Database db) : db_(std::move(db)) {}

  sqlite::Database db_;
};

}  // namespace dfx::tac
