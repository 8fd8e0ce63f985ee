// Reading answers: a miss only where the configuration maps the service's word onto "miss" (or,
// in the range mode, where no suffix matches); everything unexpected is an error naming it.
#include "response_mapping.hpp"

#include <gtest/gtest.h>

namespace dfx::register_http {
namespace {

using nlohmann::json;
using Outcome = ItemAnswer::Outcome;

ServiceConfig config(const json& settings) {
  auto c = parse_service_config(settings.dump());
  if (!c) throw std::runtime_error(c.status().message());
  return std::move(*c);
}

// A CheckMEND-style service: one request per identifier, a word in /result.
ServiceConfig due_diligence() {
  return config(
      {{"service", "dd"},
       {"kinds", {"imei"}},
       {"request",
        {{"method", "POST"}, {"url", "https://dd.example/{identifier}"}, {"body", json::object()}}},
       {"response",
        {{"outcome", "/result"},
         {"words", {{"passed", "miss"}, {"caution", "other"}, {"failed", "other"}}},
         {"record", {{"reference", "/certid"}}},
         {"error", "/errors"},
         {"http_status", {{"404", "miss"}}}}}});
}

const std::vector<Item> kItems = {{"imei", "353812084788745"}, {"imei", "356763003735910"}};
const std::vector<std::size_t> kFirst = {0};
const std::vector<std::size_t> kBoth = {0, 1};

ItemAnswer one(const ServiceConfig& c, long status, const std::string& body,
               const std::string& type = "application/json") {
  const auto a = read_answers(c, {status, type, body}, kItems, kFirst);
  EXPECT_EQ(a.size(), 1u);
  return a.at(0);
}

TEST(ResponseMapping, MappedWordsGiveMissesAndHits) {
  const auto c = due_diligence();
  EXPECT_EQ(one(c, 200, R"({"certid":"C1","result":"passed"})").outcome, Outcome::Miss);
  const auto failed = one(c, 200, R"({"certid":"C2","result":"failed"})");
  ASSERT_EQ(failed.outcome, Outcome::Hit);
  ASSERT_EQ(failed.hits.size(), 1u);
  EXPECT_EQ(failed.hits[0].status, "other");
  EXPECT_EQ(failed.hits[0].reference, "C2") << "the certificate to look up";
}

TEST(ResponseMapping, AnUnmappedOrMissingWordIsAnErrorNeverAMiss) {
  const auto c = due_diligence();
  const auto odd = one(c, 200, R"({"result":"pending"})");
  EXPECT_EQ(odd.outcome, Outcome::Error);
  EXPECT_NE(odd.error.find("\"pending\" at /result, which the configuration does not map"),
            std::string::npos)
      << odd.error;
  EXPECT_EQ(one(c, 200, R"({"certid":"C"})").outcome, Outcome::Error);
  EXPECT_EQ(one(c, 200, R"({"result":{"nested":1}})").outcome, Outcome::Error);
  EXPECT_EQ(one(c, 200, R"([])").outcome, Outcome::Error);
}

TEST(ResponseMapping, TheServicesOwnErrorsAreErrors) {
  const auto c = due_diligence();
  const auto a = one(c, 200, R"({"result":"passed","errors":[{"code":"E12","text":"bad store"}]})");
  EXPECT_EQ(a.outcome, Outcome::Error) << "an answer carrying errors is not a clean pass";
  EXPECT_NE(a.error.find("E12"), std::string::npos) << a.error;
  EXPECT_EQ(one(c, 200, R"({"result":"passed","errors":[]})").outcome, Outcome::Miss);
}

TEST(ResponseMapping, HttpStatusesMapOnlyWhenConfigured) {
  const auto c = due_diligence();
  EXPECT_EQ(one(c, 404, "", "text/html").outcome, Outcome::Miss) << "configured: 404 is a miss";
  const auto denied = one(c, 401, R"({"errors":"bad credentials"})");
  EXPECT_EQ(denied.outcome, Outcome::Error);
  EXPECT_NE(denied.error.find("HTTP 401: bad credentials"), std::string::npos) << denied.error;
  EXPECT_EQ(one(c, 410, "gone", "text/plain").error, "HTTP 410");
}

TEST(ResponseMapping, AnswersThatAreNotJsonAreErrors) {
  const auto c = due_diligence();
  const auto html = one(c, 200, R"({"result":"passed"})", "text/html; charset=utf-8");
  EXPECT_EQ(html.outcome, Outcome::Error);
  EXPECT_NE(html.error.find("not JSON"), std::string::npos) << html.error;
  EXPECT_EQ(one(c, 200, R"({"result":"passed"})", "application/vnd.x+json").outcome, Outcome::Miss);
  EXPECT_EQ(one(c, 200, R"({"result":"pass)").outcome, Outcome::Error);
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto nested = one(c, 200, deep);
  EXPECT_EQ(nested.outcome, Outcome::Error);
  EXPECT_NE(nested.error.find("nests deeper"), std::string::npos) << nested.error;
}

ServiceConfig registerd_batch() {
  return config({{"service", "depot"},
                 {"mode", "batch"},
                 {"kinds", {"imei"}},
                 {"request",
                  {{"method", "POST"},
                   {"url", "https://d.example/v1/check"},
                   {"body", {{"identifiers", "{items}"}}},
                   {"item", "{kind}:{identifier}"}}},
                 {"response",
                  {{"results", "/results"},
                   {"match", {{"pointer", "/identifier"}, {"value", "{kind}:{identifier}"}}},
                   {"outcome", "/outcome"},
                   {"words", {{"hit", "records"}, {"miss", "miss"}, {"error", "error"}}},
                   {"records", "/records"},
                   {"record",
                    {{"status", "/status"},
                     {"reported_at", "/reported_at"},
                     {"reporting_party", "/reporting_party"},
                     {"reference", "/reference"}}},
                   {"status_words", {{"gestohlen", "stolen"}}},
                   {"error", "/error"}}}});
}

TEST(ResponseMapping, BatchResultsAreMatchedByTheIdentifierTheyName) {
  const auto c = registerd_batch();
  const std::string body = R"({"results":[
    {"identifier":"imei:356763003735910","outcome":"miss"},
    {"identifier":"imei:353812084788745","outcome":"hit","records":[
      {"status":"gestohlen","reported_at":"2024-05-02","reporting_party":"Three UK","reference":"H3G"},
      {"status":"lost","reported_at":"2024-06-01","reporting_party":"x","reference":"y"},
      {"status":"vanished"}]}]})";
  const auto a = read_answers(c, {200, "application/json", body}, kItems, kBoth);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(a[0].outcome, Outcome::Hit) << "matched by name although it came second";
  ASSERT_EQ(a[0].hits.size(), 3u);
  EXPECT_EQ(a[0].hits[0].status, "stolen") << "the service's word, through status_words";
  EXPECT_EQ(a[0].hits[0].reporting_party, "Three UK");
  EXPECT_EQ(a[0].hits[1].status, "lost");
  EXPECT_EQ(a[0].hits[2].status, "other") << "an unknown status is still a record";
  EXPECT_EQ(a[1].outcome, Outcome::Miss);
}

TEST(ResponseMapping, AMissingOrDuplicatedBatchResultIsAnError) {
  const auto c = registerd_batch();
  const std::string body = R"({"results":[
    {"identifier":"imei:353812084788745","outcome":"miss"},
    {"identifier":"imei:353812084788745","outcome":"hit","records":[{"status":"stolen"}]}]})";
  const auto a = read_answers(c, {200, "application/json", body}, kItems, kBoth);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].outcome, Outcome::Error);
  EXPECT_NE(a[0].error.find("2 results"), std::string::npos) << a[0].error;
  EXPECT_EQ(a[1].outcome, Outcome::Error);
  EXPECT_NE(a[1].error.find("no result"), std::string::npos) << a[1].error;
  const auto empty_hit =
      read_answers(c, {200, "application/json", R"({"results":[{"identifier":"imei:353812084788745",
          "outcome":"hit","records":[]}]})"},
                   kItems, kFirst);
  EXPECT_EQ(empty_hit[0].outcome, Outcome::Error) << "a hit without records is incoherent";
}

TEST(ResponseMapping, RecordsAreBoundedAndCleaned) {
  const auto c = registerd_batch();
  json records = json::array();
  for (int i = 0; i < 100; ++i)
    records.push_back({{"status", "stolen"}, {"reference", std::string(5000, 'x') + "\n"}});
  const json body = {
      {"results",
       {{{"identifier", "imei:353812084788745"}, {"outcome", "hit"}, {"records", records}}}}};
  const auto a = read_answers(c, {200, "application/json", body.dump()}, kItems, kFirst);
  ASSERT_EQ(a[0].outcome, Outcome::Hit);
  EXPECT_EQ(a[0].hits.size(), kMaxRecords);
  EXPECT_EQ(a[0].hits[0].reference.size(), kMaxFieldChars);
}

ServiceConfig range() {
  return config(
      {{"service", "depot"},
       {"mode", "range"},
       {"kinds", {"imei"}},
       {"request", {{"url", "https://d.example/v1/range/{kind}/{prefix}"}, {"prefix_length", 6}}},
       {"response",
        {{"matches", "/matches"},
         {"suffix", "/suffix"},
         {"no_match", "miss"},
         {"records", "/records"},
         {"record", {{"status", "/status"}}}}}});
}

TEST(ResponseMapping, TheRangeModeMatchesTheSuffixLocally) {
  const auto c = range();
  const std::string mine = sha256_hex("353812084788745").substr(6);
  const std::string other = sha256_hex("353812084788752").substr(6);
  const json body = {{"matches",
                      {{{"suffix", other}, {"records", {{{"status", "lost"}}}}},
                       {{"suffix", mine}, {"records", {{{"status", "stolen"}}}}}}}};
  const auto a = read_answers(c, {200, "application/json", body.dump()}, kItems, kBoth);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(a[0].outcome, Outcome::Hit);
  EXPECT_EQ(a[0].hits[0].status, "stolen") << "its own suffix, not the neighbour's";
  EXPECT_EQ(a[1].outcome, Outcome::Miss) << "no suffix of its own among the prefix's identifiers";
  const auto broken = read_answers(c, {200, "application/json", R"({"other":[]})"}, kItems, kFirst);
  EXPECT_EQ(broken[0].outcome, Outcome::Error) << "no list at all is not an empty list";
}

TEST(ResponseMapping, NestingIsMeasuredOutsideStrings) {
  EXPECT_TRUE(nesting_within(R"({"a":"[[[[[[[[[[\"[[["})", 2));
  EXPECT_FALSE(nesting_within("[[[1]]]", 2));
  EXPECT_TRUE(nesting_within("[[1]]", 2));
}

}  // namespace
}  // namespace dfx::register_http
