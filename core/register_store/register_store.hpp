// The local register: stolen/lost/... reports about identifiers, in one SQLite file (the
// embedded default register of dfx). Pure C++ over sqlite/sqlite.hpp; the tables are described
// in register_schema.hpp.
//
// A register proves what it is. Only `dfx register import` writes it (open_for_import); checks
// open it read-only (open_for_reading), create nothing, and never wait for an importer: in WAL
// mode they see the last committed import. Every record carries a digest chained to the next
// record, and the state after each import is sealed (record_digest.hpp): a lookup checks the
// records it reads and the gap it falls in, so a record changed, removed or added outside an
// import makes the lookups it affects fail (an error, never a miss), and verify() walks the
// whole register. Re-imports keep history: a changed record's earlier versions are kept with
// the import that wrote them and the one that replaced them.
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
  std::int64_t records = 0;         ///< records in the register after this import
  std::string content_sha256;       ///< the register's content digest after this import
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
  std::int64_t history = 0;    ///< earlier versions of changed records kept
  std::string content_sha256;  ///< of the sealed state ("" when nothing was imported)
};

/// One earlier version of a record, kept when an import changed it.
struct HistoryEntry {
  Record record;                 ///< what it said then
  std::int64_t recorded_by = 0;  ///< the import that wrote this version
  std::int64_t replaced_by = 0;  ///< the import that changed it
};

/// What verify() found by walking every record.
struct Verification {
  std::int64_t records = 0;    ///< records walked
  std::string content_sha256;  ///< computed from them
  /// "" when every record matches its digest and the sealed state matches the walk; otherwise
  /// one sentence naming the first problem and how many records are wrong.
  std::string problem;
};

/// The distinct identifiers of one kind, read in one snapshot.
struct KindIdentifiers {
  /// The content digest of the sealed state they were read under ("" when nothing was
  /// imported): what sealed_content_sha256() answers while the register still holds them.
  std::string content_sha256;
  std::vector<std::string> identifiers;  ///< canonical forms, in key order, each once
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
  /// another status, date or notes (the earlier version goes to the history), unchanged
  /// otherwise (so re-importing a file adds nothing).
  Result<PutOutcome> put(const Record& r);

  /// Records the file's digest and the counts, chains the records' digests, seals the new state
  /// and commits. Returns the import as stored.
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
  static constexpr std::int64_t kSchemaVersion = 2;

  /// For `dfx register import`: opens the register at `path`, creating the file and its folders
  /// when missing, in WAL mode (the -wal and -shm files are kept, so that readers need not
  /// create them). Fails on a file that is not a register as this dfx writes it.
  static Result<RegisterStore> open_for_import(const std::filesystem::path& path);

  /// For checks: opens an existing register read-only. Nothing is created (a missing file is an
  /// error), no lock makes an importer or the reader wait. The schema must be exactly this
  /// dfx's and the sealed state must hold. A register in a folder this process cannot write (on
  /// read-only media) is opened immutable when it has no pending -wal content.
  static Result<RegisterStore> open_for_reading(const std::filesystem::path& path);

  /// For `dfx register verify`: opens an existing register read-only like open_for_reading, but
  /// without refusing a damaged one, so that verify() can say what is wrong.
  static Result<RegisterStore> open_for_verifying(const std::filesystem::path& path);

  RegisterStore(RegisterStore&&) noexcept = default;
  RegisterStore& operator=(RegisterStore&&) noexcept = default;

  /// True when the register holds no record (nothing was ever imported): a register plugin
  /// must then answer with errors, never with misses.
  Result<bool> empty();

  /// Calls `on_record(i, record)` for every record of keys[i]; a key with no call is a miss.
  /// Keys are visited in index order, the records of one key in a row, sorted by (source,
  /// reference). The batch reads one consistent snapshot (one read transaction) whose sealed
  /// state is checked first; for each key, its records, the record before and the record after
  /// are checked against their digests before any is reported. A check that fails ends the batch
  /// with an error naming the register and the record: keys before it were answered, the rest
  /// must be treated as not looked up.
  Result<void> lookup(std::span<const LookupKey> keys,
                      const std::function<void(std::size_t, const RecordView&)>& on_record);

  /// lookup() into owned records: result[i] holds the records of keys[i].
  Result<std::vector<std::vector<Record>>> lookup(std::span<const LookupKey> keys);

  /// The content digest of the sealed state ("" when nothing was imported), as stats() gives
  /// it, but read from the state row alone (with the checks of its seal: the last import and
  /// the first record, two indexed reads; no record is walked). Every import that changes a
  /// record changes it, and so does replacing the file with a register holding other records:
  /// a cache built from the records is current while this digest is the one it was built under.
  Result<std::string> sealed_content_sha256();

  /// SQLite's data version of this connection: it changes whenever another connection commits to
  /// the file, an import or a change made outside dfx alike. Cheap; for caches built from the
  /// register (the sealed digest alone does not change when the file is edited by hand).
  Result<std::int64_t> data_version();

  /// Every distinct identifier of `kind`, in one read transaction. The kind's records, the record
  /// before them and the record after are checked against their digests as a lookup checks one
  /// identifier's, so that a record added or removed outside an import fails the list (an error
  /// naming the register) instead of silently joining or leaving it. Reads the kind's every
  /// record: meant for building an index once per import, not per request.
  Result<KindIdentifiers> identifiers_of(std::string_view kind);

  /// Starts an import of `file` (its absolute path is recorded) in `format` ("csv"/"jsonl"). The
  /// whole register is verified first, inside the import's transaction: an import never seals
  /// over a change made outside dfx.
  Result<ImportWriter> begin_import(std::string_view file, std::string_view format);

  /// Counts by kind and status, distinct identifiers, imports, history, file size (scans the
  /// table; the sealed state is checked, the records are not: see verify()).
  Result<Stats> stats();

  /// The earlier versions of the records of `key`, oldest first.
  Result<std::vector<HistoryEntry>> history(const LookupKey& key);

  /// Walks every record, checking its digest, and compares the count and the content digest
  /// with the sealed state. An error only when the file cannot be read.
  Result<Verification> verify();

  /// The register file.
  [[nodiscard]] const std::filesystem::path& path() const { return db_.path(); }

 private:
  explicit RegisterStore(sqlite::Database db) : db_(std::move(db)) {}
  static Result<RegisterStore> open_read_only(const std::filesystem::path& path, bool check);

  sqlite::Database db_;
  std::optional<sqlite::Statement> from_;    ///< a key's records and the record after them
  std::optional<sqlite::Statement> before_;  ///< the record before a key's records
};

}  // namespace dfx::register_store
