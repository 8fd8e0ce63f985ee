// tac::load_shipped_list / load_tac_cache: brand and model out of the box from the shipped list,
// without writing anything; an imported list takes precedence.
#include <gtest/gtest.h>

#include <cstdlib>

#include "support/build_paths.hpp"
#include "support/temp_dir.hpp"
#include "tac/import.hpp"
#include "tac/tac_source.hpp"

namespace {

using dfx::testing_support::TempDir;

TEST(TacSource, TheShippedListParsesWithItsOneConflictLeftOut) {
  auto cache = dfx::tac::load_shipped_list(DFX_OSMOCOM_TACDB);
  ASSERT_TRUE(cache) << cache.error().message;
  ASSERT_TRUE(*cache);
  EXPECT_EQ((*cache)->size(), 22524u);
  auto oppo = (*cache)->find("35675904");
  ASSERT_TRUE(oppo);
  EXPECT_EQ(oppo->brand, "Oppo");
  EXPECT_EQ(oppo->model, "N1");
}

TEST(TacSource, AMissingShippedListIsNoListNotAnError) {
  TempDir t;
  auto cache = dfx::tac::load_shipped_list(t.path() / "none.csv");
  ASSERT_TRUE(cache);
  EXPECT_FALSE(*cache);
}

TEST(TacSource, ShippedListWithoutDatabaseImportedListWithOne) {
  TempDir t;
  ::setenv("DFX_DATA_DIR", t.path().c_str(), 1);
  ::setenv("XDG_DATA_HOME", (t.path() / "data").c_str(), 1);
  ::unsetenv("DFX_DB");
  t.write("osmocom-tacdb.csv", "tac,name,name\n35675904,Oppo,N1\n");
  auto shipped = dfx::tac::load_tac_cache("");
  ASSERT_TRUE(shipped) << shipped.error().message;
  EXPECT_EQ(shipped->find("35675904")->brand, "Oppo");
  EXPECT_FALSE(std::filesystem::exists(t.path() / "data")) << "a reading command writes nothing";

  auto db = dfx::tac::TacDatabase::open(t.path() / "data" / "dfx" / "dfx.sqlite",
                                        dfx::sqlite::Database::Access::ReadWriteCreate);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(
      dfx::tac::import_osmocom_file(*db, t.write("mine.csv", "tac,name,name\n35675904,Mine,M1\n")));
  auto imported = dfx::tac::load_tac_cache("");
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ(imported->find("35675904")->brand, "Mine");

  auto named = dfx::tac::load_tac_cache((t.path() / "missing.sqlite").string());
  ASSERT_TRUE(named);
  EXPECT_EQ(named->size(), 0u) << "a database the user named is never replaced by the shipped list";
  ::unsetenv("DFX_DATA_DIR");
}

}  // namespace
