// What an index of the register (dfx-registerd's range query) is built from: the sealed content
// digest that tells it is current, and the identifiers of one kind, listed from one snapshot
// and checked like lookups, so that a record added or removed outside an import fails the
// list rather than joining or leaving it.
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "sqlite/sqlite.hpp"

namespace dfx::register_store::test {
namespace {

std::string sealed(RegisterStore& store) {
  auto d = store.sealed_content_sha256();
  EXPECT_TRUE(d) << (d ? "" : d.error().message);
  return d ? *d : "(failed)";
}

void expect_changed_outside(const Result<KindIdentifiers>& r) {
  ASSERT_FALSE(r) << "a changed register was listed as if nothing happened";
  EXPECT_NE(r.error().message.find("changed outside dfx register import"), std::string::npos)
      << r.error().message;
}

TEST(RegisterKindListing, TheSealedDigestIsTheStatsOneAndChangesWithTheContentOnly) {
  TempDir tmp;
  const auto path = tmp.path() / "r.sqlite";
  auto importer = RegisterStore::open_for_import(path);
  ASSERT_TRUE(importer) << importer.error().message;
  EXPECT_EQ(sealed(*importer), "") << "nothing imported";
  const auto a = tmp.write("a.csv", std::string(kHeader) + imei("35381208478874") +
                                        ",stolen,2024-01-02,Metropolitan Police,MPS-1,\n");
  ASSERT_TRUE(import_file(*importer, a));
  auto reader = RegisterStore::open_for_reading(path);
  ASSERT_TRUE(reader) << reader.error().message;
  const std::string first = sealed(*reader);
  EXPECT_EQ(first.size(), 64u);
  EXPECT_EQ(first, reader->stats()->content_sha256);
  // Importing the same file again changes no record: the same digest.
  ASSERT_TRUE(import_file(*importer, a));
  EXPECT_EQ(sealed(*reader), first);
  // A new record: another digest, seen by the reader that was already open.
  ASSERT_TRUE(
      import_file(*importer, tmp.write("b.csv", std::string(kHeader) + imei("49015420323751") +
                                                    ",lost,2024-02-03,Owner,O-1,\n")));
  const std::string second = sealed(*reader);
  EXPECT_NE(second, first);
  EXPECT_EQ(second, reader->stats()->content_sha256);
}

TEST(RegisterKindListing, ListsEachIdentifierOfAKindOnceInKeyOrder) {
  TempDir tmp;
  const auto path = tmp.path() / "r.sqlite";
  const std::string a = imei("35381208478874"), b = imei("49015420323751");
  {
    auto importer = RegisterStore::open_for_import(path);
    ASSERT_TRUE(importer);
    auto empty = importer->identifiers_of("imei");
    ASSERT_TRUE(empty) << empty.error().message;
    EXPECT_TRUE(empty->identifiers.empty());
    EXPECT_EQ(empty->content_sha256, "");
    ASSERT_TRUE(
        import_file(*importer, tmp.write("a.csv", std::string(kHeader) + b + ",stolen,,P1,r1,\n" +
                                                      a + ",stolen,,P1,r2,\n" + b +
                                                      ",lost,,P2,r3,\n"
                                                      "270113177609606898,stolen,,P5,r5,\n"
                                                      "sn C02XK0ABHG7F,lost,,P6,r6,\n")));
  }
  auto store = RegisterStore::open_for_reading(path);
  ASSERT_TRUE(store) << store.error().message;
  const std::string digest = sealed(*store);
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
      {"imei", {a, b}},  // b has two records: listed once
      {"meid", {"A10000009296F2"}},
      {"serial", {"C02XK0ABHG7F"}},
      {"esn", {}},  // none of the kind, before every record
      {"udid", {}},
  };
  for (const auto& [kind, ids] : expected) {
    auto listed = store->identifiers_of(kind);
    ASSERT_TRUE(listed) << kind << ": " << listed.error().message;
    EXPECT_EQ(listed->identifiers, ids) << kind;
    EXPECT_EQ(listed->content_sha256, digest) << kind;
  }
}

// A register of one kind with more records than one chunk of the check, and the identifiers
// in key order.
class RegisterKindListingAcrossChunks : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string rows = kHeader;
    for (int i = 0; i < 9000; ++i) {
      ids_.push_back(imei("353812" + std::to_string(10000000 + i)));
      rows += ids_.back() + ",stolen,2024-01-02,Police,R" + std::to_string(i) + ",\n";
    }
    auto store = RegisterStore::open_for_import(path_);
    ASSERT_TRUE(store) << store.error().message;
    auto r = import_file(*store, tmp_.write("reports.csv", rows));
    ASSERT_TRUE(r) << r.error().message;
  }

  Result<KindIdentifiers> list(const std::filesystem::path& path) {
    auto store = RegisterStore::open_for_reading(path);
    if (!store) return tl::unexpected(store.error());
    return store->identifiers_of("imei");
  }

  static void sql(const std::filesystem::path& path, const std::string& statement) {
    auto db = sqlite::Database::open(path, sqlite::Database::Access::ReadWriteCreate);
    ASSERT_TRUE(db);
    auto r = db->exec(statement);
    ASSERT_TRUE(r) << r.error().message;
  }

  TempDir tmp_;
  const std::filesystem::path path_ = tmp_.path() / "register.sqlite";
  std::vector<std::string> ids_;
};

TEST_F(RegisterKindListingAcrossChunks, AnIntactRegisterIsListedWhole) {
  auto listed = list(path_);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->identifiers, ids_);
}

TEST_F(RegisterKindListingAcrossChunks, ARecordRemovedAtAChunkEdgeFailsTheList) {
  // The check runs 4,096 records at a time: the records around the edges, and the last one
  // (each removed from its own copy of the register; the import left it all in the main file).
  for (std::size_t at : {4095u, 4096u, 4097u, 8999u}) {
    SCOPED_TRACE("record " + std::to_string(at));
    const auto copy = tmp_.path() / ("copy-" + std::to_string(at) + ".sqlite");
    std::filesystem::copy_file(path_, copy);
    ASSERT_TRUE(list(copy)) << "the copy is intact";
    sql(copy, "DELETE FROM register_entry WHERE identifier = '" + ids_[at] + "'");
    expect_changed_outside(list(copy));
  }
}

TEST_F(RegisterKindListingAcrossChunks, ARecordAddedOutsideAnImportFailsTheList) {
  const std::string fake = imei("35381299999999");  // after the last listed identifier
  sql(path_,
      "INSERT INTO register_entry (kind, identifier, source, reference, status, reported_at, "
      "notes, added_by) VALUES ('imei', '" +
          fake + "', 'X', '', 'stolen', '', '', 1)");
  expect_changed_outside(list(path_));
}

}  // namespace
}  // namespace dfx::register_store::test
