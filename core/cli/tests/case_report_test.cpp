// dfx case report end to end: a case made and checked with the dfx commands, reported as HTML,
// CSV and JSON (to stdout and to a file), redacted; a tampered case still reported, saying so,
// with exit status 4.
#include <gtest/gtest.h>
#include <sys/stat.h>
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

class CaseReportCli : public dfx::testing_support::CaseCliFixture {
 protected:
  CaseReportCli() : CaseCliFixture("case-report-cli") {}
  void SetUp() override {
    CaseCliFixture::SetUp();
    ASSERT_EQ(run(dfx("case new " + case_dir() + " --case-id OP-7 --operator 'PC 4471' " +
                      "--exhibit EX-9"))
                  .status,
              0);
    // A flagged and a clear IMEI, and a value a spreadsheet would run as a formula.
    const auto checked = run(dfx("check --config " + (dir_ / "config.json").string() + " --case " +
                                 case_dir() + " 352099001761481 490154203237518 " + "'=1+2'"));
    ASSERT_EQ(checked.status, 5) << checked.err;
  }
};

TEST_F(CaseReportCli, ReportsTheCaseAsHtmlCsvAndJson) {
  const auto html = run(dfx("case report " + case_dir()));
  ASSERT_EQ(html.status, 0) << html.err;
  EXPECT_EQ(html.out.rfind("<!DOCTYPE html>", 0), 0u) << "HTML by default, on stdout";
  for (const char* expected :
       {"dfx case report: OP-7", "Exhibit EX-9", "The case verifies:", "352099001761481",
        "<span class=\"verdict v-flagged\">FLAGGED</span>", "Metropolitan Police", "CR/1",
        "met (register-memory)"})
    EXPECT_NE(html.out.find(expected), std::string::npos) << expected;

  const auto csv = run(dfx("case report --format csv " + case_dir()));
  ASSERT_EQ(csv.status, 0) << csv.err;
  std::istringstream lines(csv.out);
  std::vector<std::string> rows;
  for (std::string l; std::getline(lines, l);) rows.push_back(l);
  ASSERT_EQ(rows.size(), 4u) << csv.out;
  EXPECT_EQ(rows[0].rfind("case_id,exhibit,case_verifies,chain_head,row,source,", 0), 0u)
      << rows[0];
  EXPECT_EQ(rows[1].rfind("OP-7,EX-9,yes,", 0), 0u) << rows[1];
  EXPECT_NE(rows[1].find(",1,check,1,"), std::string::npos) << "row 1, from record 1: " << rows[1];
  EXPECT_NE(rows[1].find(",FLAGGED,352099001761481,"), std::string::npos) << rows[1];
  EXPECT_NE(rows[3].find(",\"'=1+2\","), std::string::npos) << "no formula: " << rows[3];

  const fs::path out = dir_ / "report.json";
  const auto json =
      run(dfx("case report --format json --output " + out.string() + " " + case_dir()));
  ASSERT_EQ(json.status, 0) << json.err;
  EXPECT_TRUE(json.out.empty()) << "the report went to the file";
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "a report holds every identifier of the case";
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["schema"], "dfx.case-report/1");
  EXPECT_EQ(j["verification"]["ok"], true);
  ASSERT_EQ(j["devices"].size(), 3u);
  EXPECT_EQ(j["summary"]["flagged"], 1);
  EXPECT_EQ(j["devices"][0]["integrity"], "signed");
  EXPECT_FALSE(j["software"].empty()) << "the dfx binaries, hashed";
}

TEST_F(CaseReportCli, RedactedReportsShowOnlyTheLastFourCharacters) {
  for (const char* format : {"html", "csv", "json"}) {
    const auto r =
        run(dfx(std::string("case report --redact --format ") + format + " " + case_dir()));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out.find("352099001761481"), std::string::npos) << format;
    EXPECT_EQ(r.out.find("490154203237518"), std::string::npos) << format;
    EXPECT_NE(r.out.find("***********1481"), std::string::npos) << format;
    EXPECT_NE(r.out.find("***********7518"), std::string::npos) << format;
  }
}

TEST_F(CaseReportCli, ACaseThatDoesNotVerifyIsReportedAsSuchWithStatusFour) {
  ASSERT_TRUE(change_a_flagged_verdict_to_clear());
  const auto r = run(dfx("case report " + case_dir()));
  EXPECT_EQ(r.status, 4);
  EXPECT_NE(r.out.find("THIS CASE DOES NOT VERIFY (changed)"), std::string::npos);
  EXPECT_NE(r.out.find("NOT VERIFIED"), std::string::npos) << "the rows of the changed record";
  EXPECT_NE(r.err.find("the case does NOT verify (changed)"), std::string::npos) << r.err;
  const auto csv = run(dfx("case report --format csv " + case_dir()));
  EXPECT_EQ(csv.status, 4);
  EXPECT_NE(csv.out.find("NO (changed)"), std::string::npos) << csv.out;
}

TEST_F(CaseReportCli, NoCaseOrABadFormatIsRefused) {
  const auto none = run(dfx("case report " + (dir_ / "nothing").string()));
  EXPECT_EQ(none.status, 1);
  EXPECT_NE(none.err.find("no case at"), std::string::npos) << none.err;
  EXPECT_EQ(run(dfx("case report --format pdf " + case_dir())).status, 2);
}

}  // namespace
