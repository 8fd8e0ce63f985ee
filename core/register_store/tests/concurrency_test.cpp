// Several dfx processes share one register: a reader keeps seeing the previous state while an
// import's transaction is open, and the new state once it commits. Two connections in one
// process behave as two processes do (separate SQLite connections, WAL file locks).
#include <gtest/gtest.h>

#include "helpers.hpp"

namespace dfx::register_store::test {
namespace {

TEST(RegisterConcurrency, AReaderSeesTheOldStateUntilTheImportCommits) {
  TempDir tmp;
  const auto path = tmp.path() / "register.sqlite";
  const std::string a = imei("35381208478874");
  const std::string b = imei("35539407401326");
  auto writer_store = RegisterStore::open_for_import(path);
  ASSERT_TRUE(writer_store);
  ASSERT_TRUE(import_file(
      *writer_store, tmp.write("a.csv", std::string(kHeader) + a + ",lost,2024-01-01,P,r1,\n")));
  auto reader_store = RegisterStore::open_for_reading(path);
  ASSERT_TRUE(reader_store) << reader_store.error().message;

  auto w = writer_store->begin_import("/test/b.csv", "csv");
  ASSERT_TRUE(w) << w.error().message;
  ASSERT_TRUE(w->put(Record{"imei", a, "stolen", "2024-02-01", "P", "r1", ""}));  // update
  ASSERT_TRUE(w->put(Record{"imei", b, "stolen", "2024-02-01", "Q", "r2", ""}));  // add
  // The import is open: the reader is not blocked and sees the committed state only.
  auto recs = records_of(*reader_store, "imei", a);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].status, "lost");
  EXPECT_TRUE(records_of(*reader_store, "imei", b).empty());
  EXPECT_EQ(reader_store->stats()->imports.size(), 1u);

  ASSERT_TRUE(w->finish("0123", 0));
  recs = records_of(*reader_store, "imei", a);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].status, "stolen");
  EXPECT_EQ(records_of(*reader_store, "imei", b).size(), 1u);
  EXPECT_EQ(reader_store->stats()->imports.size(), 2u);
}

TEST(RegisterConcurrency, AReaderOpenedDuringAnImportNeverWaits) {
  // A check started while a long import holds the write lock opens, checks the seal and looks up
  // at once, seeing the last committed import (it used to wait 10 s for the lock and answer
  // unknown).
  TempDir tmp;
  const auto path = tmp.path() / "register.sqlite";
  const std::string a = imei("35381208478874");
  auto writer_store = RegisterStore::open_for_import(path);
  ASSERT_TRUE(writer_store);
  ASSERT_TRUE(import_file(
      *writer_store, tmp.write("a.csv", std::string(kHeader) + a + ",lost,2024-01-01,P,r1,\n")));
  auto w = writer_store->begin_import("/test/b.csv", "csv");
  ASSERT_TRUE(w) << w.error().message;
  ASSERT_TRUE(w->put(Record{"imei", a, "stolen", "2024-02-01", "P", "r1", ""}));
  // A reader that needed the write lock would fail here with "database is locked" after the
  // busy timeout.
  auto reader = RegisterStore::open_for_reading(path);
  ASSERT_TRUE(reader) << reader.error().message;
  auto recs = records_of(*reader, "imei", a);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].status, "lost");
}

TEST(RegisterConcurrency, AnImportLeftUnfinishedRollsBack) {
  TempDir tmp;
  const auto path = tmp.path() / "register.sqlite";
  auto store = RegisterStore::open_for_import(path);
  ASSERT_TRUE(store);
  {
    auto w = store->begin_import("/test/b.csv", "csv");
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->put(Record{"imei", imei("35381208478874"), "stolen", "", "P", "", ""}));
  }  // destroyed without finish(): a crash or an error half-way
  EXPECT_TRUE(*store->empty());
  EXPECT_TRUE(store->stats()->imports.empty());
}

TEST(RegisterConcurrency, ASecondImporterWaitsForTheFirst) {
  TempDir tmp;
  const auto path = tmp.path() / "register.sqlite";
  auto first = RegisterStore::open_for_import(path);
  ASSERT_TRUE(first);
  auto w = first->begin_import("/test/a.csv", "csv");
  ASSERT_TRUE(w);
  // Another writer cannot start while the first holds the write lock (it waits for the busy
  // timeout, 10 s by default; the tac wrapper's connection here uses a short one).
  auto db = sqlite::Database::open(path, sqlite::Database::Access::ReadWriteCreate,
                                   std::chrono::milliseconds(50));
  ASSERT_TRUE(db);
  EXPECT_FALSE(sqlite::Transaction::begin(*db));
  ASSERT_TRUE(w->put(Record{"imei", imei("35381208478874"), "stolen", "", "P", "", ""}));
  ASSERT_TRUE(w->finish("0", 0));
  EXPECT_TRUE(sqlite::Transaction::begin(*db));
}

}  // namespace
}  // namespace dfx::register_store::test
