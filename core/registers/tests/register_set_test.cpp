// The host side of register plugins, with real plugin libraries through the real loader: answers
// come back side by side, and every way a register can fail makes a verdict unknown, never clear.
#include "registers/register_set.hpp"

#include <gtest/gtest.h>

#include <set>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "plugin_host/catalog.hpp"
#include "registers/checker.hpp"
#include "support/build_paths.hpp"
#include "support/imei.hpp"

namespace {

using namespace dfx::registers;
using namespace std::chrono_literals;

constexpr const char* kImei = "352099001761481";
constexpr const char* kOtherImei = "490154203237518";

RegisterConfig reg(const std::string& id, const std::string& plugin, std::string settings = "{}",
                   std::chrono::milliseconds timeout = 5000ms) {
  return {.id = id,
          .builtin = "",
          .plugin = plugin,
          .settings_json = std::move(settings),
          .timeout = timeout};
}

RegisterSet open_set(std::vector<RegisterConfig> regs) {
  const auto catalog = dfx::plugin_host::build_catalog({DFX_TEST_REGISTER_DIR});
  return RegisterSet::open(Config{std::move(regs), "test"}, catalog);
}

std::string stolen_record(const std::string& key, const std::string& status = "stolen",
                          const std::string& party = "Metropolitan Police") {
  return R"({"records": {")" + key + R"(": [{"status": ")" + status +
         R"(", "reported_at": "2024-03-01", "reporting_party": ")" + party +
         R"(", "reference": "CR/1"}]}})";
}

std::vector<CheckResult> check(RegisterSet& set, std::vector<std::string> values) {
  Checker checker(set);
  std::vector<CheckInput> inputs;
  for (auto& v : values) inputs.push_back({v, 0, dfx::ident::Kind::Auto});
  return checker.check(inputs);
}

TEST(RegisterSet, HitMissAndProvenance) {
  auto set = open_set({reg("met", "register-memory", stolen_record(std::string("imei:") + kImei))});
  ASSERT_EQ(set.status().size(), 1u);
  EXPECT_EQ(set.status()[0].error, "");
  EXPECT_EQ(set.status()[0].plugin_version, "0.0.1");
  auto r = check(set, {"35-209900-176148-1", kOtherImei});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].verdict, Verdict::Flagged);
  ASSERT_EQ(r[0].answers.size(), 1u);
  EXPECT_EQ(r[0].answers[0].register_id, "met");
  ASSERT_EQ(r[0].answers[0].hits.size(), 1u);
  EXPECT_EQ(r[0].answers[0].hits[0].status, "stolen");
  EXPECT_EQ(r[0].answers[0].hits[0].reporting_party, "Metropolitan Police");
  EXPECT_EQ(r[0].answers[0].hits[0].reference, "CR/1");
  EXPECT_GE(r[0].answers[0].latency_ms, 0.0);
  EXPECT_EQ(r[1].verdict, Verdict::Clear);
  EXPECT_EQ(r[1].answers[0].outcome, Outcome::Miss);
  // When the batch was asked, and the hash of the raw answer its worker sent: one batch, so the
  // same for both identifiers.
  for (const auto& res : r) {
    const auto& a = res.answers[0];
    EXPECT_EQ(a.asked_at.size(), 24u) << a.asked_at;
    EXPECT_EQ(a.asked_at.back(), 'Z') << a.asked_at;
    EXPECT_EQ(a.answer_sha256.size(), 64u);
    EXPECT_EQ(a.answer_sha256.find_first_not_of("0123456789abcdef"), std::string::npos);
  }
  EXPECT_EQ(r[0].answers[0].answer_sha256, r[1].answers[0].answer_sha256);
}

// A call of many lookups (the register's "batch") comes back in several frames, each hashed for
// provenance, and every lookup keeps its own answer in order.
TEST(RegisterSet, ALargeCallIsAnsweredAcrossFramesInOrder) {
  auto config = reg("met", "register-memory", stolen_record(std::string("imei:") + kImei));
  config.batch = 700;
  auto set = open_set({config});
  std::vector<std::string> values;
  for (int i = 0; i < 600; ++i) {
    // 600 distinct valid IMEIs, the reported one at position 300.
    values.push_back(i == 300
                         ? std::string(kImei)
                         : dfx::testing_support::imei("35209900" + std::to_string(100000 + i)));
  }
  const auto r = check(set, values);
  ASSERT_EQ(r.size(), 600u);
  std::set<std::string> frames;
  for (std::size_t i = 0; i < r.size(); ++i) {
    ASSERT_EQ(r[i].answers.size(), 1u) << i;
    EXPECT_EQ(r[i].verdict, i == 300 ? Verdict::Flagged : Verdict::Clear) << i;
    frames.insert(r[i].answers[0].answer_sha256);
  }
  EXPECT_EQ(frames.size(), 3u) << "600 answers of one call in frames of at most 256";
}

TEST(RegisterSet, ConflictingRegistersAreShownSideBySide) {
  const std::string key = std::string("imei:") + kImei;
  auto set = open_set({reg("met", "register-memory", stolen_record(key, "stolen")),
                       reg("network", "register-memory", stolen_record(key, "lost", "Vodafone UK")),
                       reg("clean", "register-memory")});
  auto r = check(set, {kImei});
  ASSERT_EQ(r[0].answers.size(), 3u);
  EXPECT_EQ(r[0].verdict, Verdict::Flagged);
  EXPECT_TRUE(r[0].conflict);
  EXPECT_EQ(r[0].answers[0].hits[0].status, "stolen");
  EXPECT_EQ(r[0].answers[1].hits[0].status, "lost");
  EXPECT_EQ(r[0].answers[1].hits[0].reporting_party, "Vodafone UK");
  EXPECT_EQ(r[0].answers[2].outcome, Outcome::Miss);
}

TEST(RegisterSet, AnErroringRegisterMakesTheVerdictUnknownNeverClear) {
  auto set = open_set({reg("ok", "register-memory"),
                       reg("flaky", "register-memory",
                           std::string(R"({"errors": {"imei:)") + kImei + R"(": "HTTP 503"}})")});
  auto r = check(set, {kImei, kOtherImei});
  EXPECT_EQ(r[0].verdict, Verdict::Unknown);
  EXPECT_EQ(r[0].answers[1].outcome, Outcome::Error);
  EXPECT_EQ(r[0].answers[1].error, "HTTP 503");
  EXPECT_EQ(r[1].verdict, Verdict::Clear) << "the other identifier was answered by both";
}

TEST(RegisterSet, ARegisterThatCannotOpenAnswersEveryQueryWithItsReason) {
  auto set = open_set({reg("ok", "register-memory"),
                       reg("down", "register-memory", R"({"open_error": "database locked"})")});
  EXPECT_NE(set.status()[1].error.find("could not open: database locked"), std::string::npos)
      << set.status()[1].error;
  auto r = check(set, {kImei});
  EXPECT_EQ(r[0].verdict, Verdict::Unknown);
  EXPECT_NE(r[0].answers[1].error.find("database locked"), std::string::npos);
}

TEST(RegisterSet, MissingOrWrongPluginsStayAsUnavailableRegisters) {
  auto set = open_set({reg("ok", "register-memory"), reg("gone", "register-nonexistent")});
  EXPECT_NE(set.status()[1].error.find("no plugin \"register-nonexistent\""), std::string::npos);
  auto r = check(set, {kImei, "A0000000002329", "S/N: R58M12ABCDE"});
  for (const auto& one : r) {
    EXPECT_EQ(one.verdict, Verdict::Unknown)
        << one.input.value
        << ": a configured register that "
           "cannot be loaded could have held a report of anything";
    ASSERT_EQ(one.answers.size(), 2u);
    EXPECT_EQ(one.answers[1].outcome, Outcome::Error);
  }
}

TEST(RegisterSet, AHangingRegisterIsAbandonedAtItsTimeout) {
  auto set = open_set({reg("ok", "register-memory"), reg("stuck", "register-hang", "{}", 200ms)});
  const auto t0 = std::chrono::steady_clock::now();
  auto r = check(set, {kImei});
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, 5s) << "bounded by the register's timeout";
  EXPECT_EQ(r[0].verdict, Verdict::Unknown);
  EXPECT_NE(r[0].answers[1].error.find("did not answer within 200 ms"), std::string::npos)
      << r[0].answers[1].error;
  // Not asked again: the next batch fails at once.
  const auto t1 = std::chrono::steady_clock::now();
  auto again = check(set, {kOtherImei});
  EXPECT_LT(std::chrono::steady_clock::now() - t1, 150ms);
  EXPECT_EQ(again[0].verdict, Verdict::Unknown);
}

// Register plugins run in worker processes: a crash costs that register's answers only.
TEST(RegisterSet, ACrashingRegisterCostsOnlyItsOwnAnswers) {
  const std::string key = std::string("imei:") + kImei;
  auto set = open_set({reg("met", "register-memory", stolen_record(key)),
                       reg("crashy", "register-crash"), reg("clean", "register-memory")});
  EXPECT_EQ(set.status()[1].error, "") << "it opened";
  auto r = check(set, {kImei, kOtherImei});
  EXPECT_EQ(r[0].verdict, Verdict::Flagged) << "the other registers' answers are kept";
  EXPECT_EQ(r[0].answers[0].hits.size(), 1u);
  EXPECT_EQ(r[0].answers[1].outcome, Outcome::Error);
  EXPECT_NE(r[0].answers[1].error.find("register crashy (register-crash): worker crashed: SIGSEGV"),
            std::string::npos)
      << r[0].answers[1].error;
  EXPECT_EQ(r[0].answers[2].outcome, Outcome::Miss);
  EXPECT_EQ(r[1].verdict, Verdict::Unknown) << "never clear while a register could not answer";
  auto again = check(set, {kOtherImei});
  EXPECT_EQ(again[0].verdict, Verdict::Unknown);
  EXPECT_NE(again[0].answers[1].error.find("not asked again in this run"), std::string::npos);
}

// A register plugin reaches the network only when its configuration says "network": true.
TEST(RegisterSet, OnlyARegisterConfiguredForTheNetworkReachesIt) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(listener, 16), 0);
  socklen_t len = sizeof a;
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len), 0);
  const std::string settings = R"({"port": )" + std::to_string(ntohs(a.sin_port)) + "}";
  auto online = reg("online", "register-net", settings);
  online.network = true;
  auto set = open_set({reg("offline", "register-net", settings), online});
  auto r = check(set, {kImei});
  ::close(listener);
  EXPECT_EQ(r[0].answers[0].outcome, Outcome::Error);
  EXPECT_EQ(r[0].answers[0].error, "socket: Operation not permitted") << "no network by default";
  EXPECT_EQ(r[0].answers[1].outcome, Outcome::Miss) << r[0].answers[1].error;
  EXPECT_EQ(r[0].verdict, Verdict::Unknown);
}

TEST(RegisterSet, SilenceAndContradictionsAreErrorsNotMisses) {
  auto set = open_set({reg("quiet", "register-silent")});
  auto r = check(set, {kImei, "S/N: BOTH"});
  EXPECT_EQ(r[0].verdict, Verdict::Unknown);
  EXPECT_EQ(r[0].answers[0].error, "register gave no answer for this identifier");
  EXPECT_EQ(r[1].verdict, Verdict::Unknown);
  EXPECT_EQ(r[1].answers[0].error, "register answered both hit and miss");
}

TEST(RegisterSet, ExceptionsAndFailedBatchesBecomeErrors) {
  auto set = open_set({reg("boom", "register-throws"),
                       reg("fails", "register-memory", R"({"fail_batch": "503 from upstream"})")});
  auto r = check(set, {kImei});
  EXPECT_EQ(r[0].verdict, Verdict::Unknown);
  EXPECT_NE(r[0].answers[0].error.find("unhandled exception: connection reset by register"),
            std::string::npos)
      << r[0].answers[0].error;
  EXPECT_NE(r[0].answers[1].error.find("register failed: 503 from upstream"), std::string::npos);
}

TEST(RegisterSet, OnlyRegistersAcceptingTheKindAreAsked) {
  auto set = open_set({reg("imei-only", "register-throws"), reg("mem", "register-memory")});
  auto r = check(set, {"A0000000002329", "8944105448006495861"});  // MEID, ICCID
  EXPECT_EQ(r[0].identifier->kind, dfx::ident::Kind::Meid);
  ASSERT_EQ(r[0].answers.size(), 1u);
  EXPECT_EQ(r[0].answers[0].register_id, "mem");
  EXPECT_EQ(r[0].verdict, Verdict::Clear);
  EXPECT_EQ(r[1].identifier->kind, dfx::ident::Kind::Iccid);
  EXPECT_TRUE(r[1].answers.empty());
  EXPECT_EQ(r[1].verdict, Verdict::Unknown) << "no register accepts ICCIDs";
}

TEST(RegisterSet, InvalidValuesAreNeverSentAndImeisvIsAskedAsItsImei) {
  auto set = open_set({reg("met", "register-memory", stolen_record(std::string("imei:") + kImei))});
  auto r = check(set, {"352099001761483", "3520990017614812"});
  EXPECT_EQ(r[0].verdict, Verdict::Invalid);
  EXPECT_TRUE(r[0].answers.empty());
  EXPECT_FALSE(r[0].lookup.has_value());
  ASSERT_TRUE(r[1].identifier);
  EXPECT_EQ(r[1].identifier->kind, dfx::ident::Kind::Imeisv);
  EXPECT_EQ(r[1].lookup->kind, "imei");
  EXPECT_EQ(r[1].lookup->identifier, kImei);
  EXPECT_EQ(r[1].verdict, Verdict::Flagged);
}

TEST(RegisterSet, DuplicatesPointAtTheFirstOccurrenceAcrossBatches) {
  auto set = open_set({reg("mem", "register-memory")});
  Checker checker(set);
  std::vector<CheckInput> a = {{kImei, 1, dfx::ident::Kind::Auto},
                               {kOtherImei, 2, dfx::ident::Kind::Auto}};
  std::vector<CheckInput> b = {{"35 209900 176148 1", 3, dfx::ident::Kind::Auto}};
  auto r1 = checker.check(a);
  auto r2 = checker.check(b);
  EXPECT_EQ(r1[0].duplicate_of, 0u);
  EXPECT_EQ(r2[0].duplicate_of, 1u) << "line 1";
  std::vector<CheckInput> c = {{kOtherImei, 0, dfx::ident::Kind::Auto}};
  EXPECT_EQ(checker.check(c)[0].duplicate_of, 2u) << "line 2 held it first";
}

}  // namespace
