// Reading a case into a report: header, rows, tools, signatures, how far the chain vouches for
// each row, transcripts listed only when they are the bytes recorded, and a hostile case folder
// (changed records, files outside the folder, oversized files) reported without being trusted.
#include "evidence/case_report.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "evidence/record.hpp"
#include "evidence/report_render.hpp"
#include "report_fixture.hpp"

namespace {

using namespace dfx::evidence;
using namespace dfx::evidence::report_fixture;

CaseReport read(const fs::path& dir, const ReportLimits& limits = {}) {
  auto r = read_case_report(dir, limits);
  EXPECT_TRUE(r) << r.error().message;
  return r ? *r : CaseReport{};
}

const DeviceRow& row_labelled(const CaseReport& r, const std::string& label) {
  for (const auto& row : r.rows)
    if (row.label == label) return row;
  ADD_FAILURE() << "no row " << label;
  static const DeviceRow none;
  return none;
}

bool contains(const std::vector<std::string>& list, const std::string& part) {
  for (const auto& s : list)
    if (s.find(part) != std::string::npos) return true;
  return false;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CaseReport, ReadsTheHeaderEveryRowTheToolsAndTheSignatures) {
  FixtureCase fixture;
  const CaseReport r = read(fixture.dir());
  ASSERT_TRUE(r.verification.ok()) << r.verification.message;
  EXPECT_EQ(r.verification.records, 7u);
  EXPECT_EQ(r.header.case_id, "OP-2026-117");
  EXPECT_EQ(r.header.exhibit, "EX-3");
  EXPECT_EQ(r.header.examiner, "PC 4471 Example");
  EXPECT_FALSE(r.header.opened.empty());
  EXPECT_EQ(r.header.key, fixture.key().public_hex());

  ASSERT_EQ(r.rows.size(), 6u) << "three scanned devices and three checked identifiers";
  const auto& iphone = row_labelled(r, "Apple Inc. iPhone 12");
  EXPECT_EQ(iphone.source, RowSource::scan);
  EXPECT_EQ(iphone.seq, 1u);
  EXPECT_EQ(iphone.verdict, "flagged");
  EXPECT_EQ(iphone.integrity, Integrity::signed_by_key);
  EXPECT_EQ(iphone.usb_id, "05ac:12a8");
  ASSERT_EQ(iphone.identifiers.size(), 8u);
  EXPECT_EQ(iphone.identifiers[0].hits.at(0).reporting_party, "Metropolitan Police");
  EXPECT_EQ(iphone.identifiers[0].sources.at(0).method, "lockdown: imei");
  EXPECT_TRUE(contains(iphone.warnings, "ModemManager")) << "the workstation's warnings";

  const auto& samsung = row_labelled(r, std::string("Samsung ") + kHostileModel);
  EXPECT_EQ(samsung.verdict, "unknown");
  EXPECT_EQ(samsung.integrity, Integrity::chained) << "after the last checkpoint";
  EXPECT_TRUE(contains(samsung.limitations, "failed (timeout)"));
  EXPECT_TRUE(contains(samsung.limitations, "no transcript recorded"));
  EXPECT_EQ(samsung.findings.at(0).code, "imei_withheld");

  const auto& flagged = row_labelled(r, "352099001761481");
  EXPECT_EQ(flagged.source, RowSource::check);
  EXPECT_EQ(flagged.verdict, "flagged");
  EXPECT_EQ(flagged.seq, 4u);
  EXPECT_EQ(flagged.integrity, Integrity::signed_by_key);
  const auto& invalid = row_labelled(r, "=HYPERLINK(\"http://evil.example/\",\"x\")");
  EXPECT_EQ(invalid.verdict, "invalid");
  EXPECT_TRUE(contains(invalid.limitations, "is invalid"));

  const auto s = summarize(r);
  EXPECT_EQ(s.scanned, 3u);
  EXPECT_EQ(s.checked, 3u);
  EXPECT_EQ(s.flagged, 2u);
  EXPECT_EQ(s.clear, 2u);
  EXPECT_EQ(s.unknown, 1u);
  EXPECT_EQ(s.invalid, 1u);

  ASSERT_EQ(r.signatures.size(), 2u);
  EXPECT_EQ(r.signatures[1].head_seq, 4u);
  EXPECT_TRUE(r.signatures[1].verified);
  EXPECT_EQ(r.signatures[1].signature.size(), 128u);
  bool apple = false, dfx_binary = false;
  for (const auto& i : r.software) {
    apple |= i.kind == "plugin" && i.name == "apple" && i.sha256 == std::string(64, 'b') &&
             i.records == 2 && i.first_seq == 1;
    dfx_binary |= i.kind == "binary" && i.name == "dfx" && i.records == 4;
  }
  EXPECT_TRUE(apple);
  EXPECT_TRUE(dfx_binary);
  EXPECT_TRUE(r.problems.empty());
}

TEST(CaseReport, ATranscriptIsListedAsRequestsNeverAsData) {
  FixtureCase fixture;
  const CaseReport r = read(fixture.dir());
  const auto& iphone = row_labelled(r, "Apple Inc. iPhone 12");
  ASSERT_EQ(iphone.transcripts.size(), 2u) << "the apple probe's, and why usb-generic has none";
  const auto& t = iphone.transcripts[0];
  EXPECT_EQ(t.state, TranscriptState::listed) << t.problem;
  EXPECT_EQ(t.plugin, "apple");
  EXPECT_EQ(t.plugin_id, "apple");
  EXPECT_TRUE(t.notes.empty()) << t.notes.front();
  ASSERT_EQ(t.listed.size(), 6u);
  EXPECT_EQ(t.listed[1].request, "string descriptor, index 3");
  EXPECT_EQ(t.listed[2].request,
            "setup: bmRequestType 0x80 (IN), bRequest 0x06, wValue 0x0303, wIndex 0x0409");
  EXPECT_EQ(t.listed[2].length, 255u);
  EXPECT_EQ(t.listed[3].request, "endpoint 0x02 (OUT)");
  EXPECT_FALSE(t.listed[4].reached_device);
  EXPECT_EQ(t.listed[4].status, "denied");
  EXPECT_TRUE(t.listed[0].reached_device);
  EXPECT_EQ(iphone.transcripts[1].state, TranscriptState::not_recorded);
  EXPECT_TRUE(contains(iphone.limitations, "usb-generic: no USB transcript"));

  const auto& pixel = row_labelled(r, "Google Pixel 7");
  ASSERT_EQ(pixel.transcripts.size(), 1u) << "a transcript of the whole device";
  EXPECT_EQ(pixel.transcripts[0].state, TranscriptState::listed);
  EXPECT_EQ(pixel.transcripts[0].plugin, "android") << "named by its header";

  for (const std::string& out : {render_html(r), render_csv(r), report_json(r).dump()}) {
    EXPECT_EQ(out.find(kSecretInHex), std::string::npos) << "bytes the phone sent";
    EXPECT_EQ(out.find(kSecretText), std::string::npos) << "a descriptor's text";
    EXPECT_EQ(out.find("deadbeef"), std::string::npos) << "bytes sent to the phone";
  }
  EXPECT_NE(render_html(r).find("refused by dfx, never sent"), std::string::npos);
}

TEST(CaseReport, ATranscriptThatIsNotWhatWasRecordedIsNotListed) {
  FixtureCase fixture;
  std::string changed = fixture.transcript();
  changed.replace(changed.find("\"denied\""), 8, "\"ok\"    ");
  std::ofstream(fixture.transcript_path(), std::ios::binary | std::ios::trunc) << changed;
  CaseReport r = read(fixture.dir());
  const auto& t = row_labelled(r, "Apple Inc. iPhone 12").transcripts.at(0);
  EXPECT_EQ(t.state, TranscriptState::mismatch);
  EXPECT_TRUE(t.listed.empty());
  EXPECT_NE(t.problem.find("is not what the record names"), std::string::npos) << t.problem;
  EXPECT_TRUE(contains(row_labelled(r, "Apple Inc. iPhone 12").limitations, "not what the record"));

  fs::remove(fixture.transcript_path());
  r = read(fixture.dir());
  const auto& gone = row_labelled(r, "Apple Inc. iPhone 12").transcripts.at(0);
  EXPECT_EQ(gone.state, TranscriptState::missing);
  EXPECT_NE(gone.problem.find("is missing"), std::string::npos) << gone.problem;
  EXPECT_NE(render_html(r).find("is missing"), std::string::npos);
}

TEST(CaseReport, ATranscriptNamedOutsideTheCaseOrThroughALinkIsNotRead) {
  FixtureCase fixture;
  const std::string outside = (fixture.root() / "outside.jsonl").string();
  std::ofstream(outside) << fixture.transcript();
  fs::create_symlink(outside, fixture.dir() / "transcripts" / "link.jsonl");
  auto w = CaseWriter::open(fixture.dir());
  ASSERT_TRUE(w) << w.error().message;
  const std::string sha = dfx::sha256_hex(fixture.transcript());
  for (const std::string& name :
       {std::string("../outside.jsonl"), outside, std::string("transcripts/link.jsonl")}) {
    json device = samsung();
    device["product"] = name;
    device["transcript"] = {{"file", name}, {"sha256", sha}};
    ASSERT_TRUE(w->append("scan", {{"device", device}}));
  }
  const CaseReport r = read(fixture.dir());
  for (const std::string& name :
       {std::string("../outside.jsonl"), outside, std::string("transcripts/link.jsonl")}) {
    const auto& t = row_labelled(r, "Samsung " + name).transcripts.at(0);
    EXPECT_EQ(t.state, TranscriptState::unreadable) << name;
    EXPECT_TRUE(t.listed.empty()) << name;
    EXPECT_FALSE(t.problem.empty()) << name;
  }
}

TEST(CaseReport, WhatIsReadIsBounded) {
  FixtureCase fixture;
  ReportLimits limits;
  limits.max_exchanges = 2;
  CaseReport r = read(fixture.dir(), limits);
  const auto& t = row_labelled(r, "Apple Inc. iPhone 12").transcripts.at(0);
  EXPECT_EQ(t.listed.size(), 2u);
  EXPECT_EQ(t.not_listed, 4u);
  EXPECT_NE(render_html(r).find("... 4 more requests"), std::string::npos);

  limits = {};
  limits.max_transcript_bytes = 100;
  r = read(fixture.dir(), limits);
  const auto& big = row_labelled(r, "Apple Inc. iPhone 12").transcripts.at(0);
  EXPECT_EQ(big.state, TranscriptState::unreadable);
  EXPECT_NE(big.problem.find("more than the 100 a report reads"), std::string::npos) << big.problem;

  limits = {};
  limits.max_records_bytes = 1000;
  const auto refused = read_case_report(fixture.dir(), limits);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("a report reads"), std::string::npos);
}

TEST(CaseReport, ACaseThatDoesNotVerifyIsReportedWithEveryRowMarked) {
  FixtureCase fixture;
  const fs::path file = fixture.dir() / kRecordsFile;
  std::string text = slurp(file);
  // The Pixel's verdict, the last member of the device object of record 2 (keys are sorted).
  const auto at = text.find("\"verdict\":\"clear\"},\"dfx_version\"");
  ASSERT_NE(at, std::string::npos);
  ASSERT_GT(at, text.find('\n', text.find('\n') + 1)) << "in record 2";
  text.replace(at, 17, "\"verdict\":\"dirty\"");
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  const CaseReport r = read(fixture.dir());
  EXPECT_FALSE(r.verification.ok());
  EXPECT_EQ(r.verification.problem, Problem::changed);
  EXPECT_EQ(r.verification.records, 2u);
  ASSERT_EQ(r.rows.size(), 6u) << "every record is still shown";
  EXPECT_EQ(row_labelled(r, "Apple Inc. iPhone 12").integrity, Integrity::chained)
      << "record 1 verifies, but the checkpoint after it is not reached";
  const auto& pixel = row_labelled(r, "Google Pixel 7");
  EXPECT_EQ(pixel.integrity, Integrity::not_verified);
  EXPECT_EQ(pixel.verdict, "unknown") << "a verdict dfx never writes is not shown as written";
  EXPECT_TRUE(contains(pixel.limitations, "the case does not vouch for this record"));
  EXPECT_TRUE(contains(pixel.limitations, "\"dirty\""));
  EXPECT_EQ(row_labelled(r, "352099001761481").integrity, Integrity::not_verified);
  EXPECT_FALSE(r.signatures.at(0).verified);

  EXPECT_NE(render_html(r).find("THIS CASE DOES NOT VERIFY (changed)"), std::string::npos);
  EXPECT_NE(render_csv(r).find("NO (changed)"), std::string::npos);
  EXPECT_EQ(report_json(r)["verification"]["ok"], false);
}

TEST(CaseReport, LinesThatAreNotRecordsAreNamed) {
  FixtureCase fixture;
  std::ofstream(fixture.dir() / kRecordsFile, std::ios::app) << "not json\n{\"seq\":9,\"pr";
  const CaseReport r = read(fixture.dir());
  EXPECT_FALSE(r.verification.ok());
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_NE(r.problems[0].find("line 8 "), std::string::npos) << r.problems[0];
  EXPECT_NE(r.problems[1].find("a torn last line"), std::string::npos) << r.problems[1];
  EXPECT_EQ(r.rows.size(), 6u);
}

TEST(CaseReport, NoCaseIsAnError) {
  FixtureCase fixture;
  const auto r = read_case_report(fixture.root() / "nothing-here");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("no case at"), std::string::npos);
}

}  // namespace
