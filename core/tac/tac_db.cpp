#include "tac/tac_db.hpp"

#include <chrono>
#include <ctime>

namespace dfx::tac {
namespace {

// Version 1. CHECK constraints repeat the importer's rules so that a bug (or another writer)
// cannot store a TAC that lookups would never find.
constexpr std::string_view kSchemaTac = R"sql(
CREATE TABLE IF NOT EXISTS tac (
  tac   TEXT PRIMARY KEY NOT NULL CHECK (length(tac) = 8 AND tac NOT GLOB '*[^0-9]*'),
  brand TEXT NOT NULL CHECK (brand <> ''),
  model TEXT NOT NULL,
  aka   TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tac_import (
  id          INTEGER PRIMARY KEY,
  source      TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  banner      TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  rows        INTEGER NOT NULL,
  skipped     INTEGER NOT NULL
);
)sql";

std::string utc_now_iso8601() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The version in schema_version, nullopt when the table is empty, an error when it is missing
// (the file is some other SQLite database) or unreadable.
Result<std::optional<std::int64_t>> schema_version(Sqlite& db) {
  auto has = db.prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!has) return tl::unexpected(std::move(has.error()));
  if (auto r = has->step(); !r) return tl::unexpected(std::move(r.error()));
  if (has->integer(0) == 0)
    return fail(db.path().string() + " is not a dfx database (it has no schema_version table)");
  auto q = db.prepare("SELECT max(version) FROM schema_version");
  if (!q) return tl::unexpected(std::move(q.error()));
  auto r = q->step();
  if (!r) return tl::unexpected(std::move(r.error()));
  if (q->text(0).empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(q->integer(0));
}

Result<void> check_version(const Sqlite& db, std::int64_t version) {
  if (version > TacDatabase::kSchemaVersion)
    return fail(db.path().string() + " was written by a newer dfx (schema version " +
                std::to_string(version) + "; this dfx knows version " +
                std::to_string(TacDatabase::kSchemaVersion) + ")");
  return {};
}

Result<void> create_schema(Sqlite& db) {
  // WAL: readers and one writer work at the same time; must be set outside a transaction.
  if (auto r = db.exec("PRAGMA journal_mode = WAL"); !r) return r;
  auto tx = Transaction::begin(db);
  if (!tx) return tl::unexpected(std::move(tx.error()));
  if (auto r = db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); !r)
    return r;
  auto version = schema_version(db);
  if (!version) return tl::unexpected(std::move(version.error()));
  if (!*version) {
    auto ins = db.prepare("INSERT INTO schema_version (version) VALUES (?)");
    if (!ins) return tl::unexpected(std::move(ins.error()));
    if (auto r = ins->bind(1, TacDatabase::kSchemaVersion).step(); !r)
      return tl::unexpected(std::move(r.error()));
  } else if (auto r = check_version(db, **version); !r) {
    return r;
  }
  if (auto r = db.exec(kSchemaTac); !r) return r;
  return tx->commit();
}

TacInfo row_info(const Statement& s) {
  return {std::string(s.text(0)), std::string(s.text(1)), std::string(s.text(2)),
          std::string(s.text(3))};
}

}  // namespace

Result<TacDatabase> TacDatabase::open(const std::filesystem::path& path, Sqlite::Access access) {
  auto db = Sqlite::open(path, access);
  if (!db) return tl::unexpected(std::move(db.error()));
  if (access == Sqlite::Access::ReadWriteCreate) {
    if (auto r = create_schema(*db); !r) return tl::unexpected(std::move(r.error()));
  } else {
    auto version = schema_version(*db);
    if (!version) return tl::unexpected(std::move(version.error()));
    if (!*version) return fail(path.string() + " has an empty schema_version table");
    if (auto r = check_version(*db, **version); !r) return tl::unexpected(std::move(r.error()));
  }
  return TacDatabase(std::move(*db));
}

Result<ImportRecord> TacDatabase::replace_all(const TacList& list, std::string_view source,
                                              std::string_view sha256) {
  auto tx = Transaction::begin(db_);
  if (!tx) return tl::unexpected(std::move(tx.error()));
  if (auto r = db_.exec("DELETE FROM tac"); !r) return tl::unexpected(std::move(r.error()));
  auto ins = db_.prepare("INSERT INTO tac (tac, brand, model, aka) VALUES (?, ?, ?, ?)");
  if (!ins) return tl::unexpected(std::move(ins.error()));
  for (const auto& row : list.rows) {
    ins->bind(1, row.tac).bind(2, row.brand).bind(3, row.model).bind(4, row.aka);
    if (auto r = ins->step(); !r)
      return tl::unexpected(std::move(r.error()).context(
          std::string(source) + ":" + std::to_string(row.line) + ": storing TAC " + row.tac));
    ins->reset();
  }
  ImportRecord rec{std::string(source),
                   std::string(sha256),
                   list.banner,
                   utc_now_iso8601(),
                   static_cast<std::int64_t>(list.rows.size()),
                   static_cast<std::int64_t>(list.skipped.size())};
  auto log = db_.prepare(
      "INSERT INTO tac_import (source, sha256, banner, imported_at, rows, skipped) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!log) return tl::unexpected(std::move(log.error()));
  log->bind(1, rec.source).bind(2, rec.sha256).bind(3, rec.banner).bind(4, rec.imported_at);
  log->bind(5, rec.rows).bind(6, rec.skipped);
  if (auto r = log->step(); !r) return tl::unexpected(std::move(r.error()));
  if (auto r = tx->commit(); !r) return tl::unexpected(std::move(r.error()));
  return rec;
}

Result<std::optional<TacInfo>> TacDatabase::lookup(std::string_view tac) {
  auto q = db_.prepare("SELECT tac, brand, model, aka FROM tac WHERE tac = ?");
  if (!q) return tl::unexpected(std::move(q.error()));
  q->bind(1, tac);
  auto r = q->step();
  if (!r) return tl::unexpected(std::move(r.error()));
  if (!*r) return std::optional<TacInfo>();
  return std::optional<TacInfo>(row_info(*q));
}

Result<void> TacDatabase::for_each(
    const std::function<void(std::string_view, std::string_view, std::string_view)>& row) {
  auto q = db_.prepare("SELECT tac, brand, model FROM tac ORDER BY tac");
  if (!q) return tl::unexpected(std::move(q.error()));
  for (;;) {
    auto r = q->step();
    if (!r) return tl::unexpected(std::move(r.error()));
    if (!*r) return {};
    row(q->text(0), q->text(1), q->text(2));
  }
}

Result<std::optional<ImportRecord>> TacDatabase::last_import() {
  auto q = db_.prepare(
      "SELECT source, sha256, banner, imported_at, rows, skipped FROM tac_import "
      "ORDER BY id DESC LIMIT 1");
  if (!q) return tl::unexpected(std::move(q.error()));
  auto r = q->step();
  if (!r) return tl::unexpected(std::move(r.error()));
  if (!*r) return std::optional<ImportRecord>();
  return std::optional<ImportRecord>(ImportRecord{
      std::string(q->text(0)), std::string(q->text(1)), std::string(q->text(2)),
      std::string(q->text(3)), q->integer(4), q->integer(5)});
}

Result<std::int64_t> TacDatabase::count() {
  auto q = db_.prepare("SELECT count(*) FROM tac");
  if (!q) return tl::unexpected(std::move(q.error()));
  auto r = q->step();
  if (!r) return tl::unexpected(std::move(r.error()));
  return q->integer(0);
}

}  // namespace dfx::tac
