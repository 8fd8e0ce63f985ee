// `dfx normalize`, run as a user would: values from arguments and stdin, --kind, JSON fields per
// kind, table output, exit statuses, and input the reader must survive.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace {

using dfx::testing_support::run;
using dfx::testing_support::TempDir;
using nlohmann::json;

// No database anywhere: a test must not read (or create) the user's own TAC list.
const std::string kDfx =
    "env -u DFX_DB XDG_DATA_HOME=/nonexistent/dfx-test " + std::string(DFX_CLI_PATH);

std::vector<json> json_lines(const std::string& out) {
  std::vector<json> v;
  std::size_t start = 0;
  while (start < out.size()) {
    const auto end = out.find('\n', start);
    EXPECT_NE(end, std::string::npos) << "every JSON line ends with a newline";
    v.push_back(json::parse(out.substr(start, end - start)));
    start = end + 1;
  }
  return v;
}

TEST(NormalizeCli, ArgumentsToJsonPerKind) {
  const auto r = run(kDfx +
                     " normalize --format json 'IMEI: 35-209900-176148-1' 3520990017614823"
                     " a10000009296f2 0x8075B7ED 89014103211118510720"
                     " 89049032123451234512345678901235");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = json_lines(r.out);
  ASSERT_EQ(v.size(), 6u) << r.out;

  EXPECT_EQ(v[0]["input"], "IMEI: 35-209900-176148-1");
  EXPECT_EQ(v[0]["kind"], "imei");
  EXPECT_EQ(v[0]["valid"], true);
  EXPECT_EQ(v[0]["canonical"], "352099001761481");
  EXPECT_EQ(v[0]["tac"], "35209900");
  EXPECT_EQ(v[0]["snr"], "176148");
  EXPECT_EQ(v[0]["check_digit"], "1");
  EXPECT_TRUE(v[0]["notes"].is_array());
  EXPECT_FALSE(v[0].contains("error"));
  // No TAC database in this test: brand and model come from the list dfx ships, if it has the TAC.
  EXPECT_EQ(v[0].contains("brand"), v[0].contains("model"));

  EXPECT_EQ(v[1]["kind"], "imeisv");
  EXPECT_EQ(v[1]["canonical"], "3520990017614823");
  EXPECT_EQ(v[1]["imei"], "352099001761481");
  EXPECT_EQ(v[1]["svn"], "23");

  EXPECT_EQ(v[2]["kind"], "meid");
  EXPECT_EQ(v[2]["canonical"], "A10000009296F2");
  EXPECT_EQ(v[2]["pesn"], "8075B7ED");
  EXPECT_EQ(v[2]["meid_decimal"], "270113177609606898");

  EXPECT_EQ(v[3]["kind"], "esn");
  EXPECT_EQ(v[3]["canonical"], "8075B7ED");

  EXPECT_EQ(v[4]["kind"], "iccid");
  EXPECT_EQ(v[4]["canonical"], "89014103211118510720");

  EXPECT_EQ(v[5]["kind"], "eid");
  EXPECT_EQ(v[5]["valid"], true) << v[5].dump();
  EXPECT_EQ(v[5]["canonical"], "89049032123451234512345678901235");
  EXPECT_EQ(v[5]["check_digit"], "35");
}

TEST(NormalizeCli, InvalidValuesCarryErrorProblemPositionAndExit4) {
  const auto r = run(kDfx + " normalize --format json 352099001761483 35209900176l481 ''");
  EXPECT_EQ(r.status, 4) << r.err;
  const auto v = json_lines(r.out);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0]["valid"], false);
  EXPECT_EQ(v[0]["kind"], "imei");
  EXPECT_TRUE(v[0]["canonical"].is_null());
  EXPECT_EQ(v[0]["problem"], "bad-check-digit");
  EXPECT_NE(v[0]["error"].get<std::string>().find("bad check digit: got 3, expected 1"),
            std::string::npos);
  EXPECT_EQ(v[1]["problem"], "bad-character");
  EXPECT_EQ(v[1]["position"], 12);
  EXPECT_FALSE(v[0].contains("position") && v[0]["position"] == 0) << "position only when known";
  EXPECT_EQ(v[2]["valid"], false);
  EXPECT_EQ(v[2]["problem"], "empty");
  EXPECT_TRUE(v[2]["kind"].is_null()) << "no kind fits: null, not \"auto\"";
}

TEST(NormalizeCli, KindOptionForcesTheKind) {
  const auto r = run(kDfx + " normalize --format json --kind IMSI 310150123456789");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = json_lines(r.out);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["kind"], "imsi");
  EXPECT_EQ(v[0]["mcc"], "310");
  EXPECT_EQ(v[0]["mnc"], "150");
  EXPECT_EQ(v[0]["msin"], "123456789");
  // The same digits under auto are an IMEI.
  const auto a = json_lines(run(kDfx + " normalize --format json 310150123456789").out);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_NE(a[0]["kind"], "imsi");
  // And as a serial number they are just text.
  const auto s = json_lines(run(kDfx + " normalize --format json --kind serial 'ab 12'").out);
  EXPECT_EQ(s[0]["kind"], "serial");
  EXPECT_EQ(s[0]["canonical"], "AB 12");
}

TEST(NormalizeCli, StdinLinesInOrderWithCrlfBlankLinesAndNoFinalNewline) {
  TempDir t;
  const auto in =
      t.write("in.txt", "352099001761481\r\n\r\n   \n  \t\nA10000009296F2\n352099001761483");
  const auto r = run(kDfx + " normalize --format json < " + in.string());
  EXPECT_EQ(r.status, 4) << r.err;
  const auto v = json_lines(r.out);
  ASSERT_EQ(v.size(), 3u) << r.out;
  EXPECT_EQ(v[0]["input"], "352099001761481") << "the CR is not part of the value";
  EXPECT_EQ(v[1]["input"], "A10000009296F2");
  EXPECT_EQ(v[2]["input"], "352099001761483");
  EXPECT_EQ(v[2]["valid"], false);
}

TEST(NormalizeCli, EmptyStdinIsSuccessWithNoOutput) {
  const auto r = run(kDfx + " normalize --format json < /dev/null");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(NormalizeCli, ManyLinesAcrossReadBlocksThenAnOverlongLineStopsWithItsNumber) {
  TempDir t;
  const auto path = t.path() / "many.txt";
  {
    std::ofstream f(path);
    // ~2 MB: lines straddle the 1 MiB read blocks.
    for (int i = 0; i < 120000; ++i) f << (i % 2 ? "35-209900-176148-1\n" : "A10000009296F2\n");
    f << std::string(3 << 20, '7') << "\n";  // one 3 MiB line: longer than a block
    f << "352099001761481\n";
  }
  // Memory stays bounded: a line over 64 KiB is not buffered but named, after everything before
  // it was written out.
  const auto r = run(kDfx + " normalize --format json < " + path.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("stdin:120001: line is longer than 65536 bytes"), std::string::npos)
      << r.err;
  std::size_t lines = 0, valid = 0;
  for (std::size_t p = 0; (p = r.out.find('\n', p)) != std::string::npos; ++p) ++lines;
  for (std::size_t p = 0; (p = r.out.find("\"valid\":true", p)) != std::string::npos; ++p) ++valid;
  EXPECT_EQ(lines, 120000u);
  EXPECT_EQ(valid, 120000u);
}

TEST(NormalizeCli, HostileInputStillGivesValidJsonAndASafeTable) {
  // Quote, backslash, escape sequence (ESC [ 2 J clears a terminal), invalid UTF-8, C1 CSI.
  const std::string nasty = "35\"20\\99\x1b[2J\xff\xc2\x9b";
  TempDir t;
  const auto in = t.write("nasty.txt", nasty + "\n");
  const auto j = run(kDfx + " normalize --format json < " + in.string());
  EXPECT_EQ(j.status, 4);
  const auto v = json_lines(j.out);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["valid"], false);
  EXPECT_EQ(v[0]["input"], "35\"20\\99\x1b[2J\xef\xbf\xbd\xc2\x9b");

  const auto tab = run(kDfx + " normalize < " + in.string());
  EXPECT_EQ(tab.status, 4);
  EXPECT_EQ(tab.out.find('\x1b'), std::string::npos) << "no raw escape reaches the terminal";
  EXPECT_EQ(tab.out.find("\xc2\x9b"), std::string::npos);
  EXPECT_NE(tab.out.find("\\x1b[2J\\xff\\xc2\\x9b"), std::string::npos) << tab.out;
}

TEST(NormalizeCli, TableForPeople) {
  const auto r = run(kDfx + " normalize 352099001761481 35209900176148 352099001761483");
  EXPECT_EQ(r.status, 4);
  EXPECT_EQ(r.out.rfind("INPUT", 0), 0u) << r.out;
  for (const char* col : {"KIND", "VALID", "CANONICAL", "DETAILS"})
    EXPECT_NE(r.out.find(col), std::string::npos) << col;
  EXPECT_NE(r.out.find("check digit 1 added"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bad check digit"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('{'), std::string::npos);
}

TEST(NormalizeCli, UsageErrorsHelpAndExitStatusFooter) {
  EXPECT_EQ(run(kDfx + " normalize --kind phone 1").status, 2);
  EXPECT_EQ(run(kDfx + " normalize --format xml 1").status, 2);
  const auto h = run(kDfx + " normalize --help");
  EXPECT_EQ(h.status, 0);
  EXPECT_NE(h.out.find("Exit status: 0 every value valid, 1 runtime error, 2 usage error, 4 some "
                       "value invalid"),
            std::string::npos)
      << h.out;
}

TEST(NormalizeCli, NamedDatabaseThatDoesNotExistIsAWarningNotAFailure) {
  TempDir t;
  const auto db = t.path() / "missing.sqlite";
  const auto r = run(kDfx + " normalize --db " + db.string() + " 352099001761481");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.err.find("no TAC database at " + db.string()), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(db)) << "normalize never creates a database";
}

TEST(NormalizeCli, DatabaseThatIsNotADfxDatabaseIsARuntimeError) {
  TempDir t;
  const auto junk = t.write("junk.sqlite", "this is not sqlite");
  const auto r = run(kDfx + " normalize --db " + junk.string() + " 352099001761481");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find(junk.string()), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
