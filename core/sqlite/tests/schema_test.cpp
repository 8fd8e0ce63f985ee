// sqlite::ensure_schema_version / check_schema_version: new files, our files, newer files and
// someone else's database.
#include <gtest/gtest.h>

#include "sqlite/schema.hpp"
#include "support/temp_dir.hpp"

namespace {

using dfx::sqlite::Database;
using dfx::sqlite::SchemaVersion;

constexpr SchemaVersion kSchema{"thing_schema_version", 2, "dfx thing"};

Database open(const std::filesystem::path& p) {
  auto db = Database::open(p, Database::Access::ReadWriteCreate);
  EXPECT_TRUE(db) << db.error().message;
  return std::move(*db);
}

TEST(SqliteSchema, CreatesTheVersionInAnEmptyFileAndChecksItLater) {
  dfx::testing_support::TempDir t;
  auto db = open(t.path() / "sub" / "a.sqlite");
  ASSERT_TRUE(dfx::sqlite::use_wal(db));
  ASSERT_TRUE(dfx::sqlite::ensure_schema_version(db, kSchema));
  ASSERT_TRUE(dfx::sqlite::ensure_schema_version(db, kSchema))
      << "a second writer finds it in place";
  auto v = dfx::sqlite::check_schema_version(db, kSchema);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, 2);
  EXPECT_EQ(*dfx::sqlite::scalar(db, "SELECT count(*) FROM thing_schema_version"), 1);
}

TEST(SqliteSchema, RefusesNewerVersionsAndForeignDatabases) {
  dfx::testing_support::TempDir t;
  auto db = open(t.path() / "a.sqlite");
  ASSERT_TRUE(dfx::sqlite::ensure_schema_version(db, kSchema));
  ASSERT_TRUE(db.exec("UPDATE thing_schema_version SET version = 3"));
  for (const auto& r : {dfx::sqlite::ensure_schema_version(db, kSchema),
                        dfx::sqlite::check_schema_version(db, kSchema).map([](auto) {})}) {
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("written by a newer dfx"), std::string::npos)
        << r.error().message;
  }
  auto other = open(t.path() / "other.sqlite");
  ASSERT_TRUE(other.exec("CREATE TABLE customers (name TEXT)"));
  auto w = dfx::sqlite::ensure_schema_version(other, kSchema);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find("is not a dfx thing"), std::string::npos) << w.error().message;
  EXPECT_EQ(*dfx::sqlite::scalar(other, "SELECT count(*) FROM sqlite_master"), 1)
      << "never altered";
  EXPECT_FALSE(dfx::sqlite::check_schema_version(other, kSchema));
}

}  // namespace
