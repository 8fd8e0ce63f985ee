// GET /v1/range/<kind>/<prefix> without the server: a hash prefix finds the identifiers that
// have it with their records, a bad request is refused and an answer never cut short, the
// register's failures are errors never empty matches, an import or a replaced file is seen at
// the next request (never a stale index), and the log learns no prefix.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <map>

#include "base/sha256.hpp"
#include "register_store/register_store.hpp"
#include "service_helpers.hpp"
#include "sqlite/sqlite.hpp"
#include "support/imei.hpp"

namespace dfx::registerd::test {
namespace {

using nlohmann::json;
const std::string kStored = "353908123456789";  // the fixture's report
const std::string kRoute = "/v1/range/{kind}/{prefix}";

// The first n hex digits of the identifier's SHA-256, and the rest.
std::string prefix_of(const std::string& id, std::size_t n) {
  return sha256_hex(id).substr(0, n);
}
std::string suffix_of(const std::string& id, std::size_t n) {
  return sha256_hex(id).substr(n);
}

Request range(const std::string& kind, const std::string& prefix,
              const std::string& token = kToken) {
  return get("/v1/range/" + kind + "/" + prefix, token);
}

// The match of `id` in a range answer's body (null when absent).
json match_of(const json& body, const std::string& id) {
  for (const auto& m : body["matches"])
    if (m["suffix"] == suffix_of(id, body["prefix"].get<std::string>().size())) return m;
  return nullptr;
}

using dfx::testing_support::imei;

// The 503 of a register that cannot answer: an error, never something that reads as a miss.
void expect_unavailable(const Response& r) {
  EXPECT_EQ(r.status, 503) << r.body;
  const auto body = json::parse(r.body);
  EXPECT_TRUE(body.contains("error")) << r.body;
  EXPECT_FALSE(body.contains("matches")) << r.body;
}

TEST(RegisterRange, FindsAnIdentifierByItsHashPrefixWithItsRecords) {
  Fixture f;
  Service s(f.db, tokens());
  const auto single = json::parse(s.handle(get("/v1/identifiers/imei:" + kStored)).body);
  ASSERT_EQ(single["outcome"], "hit");
  for (std::size_t n : {4, 5, 32}) {
    const auto r = s.handle(range("imei", prefix_of(kStored, n)));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = json::parse(r.body);
    EXPECT_EQ(body["kind"], "imei");
    EXPECT_EQ(body["prefix"], prefix_of(kStored, n));
    ASSERT_EQ(body["matches"].size(), 1u) << r.body;
    EXPECT_EQ(body["matches"][0]["suffix"], suffix_of(kStored, n));
    EXPECT_EQ(body["matches"][0]["suffix"].get<std::string>().size(), 64 - n);
    // The records exactly as /v1/identifiers gives them.
    EXPECT_EQ(body["matches"][0]["records"], single["records"]);
    EXPECT_EQ(body["matches"][0]["records"][0]["status"], "stolen");
    EXPECT_EQ(body["matches"][0]["records"][0]["reporting_party"], "Metropolitan Police");
    EXPECT_EQ(body["matches"][0]["records"][0]["reference"], "MPS-1");
    EXPECT_EQ(r.body.find(kStored), std::string::npos) << "the answer names no identifier";
  }
  // Upper-case digits are the same prefix.
  std::string upper = prefix_of(kStored, 8);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto r = s.handle(range("imei", upper));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["prefix"], prefix_of(kStored, 8));
  EXPECT_FALSE(match_of(json::parse(r.body), kStored).is_null());
}

TEST(RegisterRange, APrefixNoStoredIdentifierOfTheKindHasMatchesNothing) {
  Fixture f;
  Service s(f.db, tokens());
  const auto miss = s.handle(range("imei", prefix_of("490154203237518", 32)));
  ASSERT_EQ(miss.status, 200) << miss.body;
  EXPECT_EQ(json::parse(miss.body)["matches"], json::array());
  // The stored IMEI's hash under another kind: kinds are indexed apart.
  const auto other = s.handle(range("imsi", prefix_of(kStored, 32)));
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(json::parse(other.body)["kind"], "imsi");
  EXPECT_EQ(json::parse(other.body)["matches"], json::array());
}

TEST(RegisterRange, RefusesAnUnknownKindOrABadPrefix) {
  Fixture f;
  Service s(f.db, tokens());
  const std::map<std::string, std::string> refused = {
      {"/v1/range/colour/3fa9c", "kind \"colour\" is not one the register holds"},
      {"/v1/range/imeisv/3fa9c", "kind \"imeisv\" is not one the register holds"},
      {"/v1/range/imei/3fa", "4 to 32 hex digits"},
      {"/v1/range/imei/", "4 to 32 hex digits"},
      {"/v1/range/imei/" + std::string(33, 'a'), "4 to 32 hex digits"},
      {"/v1/range/imei/" + sha256_hex(kStored), "4 to 32 hex digits"},
      {"/v1/range/imei/3fag9", "hex digits (0-9, a-f)"},
      {"/v1/range/imei/3fa9c%20", "hex digits (0-9, a-f)"},
      {"/v1/range/imei", "/v1/range/<kind>/<prefix>"},
      {"/v1/range/imei/3fa9c/more", "/v1/range/<kind>/<prefix>"},
  };
  for (const auto& [path, why] : refused) {
    const auto r = s.handle(get(path));
    EXPECT_EQ(r.status, 400) << path;
    const auto body = json::parse(r.body);
    EXPECT_NE(body.value("error", "").find(why), std::string::npos) << path << ": " << r.body;
    EXPECT_FALSE(body.contains("matches")) << path;
    EXPECT_EQ(r.route, kRoute) << path;
  }
  EXPECT_EQ(s.handle({"POST", "/v1/range/imei/3fa9c", "Bearer " + kToken, ""}).status, 404);
}

TEST(RegisterRange, RefusesAPrefixSharedByMoreIdentifiersThanAnAnswerHolds) {
  EXPECT_EQ(kMaxRangeMatches, 1000u);
  // No test register has a thousand identifiers sharing four hex digits (that takes some 65
  // million): a service with a lower bound stands in. Among 3,000 IMEIs, some four-digit
  // prefixes are shared by several; the most shared is asked.
  Fixture f;
  std::string rows;
  std::map<std::string, std::size_t> by_prefix;
  for (int i = 0; i < 3000; ++i) {
    const std::string id = imei("35209900" + std::to_string(100000 + i));
    rows += id + ",imei,lost,2025-01-01,Owner,L" + std::to_string(i) + ",\n";
    ++by_prefix[prefix_of(id, 4)];
  }
  f.import(rows);
  auto most = by_prefix.begin();
  for (auto it = by_prefix.begin(); it != by_prefix.end(); ++it)
    if (it->second > most->second) most = it;
  const auto [prefix, n] = *most;
  ASSERT_GE(n, 2u);
  Service tight(f.db, tokens(), n - 1);
  const auto refused = tight.handle(range("imei", prefix));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(json::parse(refused.body),
            json({{"error", "prefix too short for this register: " + std::to_string(n) +
                                " identifiers match; use a longer prefix"}}));
  Service enough(f.db, tokens(), n);
  const auto all = enough.handle(range("imei", prefix));
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(json::parse(all.body)["matches"].size(), n);
}

TEST(RegisterRange, NeedsAValidToken) {
  Fixture f;
  Service s(f.db, tokens());
  const std::string prefix = prefix_of(kStored, 6);
  for (const std::string& token : {std::string(), std::string("wrong"), kToken + "x"}) {
    const auto r = s.handle(range("imei", prefix, token));
    EXPECT_EQ(r.status, 401) << token;
    EXPECT_EQ(r.body.find(prefix), std::string::npos);
    EXPECT_EQ(r.route, kRoute);
    EXPECT_EQ(r.token, "-");
  }
  // Refused before anything is checked: a bad prefix without a token is a 401 too.
  EXPECT_EQ(s.handle(range("imei", "xyz", "")).status, 401);
}

TEST(RegisterRange, AMissingOrEmptyRegisterIsAnErrorNeverNoMatches) {
  testing_support::TempDir dir;
  Service missing(dir.path() / "none.sqlite", tokens());
  expect_unavailable(missing.handle(range("imei", prefix_of(kStored, 6))));
  // A register file that nothing was imported into (open_for_import creates it; the schema
  // comes with the first import).
  const auto empty_db = dir.path() / "empty.sqlite";
  ASSERT_TRUE(register_store::RegisterStore::open_for_import(empty_db));
  Service empty(empty_db, tokens());
  const auto r = empty.handle(range("imei", prefix_of(kStored, 6)));
  expect_unavailable(r);
  EXPECT_NE(r.body.find("holds no record"), std::string::npos) << r.body;
}

TEST(RegisterRange, ARegisterChangedOutsideAnImportIsAnErrorNeverAMiss) {
  Fixture f;
  const std::string other = "490154203237518";  // after kStored in key order
  f.import("353908123456789,imei,stolen,2025-03-02,Metropolitan Police,MPS-1,\n" + other +
           ",imei,lost,2025-04-01,Owner,LOST-9,\n");
  Service before(f.db, tokens());  // its index is built while the register is intact
  ASSERT_EQ(before.handle(range("imei", prefix_of(other, 6))).status, 200);
  {
    // Removed with the sqlite3 shell (not the first record, whose removal breaks the seal and
    // makes the whole register unreadable).
    auto db = sqlite::Database::open(f.db, sqlite::Database::Access::ReadWriteCreate);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("DELETE FROM register_entry WHERE identifier = '" + other + "'"));
  }
  // The index still holds it: the checked lookup fails.
  expect_unavailable(before.handle(range("imei", prefix_of(other, 6))));
  // A new index is built from the changed register: listing the kind fails, so the removed
  // report cannot go missing from it.
  Service after(f.db, tokens());
  const auto r = after.handle(range("imei", prefix_of(other, 6)));
  expect_unavailable(r);
  EXPECT_NE(r.body.find("changed outside dfx register import"), std::string::npos) << r.body;
}

TEST(RegisterRange, ARecordAddedOutsideAnImportAfterTheIndexIsAnErrorNeverAMiss) {
  // The index is built; then a report is written into the file by hand, which leaves the sealed
  // digest as it was. Answering from the old index would call that identifier a miss.
  Fixture f;
  f.import("353908123456789,imei,stolen,2025-03-02,Metropolitan Police,MPS-1,\n");
  Service s(f.db, tokens());
  const std::string added = "490154203237518";
  const auto before = s.handle(range("imei", prefix_of(added, 6)));
  ASSERT_EQ(before.status, 200) << before.body;
  {
    auto db = sqlite::Database::open(f.db, sqlite::Database::Access::ReadWriteCreate);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec(
        "INSERT INTO register_entry (kind, identifier, source, reference, status, reported_at, "
        "notes, added_by) VALUES ('imei', '" +
        added + "', 'X', '', 'stolen', '', '', 1)"));
  }
  expect_unavailable(s.handle(range("imei", prefix_of(added, 6))));
}

TEST(RegisterRange, AnImportIntoTheSameFileIsFoundAtTheNextRequest) {
  // The stale index: the first range request builds the index, then an import adds a report to
  // the same file; the next request must find it, not answer from the index it built before.
  Fixture f;
  Service s(f.db, tokens());
  const std::string added = "490154203237518";
  const auto before = s.handle(range("imei", prefix_of(added, 5)));
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_TRUE(match_of(json::parse(before.body), added).is_null()) << before.body;
  ASSERT_EQ(s.handle(range("imei", prefix_of(kStored, 5))).status, 200);

  f.import("353908123456789,imei,stolen,2025-03-02,Metropolitan Police,MPS-1,\n" + added +
           ",imei,lost,2025-04-01,Owner,LOST-9,\n");
  const auto after = s.handle(range("imei", prefix_of(added, 5)));
  ASSERT_EQ(after.status, 200) << after.body;
  const auto m = match_of(json::parse(after.body), added);
  ASSERT_FALSE(m.is_null()) << "the index was stale: " << after.body;
  ASSERT_EQ(m["records"].size(), 1u);
  EXPECT_EQ(m["records"][0]["status"], "lost");
  EXPECT_EQ(m["records"][0]["reference"], "LOST-9");
  EXPECT_FALSE(match_of(json::parse(s.handle(range("imei", prefix_of(kStored, 5))).body), kStored)
                   .is_null());

  // A changed record is seen too (the index holds identifiers, the records are read anew).
  f.import("353908123456789,imei,fraud,2025-03-02,Metropolitan Police,MPS-1,\n");
  const auto changed = json::parse(s.handle(range("imei", prefix_of(kStored, 5))).body);
  EXPECT_EQ(match_of(changed, kStored)["records"][0]["status"], "fraud") << changed.dump();
}

TEST(RegisterRange, AReplacedFileIsFoundAfterAReload) {
  Fixture f;
  Service s(f.db, tokens());
  ASSERT_FALSE(match_of(json::parse(s.handle(range("imei", prefix_of(kStored, 6))).body), kStored)
                   .is_null());
  // Another register, moved over the served one (with its -wal and -shm files).
  const std::string other = "490154203237518";
  const auto next = f.dir.path() / "next.sqlite";
  f.import(other + ",imei,lost,2025-04-01,Owner,LOST-9,\n", next);
  for (const std::string tail : {"", "-wal", "-shm"})
    if (std::filesystem::exists(next.string() + tail))
      std::filesystem::rename(next.string() + tail, f.db.string() + tail);
  ASSERT_TRUE(s.reload());
  const auto found = json::parse(s.handle(range("imei", prefix_of(other, 6))).body);
  EXPECT_FALSE(match_of(found, other).is_null()) << found.dump();
  const auto gone = json::parse(s.handle(range("imei", prefix_of(kStored, 6))).body);
  EXPECT_TRUE(match_of(gone, kStored).is_null()) << gone.dump();
}

TEST(RegisterRange, TheLogFieldsHoldNoPrefix) {
  Fixture f;
  Service s(f.db, tokens());
  const std::string prefix = prefix_of(kStored, 12);
  for (const auto& request :
       {range("imei", prefix), range("imei", prefix, "wrong"), range("imei", prefix + "g"),
        range("colour", prefix), range("imei", std::string(prefix) + std::string(30, '0'))}) {
    const auto r = s.handle(request);
    EXPECT_EQ(r.route, kRoute) << request.path;
    EXPECT_EQ(r.identifiers, 0u) << request.path;
    for (const auto& field : {r.route, r.token}) {
      EXPECT_EQ(field.find(prefix.substr(0, 4)), std::string::npos) << field;
      EXPECT_EQ(field.find(kStored), std::string::npos) << field;
    }
  }
  EXPECT_EQ(s.handle(range("imei", prefix)).token, "bench-1");
}

}  // namespace
}  // namespace dfx::registerd::test
