// tac::TacDatabase, import_osmocom_file, TacCache and resolve_db_location, on databases in a
// temporary folder: creation, schema version, WAL, import, lookup, and all-or-nothing imports.
#include <gtest/gtest.h>

#include <map>
#include <regex>

#include "support/temp_dir.hpp"
#include "tac/db_path.hpp"
#include "tac/import.hpp"
#include "tac/tac_cache.hpp"
#include "tac/tac_db.hpp"

namespace {

using dfx::sqlite::Database;
using dfx::tac::TacDatabase;
using dfx::testing_support::TempDir;

constexpr const char* kHead =
    "Osmocom TAC database under CC-BY-SA v3.0 (c) Harald Welte 2016\n"
    "tac,name,name,contributor,comment,gsmarena,gsmarena,aka\n";

TacDatabase create(const std::filesystem::path& p) {
  auto db = TacDatabase::open(p, Database::Access::ReadWriteCreate);
  if (!db) ADD_FAILURE() << db.error().message;
  return std::move(*db);
}

std::string text_of(Database& db, const std::string& sql) {
  auto q = db.prepare(sql);
  EXPECT_TRUE(q) << q.error().message;
  auto r = q->step();
  EXPECT_TRUE(r && *r) << sql;
  return std::string(q->text(0));
}

TEST(TacDb, CreatesFoldersSchemaVersionAndWalOnFirstUse) {
  TempDir t;
  const auto path = t.path() / "a" / "b" / "dfx.sqlite";
  { auto db = create(path); }
  ASSERT_TRUE(std::filesystem::exists(path));
  auto raw = Database::open(path, Database::Access::ReadOnly);
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_EQ(text_of(*raw, "SELECT group_concat(version) FROM schema_version"), "1");
  EXPECT_EQ(text_of(*raw, "PRAGMA journal_mode"), "wal");
  // Opening again must not add a second version row.
  { auto db = create(path); }
  EXPECT_EQ(text_of(*raw, "SELECT count(*) FROM schema_version"), "1");
}

TEST(TacDb, ReadOnlyOpenRefusesMissingForeignAndNewerDatabases) {
  TempDir t;
  auto missing = TacDatabase::open(t.path() / "none.sqlite", Database::Access::ReadOnly);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "no database at " + (t.path() / "none.sqlite").string());
  EXPECT_FALSE(std::filesystem::exists(t.path() / "none.sqlite")) << "read-only must not create";

  const auto foreign = t.path() / "foreign.sqlite";
  {
    auto raw = Database::open(foreign, Database::Access::ReadWriteCreate);
    ASSERT_TRUE(raw->exec("CREATE TABLE t (x)"));
  }
  auto f = TacDatabase::open(foreign, Database::Access::ReadOnly);
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message.find("is not a dfx database"), std::string::npos)
      << f.error().message;

  const auto newer = t.path() / "newer.sqlite";
  { auto db = create(newer); }
  {
    auto raw = Database::open(newer, Database::Access::ReadWriteCreate);
    ASSERT_TRUE(raw->exec("UPDATE schema_version SET version = 2"));
  }
  for (auto access : {Database::Access::ReadOnly, Database::Access::ReadWriteCreate}) {
    auto n = TacDatabase::open(newer, access);
    ASSERT_FALSE(n);
    EXPECT_NE(n.error().message.find(
                  "written by a newer dfx (schema version 2; this dfx knows version 1)"),
              std::string::npos)
        << n.error().message;
  }

  const auto junk = t.write("junk.sqlite", std::string(4096, 'x'));
  auto j = TacDatabase::open(junk, Database::Access::ReadOnly);
  ASSERT_FALSE(j);
  EXPECT_NE(j.error().message.find(junk.string()), std::string::npos) << j.error().message;
}

TEST(TacDb, ImportThenLookupCountAndImportRecord) {
  TempDir t;
  auto db = create(t.path() / "dfx.sqlite");
  const auto csv = t.write("tacs.csv", std::string(kHead) +
                                           "35675904,Oppo,N1,,,,,\n"
                                           "01124500,Apple,iPhone,,,,,\"A1203\"\n"
                                           "bad,X,Y,,,,,\n");
  auto rep = dfx::tac::import_osmocom_file(db, csv, {.skip_invalid = true});
  ASSERT_TRUE(rep) << rep.error().message;
  EXPECT_EQ(rep->record.rows, 2);
  EXPECT_EQ(rep->record.skipped, 1);
  ASSERT_EQ(rep->skipped.size(), 1u);
  EXPECT_EQ(rep->skipped[0].line, 5u);

  auto oppo = db.lookup("35675904");
  ASSERT_TRUE(oppo && *oppo);
  EXPECT_EQ((*oppo)->brand, "Oppo");
  EXPECT_EQ((*oppo)->model, "N1");
  auto apple = db.lookup("01124500");  // leading zero kept: TACs are text
  ASSERT_TRUE(apple && *apple);
  EXPECT_EQ((*apple)->aka, "A1203");
  auto none = db.lookup("99999999");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(*db.count(), 2);

  auto last = db.last_import();
  ASSERT_TRUE(last && *last);
  const auto& rec = **last;
  EXPECT_EQ(rec.source, std::filesystem::absolute(csv).lexically_normal().string());
  EXPECT_EQ(rec.sha256.size(), 64u);
  EXPECT_EQ(rec.banner, "Osmocom TAC database under CC-BY-SA v3.0 (c) Harald Welte 2016");
  EXPECT_TRUE(std::regex_match(rec.imported_at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << rec.imported_at;
  EXPECT_EQ(rec.rows, 2);
  EXPECT_EQ(rec.skipped, 1);
}

TEST(TacDb, ImportReplacesThePreviousList) {
  TempDir t;
  auto db = create(t.path() / "dfx.sqlite");
  ASSERT_TRUE(dfx::tac::import_osmocom_file(
      db, t.write("one.csv",
                  std::string(kHead) + "35675904,Oppo,N1,,,,,\n49013920,Nokia,1610,,,,,\n")));
  ASSERT_TRUE(dfx::tac::import_osmocom_file(
      db, t.write("two.csv", std::string(kHead) + "49013920,Nokia,1610 (new),,,,,\n")));
  EXPECT_EQ(*db.count(), 1);
  EXPECT_FALSE(db.lookup("35675904")->has_value());
  EXPECT_EQ((*db.lookup("49013920"))->model, "1610 (new)");
  EXPECT_NE((*db.last_import())->source.find("two.csv"), std::string::npos);
}

TEST(TacDb, MalformedRowImportsNothingAndKeepsThePreviousList) {
  TempDir t;
  auto db = create(t.path() / "dfx.sqlite");
  ASSERT_TRUE(dfx::tac::import_osmocom_file(
      db, t.write("good.csv", std::string(kHead) + "35675904,Oppo,N1,,,,,\n")));
  const auto bad = t.write("bad.csv", std::string(kHead) +
                                          "49013920,Nokia,1610,,,,,\n"
                                          "4950222,Nokia,1620,,,,,\n");
  auto r = dfx::tac::import_osmocom_file(db, bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, bad.string() + ":4: TAC \"4950222\" is not 8 digits");
  EXPECT_EQ(*db.count(), 1);
  EXPECT_TRUE(db.lookup("35675904")->has_value());
  EXPECT_FALSE(db.lookup("49013920")->has_value()) << "the good row before the bad one is not kept";
  EXPECT_NE((*db.last_import())->source.find("good.csv"), std::string::npos);
}

TEST(TacDb, FailureInsideTheTransactionRollsEverythingBack) {
  // Bypass the parser: a row the schema's CHECK refuses, after one it accepts, must leave the
  // previous list and import record in place (the database, not only the parser, is atomic).
  TempDir t;
  auto db = create(t.path() / "dfx.sqlite");
  dfx::tac::TacList first{"banner", {{"35675904", "Oppo", "N1", "", 3}}, {}, 0};
  ASSERT_TRUE(db.replace_all(first, "first.csv", "00"));
  dfx::tac::TacList second{
      "banner", {{"49013920", "Nokia", "1610", "", 3}, {"4901392", "Nokia", "x", "", 4}}, {}, 0};
  auto r = db.replace_all(second, "second.csv", "11");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("second.csv:4: storing TAC 4901392: ", 0), 0u)
      << r.error().message;
  EXPECT_NE(r.error().message.find("CHECK constraint failed"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(*db.count(), 1);
  EXPECT_TRUE(db.lookup("35675904")->has_value());
  EXPECT_FALSE(db.lookup("49013920")->has_value());
  EXPECT_EQ((*db.last_import())->source, "first.csv");
  // The connection is still usable after the rollback.
  second.rows.resize(1);
  ASSERT_TRUE(db.replace_all(second, "third.csv", "22"));
  EXPECT_TRUE(db.lookup("49013920")->has_value());
  EXPECT_FALSE(db.lookup("35675904")->has_value());
}

TEST(TacDb, ReaderOnAnotherConnectionSeesTheListImportedByAWriter) {
  TempDir t;
  const auto path = t.path() / "dfx.sqlite";
  auto writer = create(path);
  auto reader = TacDatabase::open(path, Database::Access::ReadOnly);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ(*reader->count(), 0);
  dfx::tac::TacList l{"", {{"35675904", "Oppo", "N1", "", 3}}, {}, 0};
  ASSERT_TRUE(writer.replace_all(l, "x.csv", "00"));
  EXPECT_EQ(*reader->count(), 1);
}

TEST(TacDb, ImportOfAMissingFileSaysSo) {
  TempDir t;
  auto db = create(t.path() / "dfx.sqlite");
  auto r = dfx::tac::import_osmocom_file(db, t.path() / "nope.csv");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "cannot read " + (t.path() / "nope.csv").string() + ": No such file or directory");
  auto d = dfx::tac::import_osmocom_file(db, t.path());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().message, t.path().string() + " is not a regular file");
}

TEST(TacCache, LoadsFromTheDatabaseAndFindsByTac) {
  TempDir t;
  auto db = create(t.path() / "dfx.sqlite");
  dfx::tac::TacList l{
      "", {{"35675904", "Oppo", "N1", "", 3}, {"01124500", "Apple", "", "", 4}}, {}, 0};
  ASSERT_TRUE(db.replace_all(l, "x.csv", "00"));
  auto cache = dfx::tac::TacCache::load(db);
  ASSERT_TRUE(cache) << cache.error().message;
  EXPECT_EQ(cache->size(), 2u);
  auto oppo = cache->find("35675904");
  ASSERT_TRUE(oppo);
  EXPECT_EQ(oppo->brand, "Oppo");
  EXPECT_EQ(oppo->model, "N1");
  auto apple = cache->find("01124500");
  ASSERT_TRUE(apple);
  EXPECT_EQ(apple->brand, "Apple");
  EXPECT_EQ(apple->model, "");
  EXPECT_FALSE(cache->find("35675905"));
}

TEST(TacCache, IgnoresBadTacsKeepsTheFirstOfTwoAndRefusesNonTacQueries) {
  dfx::tac::TacCache c;
  c.add("49013920", "Nokia", "1610");
  c.add("4901392", "Short", "x");
  c.add("4901392a", "Letter", "x");
  c.add("35675904", "Oppo", "N1");
  c.add("49013920", "Second", "y");
  c.finish();
  EXPECT_EQ(c.size(), 2u);
  EXPECT_EQ(c.find("49013920")->brand, "Nokia");
  EXPECT_EQ(c.find("35675904")->model, "N1");
  for (const char* q : {"", "4901392", "490139200", "4901392a", "-4901392"})
    EXPECT_FALSE(c.find(q)) << q;
  EXPECT_FALSE(dfx::tac::TacCache().find("49013920"));
}

TEST(TacDbPath, OptionThenDfxDbThenXdgThenHome) {
  const dfx::GetEnv get = [](const char* n) -> const char* {
    return std::string(n) == "DFX_DB" ? "/e/dfx.sqlite" : nullptr;
  };
  EXPECT_EQ(dfx::tac::resolve_db_location("/o/db.sqlite", get)->path, "/o/db.sqlite");
  EXPECT_EQ(dfx::tac::resolve_db_location("", get)->path, "/e/dfx.sqlite");
  const dfx::GetEnv home = [](const char* n) -> const char* {
    return std::string(n) == "HOME" ? "/h" : nullptr;
  };
  EXPECT_EQ(dfx::tac::resolve_db_location("", home)->path, "/h/.local/share/dfx/dfx.sqlite");
}

}  // namespace
