// What a configuration sends: values percent-encoded in URLs, batches of one kind within the
// size, hash prefixes only in the range mode.
#include "request_plan.hpp"

#include <gtest/gtest.h>

namespace dfx::register_http {
namespace {

using nlohmann::json;

ServiceConfig config(const json& settings) {
  auto c = parse_service_config(settings.dump());
  if (!c) throw std::runtime_error(c.status().message());
  return std::move(*c);
}

const json kWords = {{"outcome", "/o"}, {"words", {{"n", "miss"}}}};

TEST(RequestPlan, SingleRequestsEncodeTheValueInTheUrl) {
  const auto c = config({{"service", "s"},
                         {"kinds", {"serial"}},
                         {"request", {{"url", "https://r.example/v1/{kind}/{identifier}"}}},
                         {"response", kWords}});
  const std::vector<Item> items = {{"serial", "F2L/X 1?&"}, {"serial", "C39ABC"}};
  const std::vector<std::size_t> which = {0, 1};
  const auto plan = plan_requests(c, items, which);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].url, "https://r.example/v1/serial/F2L%2FX%201%3F%26");
  EXPECT_EQ(plan[0].method, "GET");
  EXPECT_TRUE(plan[0].body.empty());
  EXPECT_EQ(plan[1].items, std::vector<std::size_t>{1});
}

TEST(RequestPlan, BatchesHoldOneKindAndAtMostBatchSizeItems) {
  const auto c = config({{"service", "s"},
                         {"mode", "batch"},
                         {"kinds", {"imei", "serial"}},
                         {"request",
                          {{"method", "POST"},
                           {"url", "https://r.example/v1/check/{kind}"},
                           {"body", {{"identifiers", "{items}"}, {"kind", "{kind}"}, {"n", 1}}},
                           {"item", "{kind}:{identifier}"},
                           {"batch_size", 2}}},
                         {"response",
                          {{"results", "/r"},
                           {"match", {{"pointer", "/id"}, {"value", "{identifier}"}}},
                           {"outcome", "/o"},
                           {"words", {{"n", "miss"}}}}}});
  const std::vector<Item> items = {
      {"imei", "1"}, {"serial", "A"}, {"imei", "2"}, {"imei", "3"}, {"serial", "B\"x"}};
  const std::vector<std::size_t> which = {0, 1, 2, 3, 4};
  const auto plan = plan_requests(c, items, which);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].url, "https://r.example/v1/check/imei");
  EXPECT_EQ(json::parse(plan[0].body),
            (json{{"identifiers", {"imei:1", "imei:2"}}, {"kind", "imei"}, {"n", 1}}));
  EXPECT_EQ(plan[0].items, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(plan[1].items, (std::vector<std::size_t>{3}));
  EXPECT_EQ(json::parse(plan[2].body)["identifiers"], (json{"serial:A", "serial:B\"x"}))
      << "a value is JSON-escaped in a body, not spliced into it";
}

TEST(RequestPlan, TheRangeModeSendsOnlyAPrefixOfTheHash) {
  const auto c = config(
      {{"service", "s"},
       {"mode", "range"},
       {"kinds", {"imei"}},
       {"request", {{"url", "https://r.example/range/{kind}/{prefix}"}, {"prefix_length", 5}}},
       {"response",
        {{"matches", "/m"}, {"suffix", "/s"}, {"no_match", "miss"}, {"records", "/r"}}}});
  const std::vector<Item> items = {{"imei", "353812084788745"}};
  const std::vector<std::size_t> which = {0};
  const auto plan = plan_requests(c, items, which);
  ASSERT_EQ(plan.size(), 1u);
  const std::string hash = sha256_hex("353812084788745");
  EXPECT_EQ(plan[0].url, "https://r.example/range/imei/" + hash.substr(0, 5));
  EXPECT_EQ(plan[0].url.find("353812084788745"), std::string::npos);
}

TEST(RequestPlan, Sha256IsTheStandardOne) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace dfx::register_http
