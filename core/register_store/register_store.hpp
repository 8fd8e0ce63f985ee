// The local register: stolen/lost/... reports about identifiers, in one SQLite file (the
// embedded default register of dfx). Pure C++ over sqlite/sqlite.hpp.
//
// Schema (version 1, in `register_schema_version`; the file holds nothing else):
//   register_entry(kind, identifier, source, reference, status, reported_at, notes,
//                  added_by, updated_by)  WITHOUT ROWID, PRIMARY KEY (kind, identifier, source,
//                  reference): a lookup is one B-tree descent, and a record is one party's report
//                  (the same identifier may have several, from several parties);
//   register_import(id, file, sha256, format, imported_at, rows_added, rows_updated,
//                   rows_unchanged, rows_skipped): one row per committed import.
// The file runs in WAL mode with a busy timeout: any number of dfx processes read while one
// imports, and keep seeing the previous state until the import commits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "register_store/record.hpp"
#include "sqlite/sqlite.hpp"

namespace dfx::register_store {

/// An identifier to look up: a stored kind ("imei"...) and its canonical form.
struct LookupKey {
  std::string_view kind;
  std::string_view identifier;
};

/// One record found by a lookup; the views are valid during the callback only.
struct RecordView {
  std::string_view status, reported_at, source, reference, notes;
};

/// One committed import.
struct ImportInfo {
  std::int64_t id = 0;
  std::string file;                 ///< absolute path of the imported file
  std::string sha256;               ///< lower-case hex SHA-256 of its bytes
  std::string format;               ///< "csv" or "jsonl"
  std::string imported_at;          ///< UTC, "2024-05-01T12:34:56Z"
  std::int64_t rows_added = 0;      ///< records that were new
  std::int64_t rows_updated = 0;    ///< records whose status, date or notes changed
  std::int64_t rows_unchanged = 0;  ///< records already present exactly so
  std::int64_t rows_skipped = 0;    ///< invalid rows left out (skip_invalid)
};

/// What `dfx register stats` shows.
struct Stats {
  std::filesystem::path path;
  std::uintmax_t file_bytes = 0;  ///< the database file plus its -wal file
  std::int64_t records = 0;
  std::int64_t distinct_identifiers = 0;                        ///< distinct (kind, identifier)
  std::vector<std::pair<std::string, std::int64_t>> by_kind;    ///< in kind order
  std::vector<std::pair<std::string, std::int64_t>> by_status;  ///< in status order
  std::vector<ImportInfo> imports;                              ///< oldest first
};

/// What happened to one record given to ImportWriter::put.
enum class PutOutcome { Added, Updated, Unchanged };

class RegisterStore;

/// One import in progress: a write transaction (BEGIN IMMEDIATE) with its import row. Nothing
/// is visible to other connections until finish(); destroying it unfinished rolls everything
/// back. The store must outlive it and must not run lookups while it is open.
class ImportWriter {
 public:
  ImportWriter(ImportWriter&&) noexcept = default;
  ImportWriter& operator=(ImportWriter&&) = delete;

  /// Stores `r` (kind, identifier canonical; status validated) under this import: added when
  /// its key (kind, identifier, source, reference) is new, updated when the key exists with
  /// another status, date or notes, unchanged otherwise (so re-importing a file adds nothing).
  Result<PutOutcome> put(const Record& r);

  /// Records the file's digest and the counts, and commits. Returns the import as stored.
  Result<ImportInfo> finish(std::string_view sha256, std::int64_t rows_skipped);

  /// Rows given to put() so far (added + updated + unchanged).
  [[nodiscard]] std::int64_t rows_stored() const {
    return info_.rows_added + info_.rows_updated + info_.rows_unchanged;
  }

  /// The import's id (its added_by / updated_by value in register_entry).
  [[nodiscard]] std::int64_t id() const { return info_.id; }

 private:
  friend class RegisterStore;
  ImportWriter(sqlite::Transaction tx, sqlite::Statement upsert, sqlite::Database* db,
               ImportInfo info)
      : tx_(std::move(tx)), upsert_(std::move(upsert)), db_(db), info_(std::move(info)) {}

  sqlite::Transaction tx_;
  sqlite::Statement upsert_;
  sqlite::Database* db_;
  ImportInfo info_;
};

/// An open register file.
class RegisterStore {
 public:
  /// The schema version this code reads and writes.
  static constexpr std::int64_t kSchemaVersion = 1;

  /// Opens the register at `path`, creating the file, its folders and the schema when missing,
  /// and switching it to WAL mode. Fails on a file that is not a dfx register or has a newer
  /// schema.
  static Result<RegisterStore> open(const std::filesystem::path& path);

  RegisterStore(RegisterStore&&) noexcept = default;
  RegisterStore& operator=(RegisterStore&&) noexcept = default;

  /// True when the register holds no record (nothing was ever imported): a register plugin
  /// must then answer with errors, never with misses.
  Result<bool> empty();

  /// Calls `on_record(i, record)` for every record of keys[i]; a key with no call is a miss.
  /// Keys are visited in index order, the records of one key in a row, sorted by (source,
  /// reference). (Visiting a batch of 1,000 in key order was measured: no gain on 10M rows.) The
  /// batch reads one consistent snapshot (one read transaction) and reuses one prepared statement.
  /// On an error, the key whose records were being read when it happened may have had only some of
  /// them reported.
  Result<void> lookup(std::span<const LookupKey> keys,
                      const std::function<void(std::size_t, const RecordView&)>& on_record);

  /// lookup() into owned records: result[i] holds the records of keys[i].
  Result<std::vector<std::vector<Record>>> lookup(std::span<const LookupKey> keys);

  /// Starts an import of `file` (its absolute path is recorded) in `format` ("csv"/"jsonl").
  Result<ImportWriter> begin_import(std::string_view file, std::string_view format);

  /// Counts by kind and status, distinct identifiers, imports, file size (scans the table).
  Result<Stats> stats();

  /// The register file.
  [[nodiscard]] const std::filesystem::path& path() const { return db_.path(); }

 private:
  explicit RegisterStore(sqlite::Database db) : db_(std::move(db)) {}

  sqlite::Database db_;
  std::optional<sqlite::Statement> lookup_;  ///< prepared on first use, reused by every batch
};

}  // namespace dfx::register_store
