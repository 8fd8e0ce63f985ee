// dfx-registerd's requests, without the server: authentication, the answers, and failing closed.
#include "registerd/service.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "base/sha256.hpp"
#include "service_helpers.hpp"
#include "support/temp_dir.hpp"

namespace dfx::registerd::test {
namespace {

using nlohmann::json;

TEST(RegisterService, EveryRequestButHealthNeedsAValidToken) {
  Fixture f;
  Service s(f.db, tokens());
  EXPECT_EQ(s.handle(get("/v1/health", "")).status, 200);
  for (const std::string& token : {std::string(), std::string("wrong"), kToken + "x"}) {
    const auto r = s.handle(get("/v1/identifiers/imei:353908123456789", token));
    EXPECT_EQ(r.status, 401) << token;
    EXPECT_EQ(r.body.find("353908123456789"), std::string::npos);
  }
  const auto ok = s.handle(get("/v1/identifiers/imei:353908123456789"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.token, "bench-1");
  EXPECT_EQ(ok.route, "/v1/identifiers/{id}") << "the log's route holds no identifier";
}

TEST(RegisterService, AnswersHitsWithTheirRecordsAndMisses) {
  Fixture f;
  Service s(f.db, tokens());
  auto hit = json::parse(s.handle(get("/v1/identifiers/imei:353908123456789")).body);
  EXPECT_EQ(hit["outcome"], "hit");
  ASSERT_EQ(hit["records"].size(), 1u);
  EXPECT_EQ(hit["records"][0]["status"], "stolen");
  EXPECT_EQ(hit["records"][0]["reporting_party"], "Metropolitan Police");
  EXPECT_EQ(hit["records"][0]["reference"], "MPS-1");
  auto miss = json::parse(s.handle(get("/v1/identifiers/imei:490154203237518")).body);
  EXPECT_EQ(miss["outcome"], "miss");
  const json batch = {{"identifiers",
                       {"imei:353908123456789", "imei:490154203237518", "imei:35390812345678",
                        "imei:35-390812-345678-9", "colour:blue", 7}}};
  const auto r = s.handle({"POST", "/v1/check", "Bearer " + kToken, batch.dump()});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.identifiers, 6u);
  const auto results = json::parse(r.body)["results"];
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0]["outcome"], "hit");
  EXPECT_EQ(results[1]["outcome"], "miss");
  // What is not certainly the canonical identifier is an error, never a miss.
  for (int i : {2, 3, 4, 5}) EXPECT_EQ(results[i]["outcome"], "error") << results[i].dump();
  EXPECT_NE(results[2]["error"].get<std::string>().find("canonical form"), std::string::npos)
      << results[2].dump();
}

TEST(RegisterService, MalformedOrOversizedRequestsAreRefused) {
  Fixture f;
  Service s(f.db, tokens());
  EXPECT_EQ(s.handle({"POST", "/v1/check", "Bearer " + kToken, "{"}).status, 400);
  EXPECT_EQ(s.handle({"POST", "/v1/check", "Bearer " + kToken, "{\"identifiers\":3}"}).status, 400);
  json big = {{"identifiers", json::array()}};
  for (std::size_t i = 0; i <= kMaxBatch; ++i) big["identifiers"].push_back("imei:490154203237518");
  EXPECT_EQ(s.handle({"POST", "/v1/check", "Bearer " + kToken, big.dump()}).status, 413);
  EXPECT_EQ(s.handle(get("/v1/nothing")).status, 404);
}

TEST(RegisterService, AnEmptyOrUnreadableRegisterAnswersErrorsNeverMisses) {
  testing_support::TempDir dir;
  Service missing(dir.path() / "none.sqlite", tokens());
  EXPECT_EQ(missing.handle(get("/v1/health", "")).status, 503);
  auto r = json::parse(missing.handle(get("/v1/identifiers/imei:490154203237518")).body);
  EXPECT_EQ(r["outcome"], "error") << r.dump();
}

TEST(RegisterService, TokensAreStoredHashedAndCheckedStrictly) {
  EXPECT_FALSE(Tokens::parse("", "t"));
  EXPECT_FALSE(Tokens::parse("a 1234\n", "t"));
  EXPECT_FALSE(Tokens::parse("a " + sha256_hex("x") + "\na " + sha256_hex("y") + "\n", "t"));
  const auto [token, line] = Tokens::make("bench-2");
  EXPECT_EQ(token.size(), 64u);
  auto t = Tokens::parse(line, "t");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->name_of(token), "bench-2");
  EXPECT_EQ(line.find(token), std::string::npos) << "the line holds the hash, not the token";
  testing_support::TempDir dir;
  const auto file = dir.path() / "tokens";
  std::ofstream(file) << line << '\n';
  std::filesystem::permissions(file, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write |
                                         std::filesystem::perms::others_read);
  auto refused = Tokens::load(file);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("chmod 600"), std::string::npos);
  std::filesystem::permissions(file, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::remove);
  EXPECT_TRUE(Tokens::load(file));
}

}  // namespace
}  // namespace dfx::registerd::test
