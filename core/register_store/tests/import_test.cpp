// Importing register files: formats, normalization, validation errors with their lines,
// atomicity, --skip-invalid, idempotent re-imports, several records for one identifier.
#include <gtest/gtest.h>

#include <fstream>

#include "helpers.hpp"

namespace dfx::register_store::test {
namespace {

class RegisterImport : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = RegisterStore::open_for_import(tmp_.path() / "register.sqlite");
    ASSERT_TRUE(s) << s.error().message;
    store_.emplace(std::move(*s));
  }
  /// Imports `content` written to a file named `name`.
  tl::expected<ImportReport, ImportFailure> import(const std::string& name,
                                                   const std::string& content,
                                                   ImportOptions options = {}) {
    path_ = tmp_.write(name, content);
    return import_file(*store_, path_, options);
  }
  /// The error message of a failing import (and checks that it failed as invalid input).
  std::string failure(const std::string& name, const std::string& content) {
    auto r = import(name, content);
    EXPECT_FALSE(r) << name << " should have been refused";
    if (r) return "";
    EXPECT_TRUE(r.error().invalid_input) << r.error().message;
    return r.error().message;
  }

  TempDir tmp_;
  std::optional<RegisterStore> store_;
  std::filesystem::path path_;
};

const std::string kImeiA = imei("35381208478874");
const std::string kImeiB = imei("35539407401326");

TEST_F(RegisterImport, CsvColumnsByNameInAnyOrderWithOptionalKind) {
  auto r = import("a.csv", "Source,notes,STATUS,identifier,reference,reported_at,kind\n" +
                               ("Metropolitan Police,\"Taken from a car, at night\",Stolen," +
                                kImeiA + ",MPS-2024-1,2024-03-18T14:05:00Z,\n") +
                               "EE,,blocked,A10000009296F2,EE-7,2024-01-02,meid\n");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->info.rows_added, 2);
  EXPECT_EQ(r->info.format, "csv");
  EXPECT_EQ(r->info.file, path_.string());
  EXPECT_EQ(r->info.sha256.size(), 64u);
  const auto a = records_of(*store_, "imei", kImeiA);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0], (Record{"imei", kImeiA, "stolen", "2024-03-18T14:05:00Z", "Metropolitan Police",
                          "MPS-2024-1", "Taken from a car, at night"}));
  EXPECT_EQ(records_of(*store_, "meid", "A10000009296F2").size(), 1u);
}

TEST_F(RegisterImport, IdentifiersAreStoredInCanonicalForm) {
  const std::string body = kImeiA.substr(0, 14);
  auto r = import("a.csv", std::string(kHeader) + "35-381208-478874-" + kImeiA.substr(14) +
                               ",stolen,,P1,r1,\n" + body +
                               ",lost,,P2,r2,\n" +            // 14 digits: check digit added
                               body + "05,fraud,,P3,r3,\n" +  // IMEISV: stored as its IMEI
                               "IMEI: " + kImeiA + ",other,,P4,r4,\n" +
                               "270113177609606898,stolen,,P5,r5,\n" +  // decimal MEID -> hex
                               "  sn c02xk0abhg7f ,lost,,P6,r6,\n");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(records_of(*store_, "imei", kImeiA).size(), 4u);
  EXPECT_EQ(records_of(*store_, "meid", "A10000009296F2").size(), 1u);
  EXPECT_EQ(records_of(*store_, "serial", "C02XK0ABHG7F").size(), 1u);
}

TEST_F(RegisterImport, JsonLines) {
  auto r = import(
      "b.jsonl",
      "{\"identifier\": \"" + kImeiA +
          "\", \"status\": \"stolen\", \"reported_at\": "
          "\"2024-05-01\", \"source\": \"Three UK\", \"reference\": \"H3G-1\", \"notes\": null}\n"
          "\n"
          "{\"identifier\": \"" +
          kImeiB.substr(0, 14) +
          "01\", \"kind\": \"imeisv\", "
          "\"status\": \"LOST\", \"source\": \"Owner report\"}\n");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->info.format, "jsonl");
  EXPECT_EQ(r->info.rows_added, 2);
  const auto b = records_of(*store_, "imei", kImeiB);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].status, "lost");
  EXPECT_EQ(b[0].reported_at, "");
}

TEST_F(RegisterImport, ValidationErrorsNameTheFileLineAndReason) {
  const std::string ok = kImeiA + ",stolen,2024-01-01,P,r1,\n";
  const std::string bad_check = kImeiA.substr(0, 14) + std::to_string((kImeiA[14] - '0' + 1) % 10);
  const struct {
    std::string row;
    std::string expected;
  } cases[] = {
      {bad_check + ",stolen,2024-01-01,P,r,\n",
       "x.csv:3: identifier \"" + bad_check + "\": bad check digit: got " + bad_check.substr(14) +
           ", expected " + kImeiA.substr(14)},
      {kImeiB + ",stole,2024-01-01,P,r,\n",
       "x.csv:3: status \"stole\" is not one of stolen, lost, blocked, fraud, other"},
      {kImeiB + ",,2024-01-01,P,r,\n", "x.csv:3: status is empty"},
      {kImeiB + ",lost,2024-02-30,P,r,\n",
       "x.csv:3: reported_at \"2024-02-30\": day 30 does not exist in 2024-02"},
      {kImeiB + ",lost,18/03/2024,P,r,\n",
       "x.csv:3: reported_at \"18/03/2024\": expected YYYY-MM-DD"},
      {kImeiB + ",lost,2024-02-03,,r,\n", "x.csv:3: source is empty"},
      {",lost,2024-02-03,P,r,\n", "x.csv:3: identifier is empty"},
      {"3538120847887,lost,2024-02-03,P,r,\n", "x.csv:3: identifier \"3538120847887\": "},
      {kImeiB + ",lost,2024-02-03,P\n", "x.csv:3: 4 fields, but the header has 6"},
      {kImeiB + ",lost,2024-02-03,P,r\"x,\n", "x.csv:3: quote inside unquoted field 5"},
      {kImeiB + ",lost,2024-02-03,P,\"r\x01\",\n",
       "x.csv:3: reference contains a control character"},
      {kImeiB + ",lost,2024-02-03,P,r,\xC3\x28\n", "x.csv:3: notes is not valid UTF-8"},
  };
  for (const auto& c : cases) {
    const auto msg = failure("x.csv", std::string(kHeader) + ok + c.row);
    EXPECT_EQ(msg.rfind(tmp_.path().string() + "/" + c.expected, 0), 0u)
        << "got: " << msg << "\nexpected to start with: " << c.expected;
  }
  EXPECT_TRUE(*store_->empty()) << "a refused file stores nothing";
}

TEST_F(RegisterImport, JsonLineErrorsNameTheLine) {
  const std::string ok =
      "{\"identifier\": \"" + kImeiA + "\", \"status\": \"lost\", \"source\": \"P\"}\n";
  auto msg = failure("x.jsonl", ok + "{\"identifier\": \"" + kImeiB +
                                    "\", \"status\": \"lost\", \"sorce\": \"P\"}\n");
  EXPECT_NE(msg.find("x.jsonl:2: unknown key \"sorce\""), std::string::npos) << msg;
  msg = failure("x.jsonl", ok + ok + "{\"identifier\": 353812084788745, \"status\": \"lost\"}\n");
  EXPECT_NE(msg.find("x.jsonl:3: \"identifier\" must be a string, not number"), std::string::npos)
      << msg;
  msg = failure("x.jsonl", ok + "{\"identifier\": \n");
  EXPECT_NE(msg.find("x.jsonl:2: JSON row: invalid JSON at line 1, column "), std::string::npos)
      << msg;
  msg = failure("x.jsonl", "[1, 2]\n");
  EXPECT_NE(msg.find("x.jsonl:1: expected a JSON object"), std::string::npos) << msg;
}

TEST_F(RegisterImport, HeaderErrorsRefuseTheFileEvenWithSkipInvalid) {
  auto r =
      import("h.csv", "identifier,status,source,reportedat\n" + kImeiA + ",lost,P,2024-01-01\n",
             {.format = std::nullopt, .skip_invalid = true});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("h.csv:1: unknown column \"reportedat\" in the header"),
            std::string::npos)
      << r.error().message;
  const auto msg =
      failure("h.csv", "identifier,status,reported_at\n" + kImeiA + ",lost,2024-01-01\n");
  EXPECT_NE(msg.find("h.csv:1: the header has no \"source\" column"), std::string::npos) << msg;
  EXPECT_NE(failure("e.csv", "").find("e.csv: the file is empty"), std::string::npos);
  EXPECT_NE(
      failure("h.csv", "identifier,status,source,status\n").find("column \"status\" appears twice"),
      std::string::npos);
}

TEST_F(RegisterImport, LineLongerThan64KiBIsAnErrorNamingTheLine) {
  const std::string msg =
      failure("long.csv", std::string(kHeader) + kImeiA + ",lost,2024-01-01,P,r,\n" + kImeiB +
                              ",lost,2024-01-01,P,r," + std::string(70000, 'x') + "\n");
  EXPECT_NE(msg.find("long.csv:3: line is longer than 65536 bytes"), std::string::npos) << msg;
}

TEST_F(RegisterImport, QuotedFieldsMaySpanLines) {
  auto r = import("q.csv", std::string(kHeader) + kImeiA +
                               ",lost,2024-01-01,P,r,\"first line\nsecond \"\"quoted\"\" line\"\n" +
                               kImeiB + ",stole,2024-01-01,P,r,\n");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("q.csv:4: status \"stole\""), std::string::npos)
      << "line numbers count the line inside the quoted field: " << r.error().message;
  r = import("q.csv", std::string(kHeader) + kImeiA + ",lost,2024-01-01,P,r,\"a\nb\"\n");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(records_of(*store_, "imei", kImeiA)[0].notes, "a\nb");
  const auto msg =
      failure("q.csv", std::string(kHeader) + kImeiB + ",lost,2024-01-01,P,r,\"open\n");
  EXPECT_NE(msg.find("q.csv:2: quoted field 6 is not closed"), std::string::npos) << msg;
}

// A register that already holds records, then a 1,000-row file whose last row is bad: the
// register must be exactly as before.
TEST_F(RegisterImport, ABadRowAtTheEndOfAThousandRowsImportsNothing) {
  ASSERT_TRUE(import("first.csv", std::string(kHeader) + kImeiA + ",stolen,2024-01-01,P,r,\n" +
                                      kImeiB + ",lost,2024-01-01,P,r,\n"));
  auto before = store_->stats();
  ASSERT_TRUE(before);
  std::string big = kHeader;
  for (int i = 0; i < 999; ++i) {
    char body[15];
    std::snprintf(body, sizeof body, "35675904%06d", i);
    big += imei(body) + ",stolen,2024-02-01,Bulk,R" + std::to_string(i) + ",\n";
  }
  big += kImeiA + ",lost,2024-02-01,P,r,\n";  // changes an existing record...
  big += kImeiB + ",gone,2024-02-01,P,r,\n";  // ...but the file's last row (line 1002) is bad
  auto r = import("big.csv", big);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("big.csv:1002: status \"gone\""), std::string::npos)
      << r.error().message;
  auto after = store_->stats();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->records, 2);
  EXPECT_EQ(after->by_status, before->by_status);
  EXPECT_EQ(after->imports.size(), before->imports.size()) << "no import row either";
  EXPECT_EQ(records_of(*store_, "imei", kImeiA)[0].status, "stolen");
}

TEST_F(RegisterImport, SkipInvalidImportsTheRestAndListsEachSkippedRow) {
  auto r = import("s.csv",
                  std::string(kHeader) + kImeiA + ",stolen,2024-01-01,P,r,\n" + kImeiB +
                      ",stole,2024-01-01,P,r,\n" + "3538120847887,lost,2024-01-01,P,r,\n" + kImeiB +
                      ",lost,2024-01-01,P,r,\n" + kImeiB + ",lost,2024-01-01,P\n",
                  {.format = std::nullopt, .skip_invalid = true});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->info.rows_added, 2);
  EXPECT_EQ(r->info.rows_skipped, 3);
  ASSERT_EQ(r->skipped.size(), 3u);
  EXPECT_EQ(r->skipped[0].line, 3u);
  EXPECT_EQ(r->skipped[0].reason,
            "status \"stole\" is not one of stolen, lost, blocked, fraud, other");
  EXPECT_EQ(r->skipped[1].line, 4u);
  EXPECT_EQ(r->skipped[2].line, 6u);
  EXPECT_EQ(r->skipped[2].reason, "4 fields, but the header has 6");
}

TEST_F(RegisterImport, AFileWithNoValidRowIsRefused) {
  auto r = import("n.csv", std::string(kHeader) + "3538120847887,lost,,P,,\n",
                  {.format = std::nullopt, .skip_invalid = true});
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().invalid_input);
  EXPECT_NE(r.error().message.find("n.csv has no valid row (1 skipped); nothing was imported"),
            std::string::npos)
      << r.error().message;
  EXPECT_TRUE(*store_->empty());
}

TEST_F(RegisterImport, ReimportingTheSameFileAddsNothing) {
  const std::string content = std::string(kHeader) + kImeiA + ",stolen,2024-01-01,P,r,\n" + kImeiB +
                              ",lost,2024-01-01,P,r,\n";
  auto first = import("a.csv", content);
  ASSERT_TRUE(first);
  auto second = import("a.csv", content);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->info.rows_added, 0);
  EXPECT_EQ(second->info.rows_unchanged, 2);
  EXPECT_EQ(second->info.sha256, first->info.sha256);
  EXPECT_EQ(record_count(*store_), 2);
  // The same party's record with a new status is updated in place, not duplicated.
  auto third = import("a.csv", std::string(kHeader) + kImeiA + ",other,2024-01-01,P,r,Recovered\n");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->info.rows_updated, 1);
  EXPECT_EQ(record_count(*store_), 2);
  EXPECT_EQ(records_of(*store_, "imei", kImeiA)[0].status, "other");
  auto stats = store_->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->imports.size(), 3u);
}

TEST_F(RegisterImport, OneIdentifierMayHaveSeveralRecords) {
  auto r =
      import("c.csv", std::string(kHeader) + kImeiA + ",lost,2024-02-11,Owner report,OWN-1,\n" +
                          kImeiA + ",stolen,2024-02-19,Metropolitan Police,MPS-9,\n" + kImeiA +
                          ",stolen,2024-02-20,Metropolitan Police,MPS-10,\n");
  ASSERT_TRUE(r) << r.error().message;
  auto recs = records_of(*store_, "imei", kImeiA);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].source, "Metropolitan Police");  // key order: source, then reference
  EXPECT_EQ(recs[0].reference, "MPS-10");
  EXPECT_EQ(recs[2].status, "lost");
  // Batch: hits and misses side by side, one snapshot.
  const LookupKey keys[] = {{"imei", kImeiB}, {"imei", kImeiA}, {"meid", kImeiA}};
  auto batch = store_->lookup(std::span<const LookupKey>(keys));
  ASSERT_TRUE(batch);
  EXPECT_EQ((*batch)[0].size(), 0u);
  EXPECT_EQ((*batch)[1].size(), 3u);
  EXPECT_EQ((*batch)[2].size(), 0u) << "the kind is part of the key";
  auto stats = store_->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->records, 3);
  EXPECT_EQ(stats->distinct_identifiers, 1);
}

TEST_F(RegisterImport, FormatFromExtensionOrOption) {
  EXPECT_EQ(format_from_extension("a.CSV"), Format::Csv);
  EXPECT_EQ(format_from_extension("a.ndjson"), Format::JsonLines);
  EXPECT_FALSE(format_from_extension("a.txt"));
  auto r = import("a.txt",
                  "{\"identifier\": \"" + kImeiA + "\", \"status\": \"lost\", \"source\": \"P\"}\n",
                  {.format = Format::JsonLines});
  ASSERT_TRUE(r) << r.error().message;
  r = import("b.txt", "x");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("cannot tell the format"), std::string::npos);
}

TEST_F(RegisterImport, MissingFileIsARuntimeError) {
  auto r = import_file(*store_, tmp_.path() / "nope.csv");
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().invalid_input);
  EXPECT_NE(r.error().message.find("cannot read " + (tmp_.path() / "nope.csv").string()),
            std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace dfx::register_store::test
