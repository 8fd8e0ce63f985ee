// `dfx register import | stats` run as a user would: exit codes, messages, default location.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace {

using dfx::testing_support::run;
using dfx::testing_support::TempDir;

const std::string kSamples = DFX_SAMPLE_REGISTERS_DIR;
// No ambient register: each test names its own with --register-db or sets XDG_DATA_HOME.
const std::string kEnv = "env -u DFX_REGISTER_DB XDG_DATA_HOME=/nonexistent/dfx-test ";
const std::string kDfx = kEnv + DFX_CLI_PATH;
constexpr const char* kHeader = "identifier,status,reported_at,source,reference,notes\n";

class RegisterCli : public ::testing::Test {
 protected:
  std::string db() const { return (tmp_.path() / "register.sqlite").string(); }
  std::string dfx(const std::string& args) const {
    return kDfx + " register " + args + " --register-db " + db();
  }
  TempDir tmp_;
};

TEST_F(RegisterCli, ImportsTheDemoRegisterOnceThenFindsEverythingPresent) {
  const auto first = run(dfx("import " + kSamples + "/demo-register.csv"));
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_EQ(first.out, "imported " + kSamples + "/demo-register.csv into " + db() +
                           ": 52 records added, 0 updated, 0 already present, 0 skipped\n");
  EXPECT_EQ(first.err, "");
  const auto again = run(dfx("import " + kSamples + "/demo-register.csv"));
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find(": 0 records added, 0 updated, 52 already present, 0 skipped"),
            std::string::npos)
      << again.out;
  const auto jsonl = run(dfx("import " + kSamples + "/demo-register.jsonl"));
  ASSERT_EQ(jsonl.status, 0) << jsonl.err;

  const auto stats = run(dfx("stats --format json"));
  ASSERT_EQ(stats.status, 0) << stats.err;
  const auto j = nlohmann::json::parse(stats.out);
  EXPECT_EQ(j["path"], db());
  EXPECT_EQ(j["records"], 59);
  EXPECT_EQ(j["imports"].size(), 3u);
  EXPECT_EQ(j["imports"][0]["rows_added"], 52);
  EXPECT_EQ(j["imports"][1]["rows_unchanged"], 52);
  EXPECT_EQ(j["imports"][2]["format"], "jsonl");
  EXPECT_EQ(j["imports"][0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_LT(j["distinct_identifiers"].get<int>(), 59) << "the demo has identifiers reported twice";

  const auto table = run(dfx("stats"));
  ASSERT_EQ(table.status, 0) << table.err;
  EXPECT_NE(table.out.find("records:     59 ("), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("by status:   blocked "), std::string::npos) << table.out;
}

TEST_F(RegisterCli, AnInvalidRowImportsNothingAndExits4) {
  const auto file = tmp_.write("intake.csv", std::string(kHeader) +
                                                 "353812084788745,stolen,2024-01-01,P,r,\n"
                                                 "353812084788746,stolen,2024-01-01,P,r,\n");
  const auto r = run(dfx("import " + file.string()));
  EXPECT_EQ(r.status, 4);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "dfx register import: " + file.string() +
                       ":3: identifier \"353812084788746\": bad check digit: got 6, expected 5\n"
                       "nothing was imported (--skip-invalid leaves invalid rows out)\n");
  const auto stats = run(dfx("stats --format json"));
  ASSERT_EQ(stats.status, 0) << stats.err;
  EXPECT_EQ(nlohmann::json::parse(stats.out)["records"], 0);

  const auto skip = run(dfx("import --skip-invalid " + file.string()));
  ASSERT_EQ(skip.status, 0) << skip.err;
  EXPECT_NE(skip.out.find(": 1 record added, 0 updated, 0 already present, 1 skipped"),
            std::string::npos)
      << skip.out;
  EXPECT_EQ(skip.err,
            "dfx register import: skipped " + file.string() +
                ":3: identifier \"353812084788746\": bad check digit: got 6, expected 5\n");
}

TEST_F(RegisterCli, UsageAndRuntimeErrors) {
  const auto txt = tmp_.write("list.txt", "x\n");
  auto r = run(dfx("import " + txt.string()));
  EXPECT_EQ(r.status, 2) << "no format from the extension is a usage error";
  EXPECT_NE(r.err.find("give --format csv or jsonl"), std::string::npos) << r.err;
  r = run(dfx("import --format xml " + txt.string()));
  EXPECT_EQ(r.status, 2);
  r = run(dfx("import " + (tmp_.path() / "missing.csv").string()));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find((tmp_.path() / "missing.csv").string() + ": no such file"),
            std::string::npos)
      << r.err;
  r = run(dfx("stats"));
  EXPECT_EQ(r.status, 1) << "stats never creates a register";
  EXPECT_NE(r.err.find("no register at " + db()), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(db()));
}

TEST_F(RegisterCli, DefaultLocationIsTheXdgDataFolder) {
  const auto data = tmp_.path() / "data";
  const std::string env = "env -u DFX_REGISTER_DB XDG_DATA_HOME=" + data.string() + " ";
  const auto r = run(env + DFX_CLI_PATH + " register import " + kSamples + "/demo-register.jsonl");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(data / "dfx" / "register.sqlite"));
  const auto s = run(env + DFX_CLI_PATH + " register stats");
  EXPECT_EQ(s.status, 0) << s.err;
  const auto e = run("env DFX_REGISTER_DB=" + db() + " " + DFX_CLI_PATH + " register stats");
  EXPECT_EQ(e.status, 1) << "$DFX_REGISTER_DB names another (missing) file";
}

TEST_F(RegisterCli, AFifoIsRefusedNotWaitedFor) {
  const auto fifo = tmp_.path() / "reports.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto r = run(dfx("import " + fifo.string()));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(db())) << "nothing was created";
}

TEST_F(RegisterCli, VerifySaysIntactOrWhatChanged) {
  ASSERT_EQ(run(dfx("import " + kSamples + "/demo-register.csv")).status, 0);
  auto v = run(dfx("verify"));
  EXPECT_EQ(v.status, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("records:     52"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("intact:"), std::string::npos) << v.out;
  // Another program (here Python's sqlite3 module) changes a report's date, naming an import
  // as the change's origin so that the history trigger lets it through.
  const auto edit = tmp_.write("edit.py",
                               "import sqlite3, sys\n"
                               "c = sqlite3.connect(sys.argv[1])\n"
                               "c.execute(\"UPDATE register_entry SET reported_at = '2020-01-01', "
                               "updated_by = added_by WHERE identifier = '353812084788745'\")\n"
                               "c.commit()\n");
  ASSERT_EQ(run("/usr/bin/python3 " + edit.string() + " " + db()).status, 0);
  v = run(dfx("verify"));
  EXPECT_EQ(v.status, 4) << v.out << v.err;
  EXPECT_NE(v.out.find("NOT INTACT:  1 record does not match its digest: imei "
                       "353812084788745 (Acme Mobile Cover (insurer), CLM-2023-41323)"),
            std::string::npos)
      << v.out;
  const auto stats = run(dfx("stats"));
  EXPECT_EQ(stats.status, 0) << "the seal still holds: stats reports, verify finds the change";
}

}  // namespace
