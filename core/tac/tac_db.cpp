#include "tac/tac_db.hpp"

#include "base/utc_time.hpp"
#include "sqlite/schema.hpp"

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

constexpr sqlite::SchemaVersion kSchema{"schema_version", TacDatabase::kSchemaVersion,
                                        "dfx database"};

Result<void> create_schema(sqlite::Database& db) {
  if (auto r = sqlite::use_wal(db); !r) return r;
  auto tx = sqlite::Transaction::begin(db);
  if (!tx) return tl::unexpected(std::move(tx.error()));
  if (auto r = sqlite::ensure_schema_version(db, kSchema); !r) return r;
  if (auto r = db.exec(kSchemaTac); !r) return r;
  return tx->commit();
}

TacInfo row_info(const sqlite::Statement& s) {
  return {std::string(s.text(0)), std::string(s.text(1)), std::string(s.text(2)),
          std::string(s.text(3))};
}

}  // namespace

Result<TacDatabase> TacDatabase::open(const std::filesystem::path& path,
                                      sqlite::Database::Access access) {
  auto db = sqlite::Database::open(path, access);
  if (!db) return tl::unexpected(std::move(db.error()));
  if (access == sqlite::Database::Access::ReadWriteCreate) {
    if (auto r = create_schema(*db); !r) return tl::unexpected(std::move(r.error()));
  } else if (auto v = sqlite::check_schema_version(*db, kSchema); !v) {
    return tl::unexpected(std::move(v.error()));
  }
  return TacDatabase(std::move(*db));
}

Result<ImportRecord> TacDatabase::replace_all(const TacList& list, std::string_view source,
                                              std::string_view sha256) {
  auto tx = sqlite::Transaction::begin(db_);
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
                   dfx::utc_now_iso8601(),
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
  return std::optional<ImportRecord>(ImportRecord{std::string(q->text(0)), std::string(q->text(1)),
                                                  std::string(q->text(2)), std::string(q->text(3)),
                                                  q->integer(4), q->integer(5)});
}

Result<std::int64_t> TacDatabase::count() {
  auto q = db_.prepare("SELECT count(*) FROM tac");
  if (!q) return tl::unexpected(std::move(q.error()));
  auto r = q->step();
  if (!r) return tl::unexpected(std::move(r.error()));
  return q->integer(0);
}

}  // namespace dfx::tac
