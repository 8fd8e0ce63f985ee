#include "register_store/register_schema.hpp"

#include <string>
#include <tuple>
#include <vector>

#include "sqlite/schema.hpp"

namespace dfx::register_store::detail {
namespace {

constexpr sqlite::SchemaVersion kVersion{"register_schema_version", kSchemaVersion, "dfx register",
                                         "register schema version"};

// The CHECKs repeat the importer's rules, so that a bug cannot store a record that lookups would
// never find or that a register could not report. Kept in one statement list: readers compare a
// file's schema with what these statements create.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE register_import (
  id             INTEGER PRIMARY KEY,
  file           TEXT NOT NULL,
  sha256         TEXT NOT NULL,
  format         TEXT NOT NULL,
  imported_at    TEXT NOT NULL,
  rows_added     INTEGER NOT NULL DEFAULT 0,
  rows_updated   INTEGER NOT NULL DEFAULT 0,
  rows_unchanged INTEGER NOT NULL DEFAULT 0,
  rows_skipped   INTEGER NOT NULL DEFAULT 0,
  records        INTEGER NOT NULL DEFAULT 0,
  content_sha256 TEXT NOT NULL DEFAULT ''
);
CREATE TABLE register_entry (
  kind        TEXT NOT NULL CHECK (kind IN ('imei','meid','esn','iccid','imsi','eid','ecid',
                                            'udid','serial')),
  identifier  TEXT NOT NULL CHECK (identifier <> ''),
  source      TEXT NOT NULL CHECK (source <> ''),
  reference   TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('stolen','lost','blocked','fraud','other')),
  reported_at TEXT NOT NULL,
  notes       TEXT NOT NULL,
  added_by    INTEGER NOT NULL REFERENCES register_import (id),
  updated_by  INTEGER REFERENCES register_import (id),
  digest      BLOB NOT NULL DEFAULT x'',
  PRIMARY KEY (kind, identifier, source, reference)
) WITHOUT ROWID;
CREATE TABLE register_history (
  kind        TEXT NOT NULL,
  identifier  TEXT NOT NULL,
  source      TEXT NOT NULL,
  reference   TEXT NOT NULL,
  status      TEXT NOT NULL,
  reported_at TEXT NOT NULL,
  notes       TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES register_import (id),
  replaced_by INTEGER NOT NULL REFERENCES register_import (id)
);
CREATE INDEX register_history_by_identifier ON register_history (kind, identifier);
CREATE TABLE register_state (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  import_id      INTEGER NOT NULL REFERENCES register_import (id),
  records        INTEGER NOT NULL,
  content_sha256 TEXT NOT NULL,
  seal           BLOB NOT NULL
);
CREATE TRIGGER register_entry_keeps_history
BEFORE UPDATE OF status, reported_at, notes ON register_entry
WHEN OLD.status IS NOT NEW.status OR OLD.reported_at IS NOT NEW.reported_at
  OR OLD.notes IS NOT NEW.notes
BEGIN
  INSERT INTO register_history
    (kind, identifier, source, reference, status, reported_at, notes, recorded_by, replaced_by)
  VALUES (OLD.kind, OLD.identifier, OLD.source, OLD.reference, OLD.status, OLD.reported_at,
          OLD.notes, coalesce(OLD.updated_by, OLD.added_by), NEW.updated_by);
END;
)sql";

constexpr std::string_view kVersionTable =
    "CREATE TABLE register_schema_version (version INTEGER NOT NULL)";

// One schema object as sqlite_schema describes it. SQLite's own objects (sqlite_stat1 after an
// ANALYZE...) only guide its query planner and are left out.
using SchemaObject = std::tuple<std::string, std::string, std::string, std::string>;

Result<std::vector<SchemaObject>> objects_of(sqlite::Database& db) {
  auto q = db.prepare(
      "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema "
      "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name");
  if (!q) return tl::unexpected(std::move(q.error()));
  std::vector<SchemaObject> out;
  for (;;) {
    auto r = q->step();
    if (!r) return tl::unexpected(std::move(r.error()));
    if (!*r) return out;
    out.emplace_back(q->text(0), q->text(1), q->text(2), q->text(3));
  }
}

// What this dfx creates, as SQLite records it: built once in a private in-memory database.
Result<std::vector<SchemaObject>> expected_objects() {
  auto db = sqlite::Database::open(":memory:", sqlite::Database::Access::ReadWriteCreate);
  if (!db) return tl::unexpected(std::move(db.error()));
  if (auto r = db->exec(kVersionTable); !r) return tl::unexpected(std::move(r.error()));
  if (auto r = db->exec(kSchema); !r) return tl::unexpected(std::move(r.error()));
  return objects_of(*db);
}

std::string describe(const SchemaObject& o) {
  return std::get<0>(o) + " " + std::get<1>(o);
}

// Names the first difference between the file's objects and the expected ones.
Result<void> compare(const sqlite::Database& db, const std::vector<SchemaObject>& found,
                     const std::vector<SchemaObject>& expected) {
  for (const auto& e : expected) {
    bool same_name = false;
    for (const auto& f : found) {
      if (f == e) {
        same_name = true;
        break;
      }
      if (std::get<1>(f) == std::get<1>(e))
        return fail(db.path().string() + " is not a register as dfx writes it: its " + describe(f) +
                    " differs from the " + describe(e) + " dfx creates");
    }
    if (!same_name)
      return fail(db.path().string() + " is not a register as dfx writes it: it has no " +
                  describe(e));
  }
  for (const auto& f : found) {
    bool known = false;
    for (const auto& e : expected) known |= std::get<1>(f) == std::get<1>(e);
    if (!known)
      return fail(db.path().string() + " is not a register as dfx writes it: it has an extra " +
                  describe(f));
  }
  return {};
}

Result<void> check_exact(sqlite::Database& db) {
  static const auto expected = expected_objects();
  if (!expected) return tl::unexpected(expected.error());
  auto found = objects_of(db);
  if (!found) return tl::unexpected(std::move(found.error()));
  return compare(db, *found, *expected);
}

Result<void> refuse_version_1(const sqlite::Database& db, std::int64_t version) {
  if (version < kSchemaVersion)
    return fail(db.path().string() + " is a register written by an earlier dfx (" +
                std::string(kVersion.label) + " " + std::to_string(version) +
                ", without record digests): its content cannot be verified; import its source "
                "files into a new register");
  return {};
}

}  // namespace

Result<void> prepare_for_writing(sqlite::Database& db) {
  auto tables = sqlite::scalar(db, "SELECT count(*) FROM sqlite_schema");
  if (!tables) return tl::unexpected(std::move(tables.error()));
  if (*tables == 0) {
    if (auto c = sqlite::ensure_schema_version(db, kVersion); !c) return c;
    return db.exec(kSchema);
  }
  auto version = sqlite::check_schema_version(db, kVersion);
  if (!version) return tl::unexpected(std::move(version.error()));
  if (auto old = refuse_version_1(db, *version); !old) return old;
  return check_exact(db);
}

Result<void> check_for_reading(sqlite::Database& db) {
  auto version = sqlite::check_schema_version(db, kVersion);
  if (!version) return tl::unexpected(std::move(version.error()));
  if (auto old = refuse_version_1(db, *version); !old) return old;
  return check_exact(db);
}

}  // namespace dfx::register_store::detail
