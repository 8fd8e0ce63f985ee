#include "sqlite/schema.hpp"

#include <string>

namespace dfx::sqlite {
namespace {

Result<bool> has_table(Database& db, std::string_view table) {
  auto q = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  if (!q) return tl::unexpected(std::move(q.error()));
  auto r = q->bind(1, table).step();
  if (!r) return tl::unexpected(std::move(r.error()));
  return *r && q->integer(0) > 0;
}

Result<void> not_newer(const Database& db, const SchemaVersion& schema, std::int64_t version) {
  if (version > schema.version)
    return fail(db.path().string() + " was written by a newer dfx (" + std::string(schema.label) +
                " " + std::to_string(version) + "; this dfx knows version " +
                std::to_string(schema.version) + ")");
  return {};
}

}  // namespace

Result<std::int64_t> scalar(Database& db, std::string_view sql) {
  auto q = db.prepare(sql);
  if (!q) return tl::unexpected(std::move(q.error()));
  auto r = q->step();
  if (!r) return tl::unexpected(std::move(r.error()));
  return *r ? q->integer(0) : 0;
}

Result<void> use_wal(Database& db) {
  {  // the statement is finalized before the journal mode may change
    auto mode = db.prepare("PRAGMA journal_mode");
    if (!mode) return tl::unexpected(std::move(mode.error()));
    auto r = mode->step();
    if (!r) return tl::unexpected(std::move(r.error()));
    if (*r && mode->text(0) == "wal") return {};
  }
  return db.exec("PRAGMA journal_mode = WAL");
}

Result<void> ensure_schema_version(Database& db, const SchemaVersion& schema) {
  auto has = has_table(db, schema.table);
  if (!has) return tl::unexpected(std::move(has.error()));
  if (*has) {
    auto version = scalar(db, "SELECT max(version) FROM " + std::string(schema.table));
    if (!version) return tl::unexpected(std::move(version.error()));
    return not_newer(db, schema, *version);
  }
  auto tables = scalar(db, "SELECT count(*) FROM sqlite_master");
  if (!tables) return tl::unexpected(std::move(tables.error()));
  if (*tables > 0)
    return fail(db.path().string() + " is not a " + std::string(schema.what) +
                " (it has other tables and no " + std::string(schema.table) + " table)");
  if (auto c = db.exec("CREATE TABLE " + std::string(schema.table) + " (version INTEGER NOT NULL)");
      !c)
    return c;
  auto ins = db.prepare("INSERT INTO " + std::string(schema.table) + " (version) VALUES (?)");
  if (!ins) return tl::unexpected(std::move(ins.error()));
  if (auto s = ins->bind(1, schema.version).step(); !s) return tl::unexpected(std::move(s.error()));
  return {};
}

Result<std::int64_t> check_schema_version(Database& db, const SchemaVersion& schema) {
  auto has = has_table(db, schema.table);
  if (!has) return tl::unexpected(std::move(has.error()));
  if (!*has)
    return fail(db.path().string() + " is not a " + std::string(schema.what) + " (it has no " +
                std::string(schema.table) + " table)");
  auto q = db.prepare("SELECT max(version) FROM " + std::string(schema.table));
  if (!q) return tl::unexpected(std::move(q.error()));
  auto r = q->step();
  if (!r) return tl::unexpected(std::move(r.error()));
  if (!*r || q->text(0).empty())
    return fail(db.path().string() + " has an empty " + std::string(schema.table) + " table");
  if (auto n = not_newer(db, schema, q->integer(0)); !n)
    return tl::unexpected(std::move(n.error()));
  return q->integer(0);
}

}  // namespace dfx::sqlite
