// dfx case end to end: a case made, checks appended with --case (each batch's record on disk
// before its results are shown, a signed checkpoint at the end), verified, tampered with and
// named, repaired, closed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "case_cli_fixture.hpp"
#include "support/build_paths.hpp"
#include "support/run.hpp"

namespace {

using dfx::testing_support::run;
namespace fs = std::filesystem;

class CaseCli : public dfx::testing_support::CaseCliFixture {
 protected:
  CaseCli() : CaseCliFixture("case-cli") {}
  std::vector<nlohmann::json> records() const {
    std::ifstream in(case_path() / "case.jsonl");
    std::vector<nlohmann::json> out;
    for (std::string l; std::getline(in, l);) out.push_back(nlohmann::json::parse(l));
    return out;
  }
  nlohmann::json verify_json() const {
    const auto r = run(dfx("case verify --format json " + case_dir()));
    return nlohmann::json::parse(r.out);
  }
};

TEST_F(CaseCli, ChecksAreRecordedSignedAndVerified) {
  auto made = run(
      dfx("case new " + case_dir() + " --case-id OP-2026-117 --operator 'PC 4471' --exhibit EX-3"));
  ASSERT_EQ(made.status, 0) << made.err;
  EXPECT_NE(made.out.find("case OP-2026-117 created"), std::string::npos) << made.out;
  EXPECT_TRUE(fs::exists(dir_ / "dfx" / "workstation-ed25519.pem")) << "key made on first use";

  const auto checked = run(dfx("check --format json --config " + (dir_ / "config.json").string() +
                               " --case " + case_dir() + " 352099001761481 490154203237518"));
  EXPECT_EQ(checked.status, 5) << checked.err;
  const auto rs = records();
  ASSERT_EQ(rs.size(), 3u) << "the case, the check, the checkpoint (the key is already known)";
  EXPECT_EQ(rs[0]["type"], "case");
  EXPECT_EQ(rs[0]["exhibit"], "EX-3");
  EXPECT_EQ(rs[1]["type"], "check");
  EXPECT_EQ(rs[1]["operator"], "PC 4471");
  ASSERT_EQ(rs[1]["results"].size(), 2u);
  EXPECT_EQ(rs[1]["results"][0]["verdict"], "flagged");
  EXPECT_EQ(rs[1]["results"][0]["hits"][0]["reporting_party"], "Metropolitan Police");
  EXPECT_EQ(rs[1]["tool"]["binaries"]["dfx"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(rs.back()["type"], "checkpoint");

  const auto v = verify_json();
  EXPECT_EQ(v["ok"], true) << v.dump(2);
  EXPECT_EQ(v["records"], rs.size());
  EXPECT_EQ(v["signed_through"], rs.size() - 2);
  EXPECT_EQ(run(dfx("case verify " + case_dir())).status, 0);

  // Closed: verified, and no command appends to it any more.
  EXPECT_EQ(run(dfx("case close " + case_dir())).status, 0);
  EXPECT_EQ(verify_json()["closed"], true);
  const auto after = run(dfx("check --config " + (dir_ / "config.json").string() + " --case " +
                             case_dir() + " 490154203237518"));
  EXPECT_EQ(after.status, 1);
  EXPECT_NE(after.err.find("closed"), std::string::npos) << after.err;
}

TEST_F(CaseCli, ATamperedCaseFailsVerificationNamingTheRecord) {
  ASSERT_EQ(run(dfx("case new " + case_dir() + " --case-id C1 --operator A")).status, 0);
  ASSERT_EQ(run(dfx("check --config " + (dir_ / "config.json").string() + " --case " + case_dir() +
                    " 352099001761481"))
                .status,
            5);
  // Someone edits the verdict of record 1.
  ASSERT_TRUE(change_a_flagged_verdict_to_clear());
  const auto r = run(dfx("case verify " + case_dir()));
  EXPECT_EQ(r.status, 4);
  EXPECT_NE(r.out.find("does NOT verify (changed)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("line 2 (record 1 expected) does not match its own hash"), std::string::npos)
      << r.out;
  const auto refused = run(dfx("case repair " + case_dir()));
  EXPECT_EQ(refused.status, 4) << "a changed record is examined, not repaired";
}

TEST_F(CaseCli, ATornLineIsRepairedOnlyOnRequest) {
  ASSERT_EQ(run(dfx("case new " + case_dir() + " --case-id C2 --operator A")).status, 0);
  std::ofstream(case_path() / "case.jsonl", std::ios::app) << "{\"seq\":1,\"prev";
  auto v = verify_json();
  EXPECT_EQ(v["problem"], "torn");
  EXPECT_EQ(run(dfx("check --config " + (dir_ / "config.json").string() + " --case " + case_dir() +
                    " 490154203237518"))
                .status,
            1)
      << "nothing is appended after a torn line";
  const auto repaired = run(dfx("case repair " + case_dir()));
  EXPECT_EQ(repaired.status, 0) << repaired.err;
  EXPECT_NE(repaired.out.find("removed a torn last line of 14 bytes"), std::string::npos)
      << repaired.out;
  EXPECT_EQ(verify_json()["ok"], true);
  EXPECT_EQ(records().back()["type"], "repair");
}

}  // namespace
