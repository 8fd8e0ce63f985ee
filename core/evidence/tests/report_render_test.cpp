// The forms of a report: HTML self-contained, escaped and printable with flagged rows standing
// out; CSV with one row per device, RFC 4180 quoting and no formula a spreadsheet would run;
// JSON with the whole model; and redaction, after which no identifier of the case appears in
// full in any form.
#include "evidence/report_render.hpp"

#include <gtest/gtest.h>

#include "evidence/report_redact.hpp"
#include "report_fixture.hpp"
#include "text/csv_reader.hpp"
#include "text/line_reader.hpp"

namespace {

using namespace dfx::evidence;
using namespace dfx::evidence::report_fixture;

CaseReport read(const fs::path& dir) {
  auto r = read_case_report(dir);
  EXPECT_TRUE(r) << r.error().message;
  return r ? *r : CaseReport{};
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  auto lines = dfx::text::LineReader::from_text(text, "report.csv");
  dfx::text::CsvReader reader(lines);
  std::vector<std::vector<std::string>> rows;
  for (;;) {
    auto next = reader.next();
    EXPECT_TRUE(next) << next.error().message << " at line " << next.error().line;
    if (!next || !*next) break;
    rows.push_back((*next)->fields);
  }
  return rows;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  const auto it = std::find(header.begin(), header.end(), name);
  EXPECT_NE(it, header.end()) << name;
  return static_cast<std::size_t>(it - header.begin());
}

TEST(ReportHtml, IsSelfContainedAndEscapesEveryValue) {
  FixtureCase fixture;
  const std::string html = render_html(read(fixture.dir()));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("<script"), std::string::npos) << "the model <script> is text, not markup";
  EXPECT_NE(html.find("Samsung &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("=HYPERLINK(&quot;http://evil.example/&quot;,&quot;x&quot;)"),
            std::string::npos);
  EXPECT_NE(html.find("withheld its IMEI &quot;&gt;&lt;img src=x onerror=alert(2)&gt;"),
            std::string::npos)
      << "a plugin's message is text";
  for (const char* external : {"<link", "<img", "<iframe", "<object", "<embed", "@import", "url("})
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("section.device { break-before: page"), std::string::npos);
}

TEST(ReportHtml, ShowsTheCaseItsVerificationAndEachDevice) {
  FixtureCase fixture;
  const CaseReport r = read(fixture.dir());
  const std::string html = render_html(r);
  for (const std::string& expected :
       {std::string("dfx case report: OP-2026-117"), std::string("Exhibit EX-3"),
        std::string("examiner PC 4471 Example"), std::string("The case verifies:"),
        r.verification.head_hash, r.signatures.back().signature, fixture.key().public_hex(),
        std::string(64, 'b'), std::string("Signed through record 4"),
        std::string("Metropolitan Police"), std::string("CR/2026/77"),
        std::string("2026-03-01T10:00:01.250Z"), std::string(64, 'e'),
        std::string("lockdown: imei"), std::string("the phone withheld its IMEI"),
        std::string("no transcript recorded"),
        std::string("setup: bmRequestType 0x80 (IN), bRequest 0x06, wValue 0x0303"),
        std::string("ModemManager is running")})
    EXPECT_NE(html.find(expected), std::string::npos) << expected;
  // The flagged rows stand out: their row's class, and the verdict in capitals.
  EXPECT_NE(html.find("<tr class=\"flagged\"><td><a href=\"#row-1\">1</a></td><td>scan</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<span class=\"verdict v-flagged\">FLAGGED</span>"), std::string::npos);
  EXPECT_NE(html.find("2 FLAGGED</strong>"), std::string::npos);
  EXPECT_NE(html.find("<section class=\"device\" id=\"row-6\">"), std::string::npos);
  EXPECT_NE(html.find("chain only"), std::string::npos) << "the Samsung, after the checkpoint";
}

TEST(ReportCsv, HasOneRowPerDeviceAndNoFormula) {
  FixtureCase fixture;
  const std::string csv = render_csv(read(fixture.dir()));
  const auto rows = parse_csv(csv);
  ASSERT_EQ(rows.size(), 7u) << csv;
  const auto& header = rows[0];
  for (const auto& row : rows) EXPECT_EQ(row.size(), header.size());
  const std::size_t source = column(header, "source"), verdict = column(header, "verdict"),
                    imei = column(header, "imei"), device = column(header, "device"),
                    flagged_by = column(header, "flagged_by"),
                    other = column(header, "other_identifiers"),
                    transcript = column(header, "transcript");
  EXPECT_EQ(rows[1][source], "scan");
  EXPECT_EQ(rows[1][verdict], "FLAGGED");
  EXPECT_EQ(rows[1][imei], "353908123456789");
  EXPECT_NE(rows[1][other].find("iccid:8944110012345678901"), std::string::npos);
  EXPECT_NE(rows[1][flagged_by].find("met: stolen, reported 2026-02-01 by Metropolitan Police"),
            std::string::npos);
  EXPECT_NE(rows[1][transcript].find("apple: listed (6 requests, 1 refused by dfx)"),
            std::string::npos);
  EXPECT_EQ(rows[2][verdict], "clear");
  EXPECT_EQ(rows[3][source], "check");
  EXPECT_EQ(rows[3][device], "352099001761481");
  EXPECT_EQ(rows[6][device], std::string("Samsung ") + kHostileModel);
  EXPECT_EQ(rows[6][transcript], "no transcript recorded");
  // A cell starting with = + - @ is written as '<cell>, quoted (RFC 4180: quotes doubled).
  EXPECT_EQ(rows[5][device], "'=HYPERLINK(\"http://evil.example/\",\"x\")");
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\""), std::string::npos);
  for (const auto& row : rows)
    for (const auto& cell : row)
      EXPECT_TRUE(cell.empty() || std::string("=+-@").find(cell[0]) == std::string::npos) << cell;
}

TEST(ReportJson, CarriesTheModel) {
  FixtureCase fixture;
  const auto j = report_json(read(fixture.dir()));
  EXPECT_EQ(j["schema"], "dfx.case-report/1");
  EXPECT_EQ(j["verification"]["ok"], true);
  EXPECT_EQ(j["case"]["case_id"], "OP-2026-117");
  ASSERT_EQ(j["devices"].size(), 6u);
  EXPECT_EQ(j["devices"][0]["verdict"], "flagged");
  EXPECT_EQ(j["devices"][0]["integrity"], "signed");
  EXPECT_EQ(j["devices"][0]["transcripts"][0]["requests"].size(), 6u);
  EXPECT_EQ(j["devices"][0]["transcripts"][0]["requests"][4]["reached_device"], false);
  EXPECT_EQ(j["devices"][3]["source"], "check");
  EXPECT_EQ(j["summary"]["flagged"], 2);
  EXPECT_EQ(j["redacted"], false);
}

TEST(ReportRedaction, MasksAllButTheLastFourCharacters) {
  EXPECT_EQ(mask_identifier("353908123456789"), "***********6789");
  EXPECT_EQ(mask_identifier("0x1A2B3C4D5E6F7"), "***********E6F7");
  EXPECT_EQ(mask_identifier("ab12"), "****") << "four or fewer: nothing shown";
  EXPECT_EQ(mask_identifier(""), "");
  EXPECT_EQ(mask_identifier("\xc3\xa9t\xc3\xa9-1234"), "****1234") << "characters, not bytes";
  EXPECT_EQ(mask_identifier("12345\xc3\xa9"), "**345\xc3\xa9");
}

TEST(ReportRedaction, NoIdentifierOfTheCaseAppearsInFullInAnyForm) {
  FixtureCase fixture;
  CaseReport r = read(fixture.dir());
  redact(r);
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"html", render_html(r)}, {"csv", render_csv(r)}, {"json", report_json(r).dump()}};
  for (const auto& [name, out] : forms) {
    std::string lower_out = out;
    for (auto& c : lower_out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& id : kIdentifiers) {
      std::string lower_id = id;
      for (auto& c : lower_id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      EXPECT_EQ(lower_out.find(lower_id), std::string::npos) << name << " shows " << id;
    }
    // What is left: the last four characters, for matching a report to a handset in hand.
    EXPECT_NE(out.find("***********6789"), std::string::npos) << name;
    EXPECT_NE(out.find("************7801"), std::string::npos) << name;
    EXPECT_NE(out.find("the phone reported IMEI ***********6789 twice"), std::string::npos)
        << name << ": in free text too";
    EXPECT_NE(out.find("no answer from *******45XY within 30000 ms"), std::string::npos) << name;
    if (name != "csv")  // the case's note is not a column
      EXPECT_NE(out.find("seized with SIM ***************8901"), std::string::npos) << name;
    // Hashes, keys and signatures stay whole: they check the report against the case.
    EXPECT_NE(out.find(r.verification.head_hash), std::string::npos) << name;
  }
  EXPECT_NE(forms[0].second.find("identifiers REDACTED"), std::string::npos);
  EXPECT_EQ(report_json(r)["redacted"], true);
}

TEST(ReportRedaction, MasksIdentifiersWrittenOtherwiseInFreeText) {
  FixtureCase fixture;
  CaseReport r = read(fixture.dir());
  r.rows.at(0).findings.push_back({"x", "as printed: 35 390812 345678 9, lower f2lxk0abcdef", ""});
  r.rows.at(0).findings.push_back({"y", "an IMEI no claim named: 861234567890123.", ""});
  redact(r);
  const std::string html = render_html(r);
  EXPECT_EQ(html.find("35 390812 345678 9"), std::string::npos);
  EXPECT_NE(html.find("as printed: ** ****** ***678 9,"), std::string::npos);
  EXPECT_EQ(html.find("f2lxk0abcdef"), std::string::npos);
  EXPECT_NE(html.find("lower ********cdef"), std::string::npos);
  EXPECT_EQ(html.find("861234567890123"), std::string::npos);
  EXPECT_NE(html.find("named: ***********0123."), std::string::npos);
}

}  // namespace
