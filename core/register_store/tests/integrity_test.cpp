// A register proves what it is: edits made outside `dfx register import` (a byte changed in the
// file, the sqlite3 shell, a hand-made file) make the lookups they affect fail, never turn a
// reported phone into a miss; an import refuses to seal over them; re-imports keep history.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "helpers.hpp"
#include "sqlite/sqlite.hpp"

namespace dfx::register_store::test {
namespace {

class RegisterIntegrity : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string rows = kHeader;
    for (int i = 0; i < 50; ++i)
      rows += imei("353812084788" + std::to_string(10 + i)) + ",stolen,2024-01-02,Police,R" +
              std::to_string(i) + ",\n";
    rows += flagged_ + ",stolen,2024-03-01,Metropolitan Police,MPS-1,taken from a shop\n";
    auto store = RegisterStore::open_for_import(path_);
    ASSERT_TRUE(store) << store.error().message;
    auto r = import_file(*store, tmp_.write("reports.csv", rows));
    ASSERT_TRUE(r) << r.error().message;
  }

  // What a check sees for `identifier`: its records, or the error.
  Result<std::vector<Record>> check(const std::string& identifier) {
    auto store = RegisterStore::open_for_reading(path_);
    if (!store) return tl::unexpected(store.error());
    const LookupKey key{"imei", identifier};
    auto r = store->lookup(std::span<const LookupKey>(&key, 1));
    if (!r) return tl::unexpected(r.error());
    return (*r)[0];
  }

  void sql(const std::string& statement) {
    auto db = sqlite::Database::open(path_, sqlite::Database::Access::ReadWriteCreate);
    ASSERT_TRUE(db);
    auto r = db->exec(statement);
    ASSERT_TRUE(r) << r.error().message;
  }

  static void expect_changed_outside(const Result<std::vector<Record>>& r) {
    ASSERT_FALSE(r) << "a changed register answered as if nothing happened";
    EXPECT_NE(r.error().message.find("changed outside dfx register import"), std::string::npos)
        << r.error().message;
  }

  TempDir tmp_;
  const std::filesystem::path path_ = tmp_.path() / "register.sqlite";
  const std::string flagged_ = imei("35675904118460");
};

TEST_F(RegisterIntegrity, AnIntactRegisterAnswers) {
  auto r = check(flagged_);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].status, "stolen");
  auto miss = check(imei("49015420323751"));
  ASSERT_TRUE(miss) << miss.error().message;
  EXPECT_TRUE(miss->empty());
  auto store = RegisterStore::open_for_reading(path_);
  auto v = store->verify();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->records, 51);
  EXPECT_EQ(v->problem, "");
  EXPECT_EQ(v->content_sha256, store->stats()->content_sha256);
}

TEST_F(RegisterIntegrity, OneByteEditedInTheFileIsCaught) {
  // A hex editor changes one digit of the reported IMEI: SQLite's integrity check still passes,
  // and the lookup would be a miss. The digest chain catches it.
  std::string bytes;
  {
    std::ifstream in(path_, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto at = bytes.find(flagged_);
  ASSERT_NE(at, std::string::npos) << "the import is checkpointed into the main file";
  bytes[at + 14] = bytes[at + 14] == '9' ? '8' : static_cast<char>(bytes[at + 14] + 1);
  std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;
  {
    auto db = sqlite::Database::open(path_, sqlite::Database::Access::ReadOnly);
    auto q = db->prepare("PRAGMA integrity_check");
    ASSERT_TRUE(q && *q->step());
    EXPECT_EQ(q->text(0), "ok") << "SQLite alone cannot tell";
  }
  expect_changed_outside(check(flagged_));
  auto v = RegisterStore::open_for_verifying(path_)->verify();
  ASSERT_TRUE(v);
  EXPECT_NE(v->problem.find("not match"), std::string::npos) << v->problem;
}

TEST_F(RegisterIntegrity, AStatusChangedWithTheSqliteShellIsCaught) {
  // (updated_by is set too: the history trigger refuses an update that names no import; dropping
  // the trigger instead makes the schema differ, which readers refuse, see below.)
  sql("UPDATE register_entry SET status = 'other', updated_by = 1 WHERE identifier = '" + flagged_ +
      "'");
  expect_changed_outside(check(flagged_));
}

TEST_F(RegisterIntegrity, ADeletedReportIsCaughtNotAMiss) {
  sql("DELETE FROM register_entry WHERE identifier = '" + flagged_ + "'");
  expect_changed_outside(check(flagged_));
}

TEST_F(RegisterIntegrity, AnAddedRecordIsCaught) {
  const std::string fake = imei("35381208478899");
  sql("INSERT INTO register_entry (kind, identifier, source, reference, status, reported_at, "
      "notes, added_by) VALUES ('imei', '" +
      fake + "', 'X', '', 'stolen', '', '', 1)");
  expect_changed_outside(check(fake));
}

TEST_F(RegisterIntegrity, ARecordWrittenInAnotherFormIsCaught) {
  // Someone else's writer stored an identifier in a non-canonical form (with dashes): no digest
  // vouches for it, so the register is unavailable around it rather than answering misses.
  sql("INSERT INTO register_entry (kind, identifier, source, reference, status, reported_at, "
      "notes, added_by) VALUES ('imei', '35-675904-118460-8', 'X', '', 'stolen', '', '', 1)");
  expect_changed_outside(check("35-675904-118460-8"));
  auto v = RegisterStore::open_for_verifying(path_)->verify();
  ASSERT_TRUE(v);
  EXPECT_NE(v->problem, "");
}

TEST_F(RegisterIntegrity, ARemovedSealMakesTheRegisterUnavailable) {
  sql("DELETE FROM register_state");
  auto store = RegisterStore::open_for_reading(path_);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("holds records but no sealed state"), std::string::npos)
      << store.error().message;
}

TEST_F(RegisterIntegrity, AViewInPlaceOfTheTableIsRefused) {
  // Right schema version, but register_entry is a view that shows nothing.
  const auto other = tmp_.path() / "view.sqlite";
  {
    auto db = sqlite::Database::open(other, sqlite::Database::Access::ReadWriteCreate);
    ASSERT_TRUE(
        db->exec("CREATE TABLE register_schema_version (version INTEGER NOT NULL);"
                 "INSERT INTO register_schema_version VALUES (2);"
                 "CREATE VIEW register_entry AS SELECT 'imei' AS kind, '' AS identifier WHERE 0;"));
  }
  auto store = RegisterStore::open_for_reading(other);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("is not a register as dfx writes it"), std::string::npos)
      << store.error().message;
}

TEST_F(RegisterIntegrity, AnExtraTriggerIsRefused) {
  sql("CREATE TRIGGER hide AFTER INSERT ON register_entry BEGIN SELECT 1; END");
  auto store = RegisterStore::open_for_reading(path_);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("extra trigger hide"), std::string::npos)
      << store.error().message;
}

TEST_F(RegisterIntegrity, AnImportRefusesToSealOverAChange) {
  sql("DELETE FROM register_entry WHERE identifier = '" + flagged_ + "'");
  auto store = RegisterStore::open_for_import(path_);
  ASSERT_TRUE(store);
  auto r =
      import_file(*store, tmp_.write("more.csv", std::string(kHeader) + imei("35539407401326") +
                                                     ",lost,2024-05-01,Owner,O-1,\n"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("refusing to import"), std::string::npos) << r.error().message;
}

TEST_F(RegisterIntegrity, AReimportKeepsTheEarlierVersion) {
  auto store = RegisterStore::open_for_import(path_);
  ASSERT_TRUE(store);
  auto r = import_file(*store,
                       tmp_.write("update.csv", std::string(kHeader) + flagged_ +
                                                    ",other,2024-06-01,Metropolitan Police,MPS-1,"
                                                    "returned to its owner\n"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->info.rows_updated, 1);
  auto now = check(flagged_);
  ASSERT_TRUE(now) << now.error().message;
  ASSERT_EQ(now->size(), 1u);
  EXPECT_EQ((*now)[0].status, "other");
  const LookupKey key{"imei", flagged_};
  auto h = store->history(key);
  ASSERT_TRUE(h) << h.error().message;
  ASSERT_EQ(h->size(), 1u);
  EXPECT_EQ((*h)[0].record.status, "stolen");
  EXPECT_EQ((*h)[0].record.notes, "taken from a shop");
  EXPECT_EQ((*h)[0].recorded_by, 1);
  EXPECT_EQ((*h)[0].replaced_by, 2);
  EXPECT_EQ(store->stats()->history, 1);
  EXPECT_EQ(RegisterStore::open_for_reading(path_)->verify()->problem, "");
}

}  // namespace
}  // namespace dfx::register_store::test
