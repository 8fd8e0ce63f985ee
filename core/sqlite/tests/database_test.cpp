// sqlite::Database and Statement: what read-only opening refuses, immutable opening of files in
// folders whose names look like URI syntax, and BLOBs that hold NUL bytes.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "sqlite/schema.hpp"
#include "sqlite/sqlite.hpp"
#include "support/temp_dir.hpp"

namespace {

using dfx::sqlite::Database;

TEST(SqliteDatabase, ReadOnlyOpensOnlyRegularFilesThatExist) {
  dfx::testing_support::TempDir t;
  auto missing = Database::open(t.path() / "none.sqlite", Database::Access::ReadOnly);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "no database at " + (t.path() / "none.sqlite").string());
  EXPECT_FALSE(std::filesystem::exists(t.path() / "none.sqlite")) << "nothing is created";
  const auto fifo = t.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const auto access : {Database::Access::ReadOnly, Database::Access::ReadOnlyImmutable}) {
    auto f = Database::open(fifo, access);  // would block forever if SQLite opened it
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().message, fifo.string() + " is not a regular file");
  }
}

TEST(SqliteDatabase, ImmutableOpensPathsThatLookLikeUriSyntax) {
  dfx::testing_support::TempDir t;
  const auto dir = t.path() / "a?b#c%41 d";
  const auto file = dir / "x.sqlite";
  {
    auto db = Database::open(file, Database::Access::ReadWriteCreate);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(db->exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (42)"));
  }
  ASSERT_EQ(::chmod(dir.c_str(), 0555), 0);  // as on read-only media: no -journal, no -shm
  auto db = Database::open(file, Database::Access::ReadOnlyImmutable);
  ASSERT_TRUE(db) << db.error().message;
  auto v = dfx::sqlite::scalar(*db, "SELECT v FROM t");
  ::chmod(dir.c_str(), 0755);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, 42);
  EXPECT_EQ(db->path(), file);
}

TEST(SqliteDatabase, BlobsKeepEveryByte) {
  dfx::testing_support::TempDir t;
  auto db = Database::open(t.path() / "b.sqlite", Database::Access::ReadWriteCreate);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(db->exec("CREATE TABLE b (v BLOB)"));
  const std::string bytes("\0\x01\xFFz\0", 5);
  auto put = db->prepare("INSERT INTO b VALUES (?1)");
  ASSERT_TRUE(put);
  ASSERT_TRUE(put->bind_blob(1, bytes).step());
  auto get = db->prepare("SELECT v, typeof(v) FROM b");
  ASSERT_TRUE(get);
  auto row = get->step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(std::string(get->blob(0)), bytes);
  EXPECT_EQ(get->text(1), "blob");
}

}  // namespace
