// The register file: created with its schema on first use, refused when it is something else.
#include <gtest/gtest.h>

#include <map>

#include "helpers.hpp"
#include "register_store/location.hpp"
#include "sqlite/sqlite.hpp"

namespace dfx::register_store::test {
namespace {

TEST(RegisterStore, CreatesFoldersAndSchemaAtTheXdgPathInWalMode) {
  TempDir tmp;
  const std::string xdg = (tmp.path() / "data").string();
  const GetEnv env = [&](const char* n) -> const char* {
    return std::string(n) == "XDG_DATA_HOME" ? xdg.c_str() : nullptr;
  };
  auto path = resolve_register_path("", env);
  ASSERT_TRUE(path);
  EXPECT_EQ(*path, tmp.path() / "data" / "dfx" / "register.sqlite");
  auto store = RegisterStore::open_for_import(*path);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_TRUE(std::filesystem::exists(*path));
  auto empty = store->empty();
  ASSERT_TRUE(empty);
  EXPECT_TRUE(*empty);
  ASSERT_TRUE(import_file(*store, tmp.write("a.csv", std::string(kHeader) + imei("35381208478874") +
                                                         ",stolen,,Metropolitan Police,,\n")));
  EXPECT_FALSE(*store->empty());

  auto db = sqlite::Database::open(*path, sqlite::Database::Access::ReadOnly);
  ASSERT_TRUE(db);
  auto q = db->prepare("PRAGMA journal_mode");
  ASSERT_TRUE(q && q->step());
  EXPECT_EQ(q->text(0), "wal");
  auto v = db->prepare("SELECT version FROM register_schema_version");
  ASSERT_TRUE(v && *v->step());
  EXPECT_EQ(v->integer(0), RegisterStore::kSchemaVersion);
  auto t = db->prepare(
      "SELECT count(*) FROM sqlite_master WHERE name IN "
      "('register_entry', 'register_import', 'register_history', 'register_state')");
  ASSERT_TRUE(t && *t->step());
  EXPECT_EQ(t->integer(0), 4);
  // The -wal and -shm files stay after the importer closes: readers need not create them.
  store = tl::unexpected(Error{"closed"});
  EXPECT_TRUE(std::filesystem::exists(path->string() + "-wal"));
  EXPECT_TRUE(std::filesystem::exists(path->string() + "-shm"));
}

TEST(RegisterStore, ReadingCreatesNothing) {
  TempDir tmp;
  const auto path = tmp.path() / "not" / "there" / "register.sqlite";
  auto store = RegisterStore::open_for_reading(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().message, "no register at " + path.string() +
                                       ": nothing has been imported (dfx register import FILE)");
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "not"));
  auto dev = RegisterStore::open_for_reading("/dev/null");
  ASSERT_FALSE(dev);
  EXPECT_EQ(dev.error().message, "/dev/null is not a regular file");
}

TEST(RegisterStore, ReopeningKeepsTheData) {
  TempDir tmp;
  const auto path = tmp.path() / "r.sqlite";
  const auto file = tmp.write("a.csv", std::string(kHeader) + imei("35381208478874") +
                                           ",stolen,2024-01-02,Metropolitan Police,MPS-1,\n");
  {
    auto store = RegisterStore::open_for_import(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(import_file(*store, file));
  }
  auto store = RegisterStore::open_for_reading(path);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(records_of(*store, "imei", imei("35381208478874")).size(), 1u);
  EXPECT_FALSE(*store->empty());
}

TEST(RegisterStore, RefusesADatabaseThatIsNotARegister) {
  TempDir tmp;
  const auto path = tmp.path() / "other.sqlite";
  {
    auto db = sqlite::Database::open(path, sqlite::Database::Access::ReadWriteCreate);
    ASSERT_TRUE(db && db->exec("CREATE TABLE tac (tac TEXT)"));
  }
  auto store = RegisterStore::open_for_import(path);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("is not a dfx register"), std::string::npos)
      << store.error().message;
}

TEST(RegisterStore, RefusesANewerSchema) {
  TempDir tmp;
  const auto path = tmp.path() / "r.sqlite";
  {
    auto store = RegisterStore::open_for_import(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(
        import_file(*store, tmp.write("a.csv", std::string(kHeader) + imei("35381208478874") +
                                                   ",stolen,,Metropolitan Police,,\n")));
  }
  {
    auto db = sqlite::Database::open(path, sqlite::Database::Access::ReadWriteCreate);
    ASSERT_TRUE(db && db->exec("UPDATE register_schema_version SET version = 99"));
  }
  for (const bool for_import : {true, false}) {
    auto store =
        for_import ? RegisterStore::open_for_import(path) : RegisterStore::open_for_reading(path);
    ASSERT_FALSE(store);
    EXPECT_NE(store.error().message.find("newer dfx (register schema version 99"),
              std::string::npos)
        << store.error().message;
  }
}

}  // namespace
}  // namespace dfx::register_store::test
