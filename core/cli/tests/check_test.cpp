// dfx check end to end: the built CLI, a configuration file, and real register plugins.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "support/run.hpp"

namespace {

using dfx::testing_support::run;
namespace fs = std::filesystem;

constexpr const char* kStolen = "352099001761481";
constexpr const char* kClean = "490154203237518";

class CheckCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dfx-check-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    write_config(R"({"registers": [
      {"id": "met", "plugin": "register-memory", "settings": {"records": {"imei:352099001761481":
        [{"status": "stolen", "reported_at": "2024-03-01", "reporting_party": "Metropolitan Police",
          "reference": "CR/1"}]}}},
      {"id": "network", "plugin": "register-memory"}]})");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write_config(const std::string& text) { std::ofstream(dir_ / "config.json") << text; }
  std::string dfx(const std::string& args) {
    // HOME and XDG point into the test folder: no user configuration or register is touched.
    return "HOME=" + dir_.string() + " XDG_DATA_HOME=" + dir_.string() +
           " XDG_CONFIG_HOME=" + dir_.string() +
           " " DFX_CLI_PATH " --plugin-dir " DFX_TEST_REGISTER_DIR " check " + args;
  }
  std::string config() const { return " --config " + (dir_ / "config.json").string(); }

  static std::vector<nlohmann::json> lines(const std::string& out) {
    std::vector<nlohmann::json> v;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);) v.push_back(nlohmann::json::parse(l));
    return v;
  }

  fs::path dir_;
};

TEST_F(CheckCli, JsonLinesFollowTheSchema) {
  auto r = run(
      dfx(std::string("--format json ") + kStolen + " " + kClean + " 352099001761483" + config()));
  EXPECT_EQ(r.status, 5) << "something flagged\n" << r.err;
  auto v = lines(r.out);
  ASSERT_EQ(v.size(), 3u) << r.out;
  const auto& flagged = v[0];
  EXPECT_EQ(flagged["input"], kStolen);
  EXPECT_EQ(flagged["identifier"]["kind"], "imei");
  EXPECT_EQ(flagged["identifier"]["canonical"], kStolen);
  EXPECT_EQ(flagged["identifier"]["valid"], true);
  EXPECT_EQ(flagged["verdict"], "flagged");
  EXPECT_EQ(flagged["conflict"], true) << "met has a record, network has none";
  ASSERT_EQ(flagged["hits"].size(), 1u);
  EXPECT_EQ(flagged["hits"][0]["register"], "met");
  EXPECT_EQ(flagged["hits"][0]["status"], "stolen");
  EXPECT_EQ(flagged["hits"][0]["reported_at"], "2024-03-01");
  EXPECT_EQ(flagged["hits"][0]["reporting_party"], "Metropolitan Police");
  EXPECT_EQ(flagged["hits"][0]["reference"], "CR/1");
  ASSERT_EQ(flagged["registers"].size(), 2u);
  EXPECT_EQ(flagged["registers"][0]["id"], "met");
  EXPECT_EQ(flagged["registers"][0]["outcome"], "hit");
  EXPECT_TRUE(flagged["registers"][0]["latency_ms"].is_number());
  EXPECT_TRUE(flagged["registers"][0]["error"].is_null());
  EXPECT_EQ(flagged["registers"][1]["outcome"], "miss");

  EXPECT_EQ(v[1]["verdict"], "clear");
  EXPECT_TRUE(v[1]["hits"].empty());

  EXPECT_EQ(v[2]["verdict"], "invalid");
  EXPECT_EQ(v[2]["identifier"]["valid"], false);
  EXPECT_TRUE(v[2]["identifier"]["canonical"].is_null());
  EXPECT_TRUE(v[2]["identifier"]["error"].is_string());
  EXPECT_TRUE(v[2]["registers"].empty()) << "invalid identifiers are never sent";
}

TEST_F(CheckCli, ExitStatusTellsClearFlaggedAndNotClearApart) {
  EXPECT_EQ(run(dfx(std::string(kClean) + config())).status, 0);
  EXPECT_EQ(run(dfx(std::string(kStolen) + " " + kClean + config())).status, 5);
  EXPECT_EQ(run(dfx(std::string(kClean) + " 352099001761483" + config())).status, 6)
      << "a bad check digit";
  EXPECT_EQ(run(dfx("--format yaml 1" + config())).status, 2);
  EXPECT_EQ(run(dfx("1 --config " + (dir_ / "none.json").string())).status, 1);
}

TEST_F(CheckCli, ARegisterThatCannotBeAskedIsNeverReportedClear) {
  write_config(R"({"registers": [{"id": "met", "plugin": "register-memory"},
      {"id": "down", "plugin": "register-memory", "settings": {"open_error": "cannot reach host"}}]})");
  auto r = run(dfx(std::string("--format json ") + kClean + config()));
  EXPECT_EQ(r.status, 6) << r.err;
  auto v = lines(r.out);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["verdict"], "unknown");
  EXPECT_EQ(v[0]["registers"][1]["outcome"], "error");
  EXPECT_NE(v[0]["registers"][1]["error"].get<std::string>().find("cannot reach host"),
            std::string::npos);
  EXPECT_NE(r.err.find("cannot reach host"), std::string::npos) << "logged for the technician";
}

TEST_F(CheckCli, WithoutAConfigTheEmbeddedRegisterIsUsedAndItsAbsenceIsUnknown) {
  // No configuration: the built-in register "local", whatever the plugin folders hold. Nothing
  // was imported into it, so it cannot call anything clear.
  auto r = run(dfx(std::string("--format json ") + kClean));
  EXPECT_EQ(r.status, 6) << r.err;
  auto v = lines(r.out);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["verdict"], "unknown");
  EXPECT_EQ(v[0]["registers"][0]["id"], "local");
  EXPECT_NE(v[0]["registers"][0]["error"].get<std::string>().find("nothing has been imported"),
            std::string::npos)
      << v[0].dump();
}

TEST_F(CheckCli, StdinLinesKeepTheirNumbersAndDuplicatesAreMarked) {
  std::ofstream(dir_ / "in.txt") << kClean << "\n\n"
                                 << "IMEI: 35-209900-176148-1\n"
                                 << kClean << "\n";
  auto r = run(dfx("--format json" + config() + " < " + (dir_ / "in.txt").string()));
  auto v = lines(r.out);
  ASSERT_EQ(v.size(), 3u) << r.out;
  EXPECT_EQ(v[0]["line"], 1);
  EXPECT_EQ(v[1]["line"], 3);
  EXPECT_EQ(v[1]["verdict"], "flagged");
  EXPECT_EQ(v[2]["line"], 4);
  EXPECT_EQ(v[2]["duplicate_of"], 1) << "the line of the first occurrence";
  EXPECT_FALSE(v[0].contains("duplicate_of"));
}

TEST_F(CheckCli, IntakeCsvByColumnNameAndCsvOutput) {
  std::ofstream(dir_ / "intake.csv") << "bag,IMEI,notes\n"
                                     << "B-001," << kStolen << ",cracked screen\n"
                                     << "B-002,\"" << kClean << "\",\n";
  auto r = run(dfx("--format csv --file " + (dir_ / "intake.csv").string() + config()));
  EXPECT_EQ(r.status, 5) << r.err;
  std::istringstream in(r.out);
  std::vector<std::string> rows;
  for (std::string l; std::getline(in, l);) rows.push_back(l);
  ASSERT_EQ(rows.size(), 5u) << r.out;  // header + 2 registers x 2 identifiers
  EXPECT_EQ(rows[0].rfind("line,input,kind,identifier,valid,verdict,conflict", 0), 0u);
  EXPECT_EQ(rows[1],
            std::string("2,") + kStolen + ",imei," + kStolen +
                ",true,flagged,true,,met,hit,stolen,2024-03-01,Metropolitan Police,CR/1,,");
  EXPECT_EQ(rows[3].rfind(std::string("3,") + kClean, 0), 0u);
}

TEST_F(CheckCli, TableIsForPeople) {
  auto r = run(dfx(std::string(kStolen) + " " + kClean + " 35209900176148X" + config()));
  EXPECT_EQ(r.status, 5);
  EXPECT_NE(r.out.find("VERDICT"), std::string::npos);
  EXPECT_NE(r.out.find("FLAGGED"), std::string::npos);
  EXPECT_NE(r.out.find("met: stolen, reported 2024-03-01 by Metropolitan Police, ref CR/1"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("network: no record"), std::string::npos) << "conflicts side by side";
  EXPECT_NE(r.out.find("INVALID"), std::string::npos);
  EXPECT_NE(r.out.find("3 values: 1 flagged, 1 clear, 0 unknown, 1 invalid"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("register met (register-memory 0.0.1): ok, accepts imei,meid,serial"),
            std::string::npos)
      << r.out;
}

TEST_F(CheckCli, InputIsBoundedAndNeverBlocks) {
  // A FIFO as --file is refused at once (opening it would wait for a writer forever).
  const auto fifo = dir_ / "intake.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto r = run(dfx("--file " + fifo.string() + config()));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
  // "-" is stdin, meant.
  r = run("echo " + std::string(kClean) + " | " + dfx("--format json --file -" + config()));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"verdict\":\"clear\""), std::string::npos) << r.out;
  // An endless line (a device, /dev/zero) stops at the line limit with its line number.
  r = run("head -c 300000 /dev/zero | " + dfx(config()));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("stdin:1: line is longer than 65536 bytes"), std::string::npos) << r.err;
}

}  // namespace
