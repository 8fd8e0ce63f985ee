// `dfx tac import | lookup | info` and `dfx normalize` with a TAC list, run as a user would.
// The real Osmocom list is read in place from the shared data folder (never copied into the
// repository); small lists for the malformed cases are written to a temporary folder.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace {

using dfx::testing_support::run;
using dfx::testing_support::TempDir;
using nlohmann::json;

const std::string kOsmocom = DFX_OSMOCOM_TACDB;
// No ambient database: each test names its own with --db (or sets DFX_DB / HOME itself).
const std::string kEnv = "env -u DFX_DB XDG_DATA_HOME=/nonexistent/dfx-test ";
const std::string kDfx = kEnv + DFX_CLI_PATH;

constexpr const char* kHead =
    "Test list, CC0\n"
    "tac,name,name,contributor,comment,gsmarena,gsmarena,aka\n";

class TacCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kOsmocom))
        << kOsmocom << " is missing: the Osmocom TAC list ships in core/tac/data";
  }
  std::string db() const { return (tmp_.path() / "dfx.sqlite").string(); }
  std::string dfx(const std::string& args) const { return kDfx + " " + args + " --db " + db(); }

  TempDir tmp_;
};

TEST_F(TacCli, ImportTheOsmocomListThenNormalizeShowsBrandAndModel) {
  const auto imp = run(dfx("tac import --skip-invalid " + kOsmocom));
  ASSERT_EQ(imp.status, 0) << imp.err;
  EXPECT_NE(imp.out.find("imported 22524 TACs from "), std::string::npos) << imp.out;
  EXPECT_NE(imp.out.find("licence: Osmocom TAC database under CC-BY-SA v3.0 (c) Harald Welte 2016"),
            std::string::npos)
      << imp.out;
  EXPECT_NE(imp.out.find("2 rows repeating an earlier TAC with the same brand and model"),
            std::string::npos)
      << imp.out;
  // The one real conflict in the export: same TAC, two model names.
  EXPECT_NE(imp.out.find("skipped 1 malformed row:\n  " + kOsmocom +
                         ":19246: TAC 33205600 is listed again as \"Sagem M314-B0\"; line 4021 "
                         "says \"Sagem DMC 830\""),
            std::string::npos)
      << imp.out;

  // 35675904 is Oppo N1: as a 14-digit IMEI, a 15-digit IMEI and an IMEISV.
  const auto n =
      run(dfx("normalize --format json 35675904000000 356759040000003 3567590400000001 "
              "A10000009296F2"));
  ASSERT_EQ(n.status, 0) << n.err;
  std::vector<json> v;
  for (std::size_t s = 0, e; (e = n.out.find('\n', s)) != std::string::npos; s = e + 1)
    v.push_back(json::parse(n.out.substr(s, e - s)));
  ASSERT_EQ(v.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(v[i]["brand"], "Oppo") << v[i].dump();
    EXPECT_EQ(v[i]["model"], "N1") << v[i].dump();
  }
  EXPECT_FALSE(v[3].contains("brand")) << "a MEID has no TAC";

  const auto t = run(dfx("normalize 356759040000003"));
  EXPECT_EQ(t.status, 0);
  EXPECT_NE(t.out.find("Oppo N1"), std::string::npos) << t.out;

  const auto l = run(dfx("tac lookup 35675904 356759040000003"));
  EXPECT_EQ(l.status, 0) << l.err;
  EXPECT_NE(l.out.find("Oppo"), std::string::npos);
  EXPECT_NE(l.out.find("source: Osmocom TAC database under CC-BY-SA"), std::string::npos)
      << "attribution the licence asks for";

  const auto i = run(dfx("tac info"));
  EXPECT_EQ(i.status, 0) << i.err;
  EXPECT_NE(i.out.find("TACs:        22524"), std::string::npos) << i.out;
  EXPECT_NE(i.out.find("source:      " + kOsmocom), std::string::npos) << i.out;
  EXPECT_NE(i.out.find("rows:        22524 imported, 1 skipped"), std::string::npos) << i.out;
}

TEST_F(TacCli, StrictImportOfTheOsmocomListStopsAtItsConflictAndKeepsThePreviousList) {
  ASSERT_EQ(run(dfx("tac import " +
                    tmp_.write("small.csv", std::string(kHead) + "01124500,Apple,iPhone,,,,,\n")
                        .string()))
                .status,
            0);
  const auto r = run(dfx("tac import " + kOsmocom));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find(kOsmocom + ":19246: TAC 33205600 is listed again"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("nothing was imported (--skip-invalid leaves malformed rows out)"),
            std::string::npos)
      << r.err;
  const auto l = run(dfx("tac lookup --format json 01124500 35675904"));
  EXPECT_EQ(l.status, 4) << "35675904 must not have been imported";
  EXPECT_NE(l.out.find("\"tac\":\"01124500\",\"found\":true,\"brand\":\"Apple\""),
            std::string::npos)
      << l.out;
  EXPECT_NE(l.out.find("\"tac\":\"35675904\",\"found\":false"), std::string::npos) << l.out;
}

TEST_F(TacCli, MalformedRowAbortsTheImportUnlessSkipInvalid) {
  const auto bad = tmp_.write("bad.csv", std::string(kHead) +
                                             "35675904,Oppo,N1,,,,,\n"
                                             "4901392,Nokia,1610,,,,,\n"
                                             "49502220,Nokia,1620,,,,,\n");
  const auto r = run(dfx("tac import " + bad.string()));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find(bad.string() + ":4: TAC \"4901392\" is not 8 digits"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(run(dfx("tac lookup 35675904")).status, 4) << "nothing imported";

  const auto s = run(dfx("tac import --skip-invalid " + bad.string()));
  EXPECT_EQ(s.status, 0) << s.err;
  EXPECT_NE(s.out.find("imported 2 TACs"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("skipped 1 malformed row:\n  " + bad.string() +
                       ":4: TAC \"4901392\" is not 8 digits"),
            std::string::npos)
      << s.out;
  EXPECT_EQ(run(dfx("tac lookup 35675904 49502220")).status, 0);
}

TEST_F(TacCli, LookupValuesThatAreNotTacsOrImeis) {
  ASSERT_EQ(run(dfx("tac import " +
                    tmp_.write("s.csv", std::string(kHead) + "35675904,Oppo,N1,,,,,\n").string()))
                .status,
            0);
  const auto r = run(dfx("tac lookup --format json 356759040000001 A10000009296F2 99999999"));
  EXPECT_EQ(r.status, 4);
  std::vector<json> v;
  for (std::size_t s = 0, e; (e = r.out.find('\n', s)) != std::string::npos; s = e + 1)
    v.push_back(json::parse(r.out.substr(s, e - s)));
  ASSERT_EQ(v.size(), 3u) << r.out;
  EXPECT_NE(v[0]["error"].get<std::string>().find("bad check digit"), std::string::npos);
  EXPECT_TRUE(v[0]["tac"].is_null());
  EXPECT_NE(v[1]["error"].get<std::string>().find("this is meid A10000009296F2"),
            std::string::npos);
  EXPECT_EQ(v[2]["found"], false);
  EXPECT_EQ(v[2]["tac"], "99999999");
}

TEST_F(TacCli, NoDatabaseYet) {
  const auto l = run(dfx("tac lookup 35675904"));
  EXPECT_EQ(l.status, 1);
  EXPECT_NE(l.err.find("no TAC list yet: no database at " + db()), std::string::npos) << l.err;
  EXPECT_NE(l.err.find("dfx tac import FILE"), std::string::npos);
  EXPECT_EQ(run(dfx("tac info")).status, 1);
  EXPECT_FALSE(std::filesystem::exists(db())) << "lookups never create the database";
  const auto m = run(dfx("tac import " + (tmp_.path() / "missing.csv").string()));
  EXPECT_EQ(m.status, 1);
  EXPECT_NE(m.err.find("cannot read " + (tmp_.path() / "missing.csv").string()), std::string::npos)
      << m.err;
  EXPECT_EQ(m.err.find("--skip-invalid"), std::string::npos) << "not a row problem";
}

TEST_F(TacCli, DatabaseLocationFromDfxDbThenXdgThenHome) {
  const auto csv = tmp_.write("s.csv", std::string(kHead) + "35675904,Oppo,N1,,,,,\n").string();
  const std::string bin = DFX_CLI_PATH;
  const auto env_db = tmp_.path() / "env" / "dfx.sqlite";
  EXPECT_EQ(run("env DFX_DB=" + env_db.string() + " " + bin + " tac import " + csv).status, 0);
  EXPECT_TRUE(std::filesystem::exists(env_db));
  const auto n = run("env DFX_DB=" + env_db.string() + " " + bin + " normalize 356759040000003");
  EXPECT_NE(n.out.find("Oppo N1"), std::string::npos) << n.out << n.err;

  const auto xdg = tmp_.path() / "xdg";
  EXPECT_EQ(
      run("env -u DFX_DB XDG_DATA_HOME=" + xdg.string() + " " + bin + " tac import " + csv).status,
      0);
  EXPECT_TRUE(std::filesystem::exists(xdg / "dfx" / "dfx.sqlite"));

  const auto home = tmp_.path() / "home";
  EXPECT_EQ(
      run("env -u DFX_DB -u XDG_DATA_HOME HOME=" + home.string() + " " + bin + " tac import " + csv)
          .status,
      0);
  EXPECT_TRUE(std::filesystem::exists(home / ".local" / "share" / "dfx" / "dfx.sqlite"));
}

TEST_F(TacCli, HelpFootersDocumentExitStatus) {
  for (const char* sub : {"tac import", "tac lookup", "tac info"}) {
    const auto h = run(kDfx + " " + sub + " --help");
    EXPECT_EQ(h.status, 0) << sub;
    EXPECT_NE(h.out.find("Exit status: 0 "), std::string::npos) << sub << h.out;
    EXPECT_NE(h.out.find("--db"), std::string::npos) << sub;
  }
  EXPECT_EQ(run(kDfx + " tac").status, 2);
  EXPECT_EQ(run(kDfx + " tac import").status, 2);
  EXPECT_EQ(run(kDfx + " tac lookup").status, 2);
}

}  // namespace
