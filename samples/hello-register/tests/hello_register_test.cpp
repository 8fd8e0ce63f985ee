// The sample register through dfx check, with the SDK's register harness: identifiers as a user
// types them are normalized by dfx, sent to the plugin, and its answers come back with verdicts.
#include <gtest/gtest.h>

#include <dfx/testing/harness.hpp>

namespace {

dfx::testing::RegisterQuery query(std::vector<std::string> identifiers) {
  dfx::testing::RegisterQuery q;
  q.plugin_dir = HELLO_PLUGIN_DIR;
  q.plugin = "hello-register";
  q.settings = {{"reports",
                 {{{"imei", "353911101234640"},
                   {"status", "stolen"},
                   {"reported_at", "2025-06-01"},
                   {"by", "Metropolitan Police"},
                   {"reference", "MPS-2025-1234"}}}}};
  q.identifiers = std::move(identifiers);
  return q;
}

TEST(HelloRegister, HitsMissesAndWhatIsNeverAsked) {
  auto r = dfx::testing::query_register(
      query({"35-391110-123464-0", "353911101234566", "353911101234567"}));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->exit_status, 5) << "exit 5: something is flagged\n" << r->log;
  ASSERT_EQ(r->answers.size(), 3u);

  EXPECT_EQ(r->answers[0].canonical, "353911101234640") << "dfx normalized what the user typed";
  EXPECT_EQ(r->answers[0].outcome, "hit");
  EXPECT_EQ(r->answers[0].verdict, "flagged");
  ASSERT_EQ(r->answers[0].hits.size(), 1u);
  EXPECT_EQ(r->answers[0].hits[0]["status"], "stolen");
  EXPECT_EQ(r->answers[0].hits[0]["reporting_party"], "Metropolitan Police");

  EXPECT_EQ(r->answers[1].outcome, "miss");
  EXPECT_EQ(r->answers[1].verdict, "clear") << "the only register answered a miss";

  EXPECT_EQ(r->answers[2].verdict, "invalid") << "a bad check digit";
  EXPECT_EQ(r->answers[2].outcome, "") << "an invalid value is never sent to a register";
}

TEST(HelloRegister, BadSettingsMakeEveryAnswerAnErrorNeverAMiss) {
  auto q = query({"353911101234566"});
  q.settings = {{"reports", "none"}};
  auto r = dfx::testing::query_register(q);
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->answers.size(), 1u);
  EXPECT_EQ(r->answers[0].outcome, "error");
  EXPECT_EQ(r->answers[0].verdict, "unknown");
  EXPECT_NE(r->answers[0].error.find("settings need"), std::string::npos) << r->answers[0].error;
}

}  // namespace
