// The built-in sqlite register driven through the register interface of the SDK (open / query /
// close), as the host drives register plugins, with a small host API implemented here.
#include <gtest/gtest.h>

#include <dfx/plugin.h>

#include <map>

#include "helpers.hpp"
#include "register_store/builtin_register.hpp"

namespace dfx::register_store::test {
namespace {

/// One query's answers as the host received them.
struct Answers {
  std::vector<dfx_register_hit> hits;  // strings copied into `text`
  std::vector<std::string> text;
  int misses = 0;
  std::vector<std::string> errors;
};

struct TestHost {
  std::map<std::uint32_t, Answers> answers;
  std::string error;
  bool stop = false;
  int stop_after_calls = -1;  // should_stop() turns true after this many calls (-1: never)
  int stop_calls = 0;
};

TestHost* self(dfx_register_host* h) {
  return reinterpret_cast<TestHost*>(h);
}

dfx_register_host_api make_api() {
  dfx_register_host_api api{};
  api.struct_size = sizeof api;
  api.abi_major = DFX_ABI_MAJOR;
  api.abi_minor = DFX_ABI_MINOR;
  api.log = [](dfx_register_host*, dfx_log_level, const char*) {};
  api.set_error = [](dfx_register_host* h, const char* m) { self(h)->error = m; };
  api.report_hit = [](dfx_register_host* h, std::uint32_t i,
                      const dfx_register_hit* hit) -> dfx_status {
    auto& a = self(h)->answers[i];
    for (const char* s : {hit->status, hit->reported_at, hit->reporting_party, hit->reference})
      a.text.push_back(s ? s : "(null)");
    a.hits.push_back(*hit);
    return DFX_OK;
  };
  api.report_miss = [](dfx_register_host* h, std::uint32_t i) -> dfx_status {
    ++self(h)->answers[i].misses;
    return DFX_OK;
  };
  api.report_error = [](dfx_register_host* h, std::uint32_t i, const char* why) -> dfx_status {
    self(h)->answers[i].errors.push_back(why);
    return DFX_OK;
  };
  api.should_stop = [](dfx_register_host* h) -> int32_t {
    auto* t = self(h);
    return t->stop || (t->stop_after_calls >= 0 && t->stop_calls++ >= t->stop_after_calls);
  };
  return api;
}

class RegisterPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    const dfx_plugin_info& info = builtin_register_info();
    EXPECT_EQ(info.kind, DFX_PLUGIN_REGISTER);
    EXPECT_STREQ(info.id, kBuiltinRegisterId);
    ops_ = info.register_ops;
    ASSERT_NE(ops_, nullptr);
  }
  void TearDown() override {
    if (state_) ops_->close(state_);
  }
  dfx_status open(const std::string& settings) {
    return ops_->open(&api_, reinterpret_cast<dfx_register_host*>(&host_), settings.c_str(),
                      &state_);
  }
  dfx_status query(const std::vector<std::pair<std::string, std::string>>& q) {
    std::vector<dfx_register_query> c;
    for (const auto& [k, v] : q) c.push_back({sizeof(dfx_register_query), k.c_str(), v.c_str()});
    return ops_->query(state_, &api_, reinterpret_cast<dfx_register_host*>(&host_), c.data(),
                       static_cast<std::uint32_t>(c.size()));
  }
  std::string settings() const {
    return "{\"path\": \"" + (tmp_.path() / "register.sqlite").string() + "\"}";
  }
  void import_sample() {
    auto store = RegisterStore::open_for_import(tmp_.path() / "register.sqlite");
    ASSERT_TRUE(store);
    auto r = import_file(
        *store,
        tmp_.write("s.csv",
                   std::string(kHeader) + a_ + ",lost,2024-02-11,Owner report,OWN-1,\n" + a_ +
                       ",stolen,2024-02-19T09:30:00Z,Metropolitan Police,MPS-9,Same handset\n" +
                       "A10000009296F2,blocked,,EE,,\n"));
    ASSERT_TRUE(r) << r.error().message;
  }

  TempDir tmp_;
  const dfx_register_ops* ops_ = nullptr;
  dfx_register_host_api api_ = make_api();
  TestHost host_;
  void* state_ = nullptr;
  const std::string a_ = imei("35381208478874");
  const std::string b_ = imei("35539407401326");
};

TEST_F(RegisterPlugin, AcceptsTheKindsTheRegisterStores) {
  std::vector<std::string> kinds;
  for (const char* const* k = ops_->accepted_kinds; *k; ++k) kinds.emplace_back(*k);
  EXPECT_EQ(kinds, (std::vector<std::string>{"imei", "meid", "esn", "iccid", "imsi", "eid", "ecid",
                                             "udid", "serial"}));
}

TEST_F(RegisterPlugin, HitsMissesAndSeveralRecordsForOneIdentifier) {
  import_sample();
  ASSERT_EQ(open(settings()), DFX_OK) << host_.error;
  ASSERT_EQ(query({{"imei", a_}, {"imei", b_}, {"meid", "A10000009296F2"}}), DFX_OK) << host_.error;
  ASSERT_EQ(host_.answers.size(), 3u);
  const auto& a = host_.answers[0];
  ASSERT_EQ(a.hits.size(), 2u);
  EXPECT_EQ(a.misses, 0);
  EXPECT_TRUE(a.errors.empty());
  // Key order: Metropolitan Police before Owner report.
  EXPECT_EQ(
      std::vector<std::string>(a.text.begin(), a.text.begin() + 4),
      (std::vector<std::string>{"stolen", "2024-02-19T09:30:00Z", "Metropolitan Police", "MPS-9"}));
  EXPECT_EQ(std::vector<std::string>(a.text.begin() + 4, a.text.end()),
            (std::vector<std::string>{"lost", "2024-02-11", "Owner report", "OWN-1"}));
  EXPECT_EQ(host_.answers[1].misses, 1);
  EXPECT_TRUE(host_.answers[1].hits.empty());
  const auto& m = host_.answers[2];
  ASSERT_EQ(m.hits.size(), 1u);
  EXPECT_EQ(m.text, (std::vector<std::string>{"blocked", "(null)", "EE", "(null)"}))
      << "empty date and reference are passed as NULL (not given)";
}

TEST_F(RegisterPlugin, AMissingRegisterIsNotCreatedAndFailsToOpen) {
  EXPECT_EQ(open(settings()), DFX_ERR_IO);
  EXPECT_NE(host_.error.find("no register at " + (tmp_.path() / "register.sqlite").string() +
                             ": nothing has been imported"),
            std::string::npos)
      << host_.error;
  EXPECT_FALSE(std::filesystem::exists(tmp_.path() / "register.sqlite"))
      << "a check creates nothing";
  const auto nested = tmp_.path() / "no" / "such" / "folder" / "r.sqlite";
  EXPECT_EQ(open("{\"path\": \"" + nested.string() + "\"}"), DFX_ERR_IO);
  EXPECT_FALSE(std::filesystem::exists(tmp_.path() / "no"));
  EXPECT_EQ(open("{\"path\": \"/dev/null\"}"), DFX_ERR_IO);
  EXPECT_NE(host_.error.find("/dev/null is not a regular file"), std::string::npos) << host_.error;
}

TEST_F(RegisterPlugin, AnEmptyRegisterAnswersErrorsNeverMisses) {
  {  // what an import that failed leaves: a register file with nothing in it
    auto store = RegisterStore::open_for_import(tmp_.path() / "register.sqlite");
    ASSERT_TRUE(store);
  }
  ASSERT_EQ(open(settings()), DFX_OK) << host_.error;
  ASSERT_EQ(query({{"imei", a_}, {"serial", "C02XK0ABHG7F"}}), DFX_OK);
  for (std::uint32_t i = 0; i < 2; ++i) {
    const auto& ans = host_.answers[i];
    EXPECT_EQ(ans.misses, 0);
    ASSERT_EQ(ans.errors.size(), 1u);
    EXPECT_EQ(ans.errors[0], "register " + (tmp_.path() / "register.sqlite").string() +
                                 " is empty: nothing has been imported (dfx register import FILE)");
  }
}

TEST_F(RegisterPlugin, DeadlineTurnsTheRestIntoErrors) {
  import_sample();
  ASSERT_EQ(open(settings()), DFX_OK);
  host_.stop = true;
  ASSERT_EQ(query({{"imei", a_}, {"imei", b_}}), DFX_OK);
  for (std::uint32_t i = 0; i < 2; ++i) {
    EXPECT_EQ(host_.answers[i].misses, 0);
    ASSERT_EQ(host_.answers[i].errors.size(), 1u);
    EXPECT_NE(host_.answers[i].errors[0].find("deadline"), std::string::npos);
  }
}

TEST_F(RegisterPlugin, ABatchLargerThanAChunkIsAnsweredCompletely) {
  import_sample();
  ASSERT_EQ(open(settings()), DFX_OK);
  std::vector<std::pair<std::string, std::string>> q(10000, {"imei", b_});
  q[9999] = {"imei", a_};
  ASSERT_EQ(query(q), DFX_OK);
  ASSERT_EQ(host_.answers.size(), 10000u);
  EXPECT_EQ(host_.answers[0].misses, 1);
  EXPECT_EQ(host_.answers[9999].hits.size(), 2u);
  // should_stop turning true after the first chunk: the rest are errors, none is left silent.
  host_ = TestHost{};
  host_.stop_after_calls = 1;
  ASSERT_EQ(query(q), DFX_OK);
  ASSERT_EQ(host_.answers.size(), 10000u);
  EXPECT_EQ(host_.answers[0].misses, 1);
  EXPECT_EQ(host_.answers[9999].errors.size(), 1u);
}

TEST_F(RegisterPlugin, SettingsErrorsNameTheProblem) {
  EXPECT_EQ(open("{\"pth\": \"/tmp/x\"}"), DFX_ERR_INVALID_ARGUMENT);
  EXPECT_NE(host_.error.find("unknown key \"pth\""), std::string::npos) << host_.error;
  EXPECT_EQ(state_, nullptr);
  EXPECT_EQ(open("{\"path\": 3}"), DFX_ERR_INVALID_ARGUMENT);
  EXPECT_NE(host_.error.find("\"path\" must be a non-empty string"), std::string::npos);
  EXPECT_EQ(open("not json"), DFX_ERR_INVALID_ARGUMENT);
  EXPECT_NE(host_.error.find("not JSON"), std::string::npos);
}

TEST_F(RegisterPlugin, AnUnreadableRegisterFailsToOpen) {
  const auto foreign = tmp_.write("foreign.sqlite", "this is not a database, it is a text file\n");
  EXPECT_EQ(open("{\"path\": \"" + foreign.string() + "\"}"), DFX_ERR_IO);
  EXPECT_NE(host_.error.find("opening register " + foreign.string()), std::string::npos)
      << host_.error;
}

}  // namespace
}  // namespace dfx::register_store::test
