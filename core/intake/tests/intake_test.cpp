// intake::read: what a file is comes from its content: tables under , ; or tab with a header
// naming the column, lists one value per line, spreadsheets refused, wrong columns stopped.
#include "intake/intake.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using dfx::ident::Kind;
using dfx::intake::Shape;
using dfx::intake::Value;

struct Read {
  std::vector<Value> values;
  Shape shape;
  std::string error;
};

Read read(const std::string& text, Kind kind = Kind::Auto, bool judge_lists = true) {
  auto lines = dfx::text::LineReader::from_text(text, "intake.txt");
  Read r;
  auto ok = dfx::intake::read(
      lines, {.kind = kind, .judge_lists = judge_lists},
      [&](Value v) { return r.values.push_back(std::move(v)), true; }, &r.shape);
  if (!ok) r.error = ok.error().message;
  return r;
}

std::vector<std::string> texts(const Read& r) {
  std::vector<std::string> out;
  for (const auto& v : r.values) out.push_back(v.text);
  return out;
}

TEST(Intake, ATableIsFoundByItsHeaderWhateverTheDelimiter) {
  for (const std::string d : {",", ";", "\t"}) {
    SCOPED_TRACE(d);
    const auto r = read(std::string("\xEF\xBB\xBF") + "Exhibit" + d + "IMEI" + d + "Notes\r\nB-1" +
                        d + "353812084788745" + d + "\"cracked, no SIM\"\r\nB-2" + d +
                        "357537084120930" + d + "\r\n");
    EXPECT_TRUE(r.error.empty()) << r.error;
    EXPECT_TRUE(r.shape.table);
    EXPECT_EQ(r.shape.delimiter, d[0]);
    EXPECT_EQ(r.shape.column, "imei");
    EXPECT_EQ(texts(r), (std::vector<std::string>{"353812084788745", "357537084120930"}));
    ASSERT_EQ(r.values.size(), 2u);
    EXPECT_EQ(r.values[0].line, 2u);
    EXPECT_EQ(r.values[0].kind, Kind::Imei) << "an imei column is read as IMEIs";
  }
}

TEST(Intake, WithoutAHeaderEveryLineIsAValueEvenWithCommas) {
  const auto r = read("353812084788745,357537084120930\n\n358750051234563\n");
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_FALSE(r.shape.table);
  EXPECT_EQ(texts(r),
            (std::vector<std::string>{"353812084788745,357537084120930", "358750051234563"}));
  EXPECT_EQ(r.values[1].line, 3u);
  EXPECT_FALSE(dfx::ident::normalize(r.values[0].text, Kind::Auto))
      << "two IMEIs in one value are never one identifier";
}

TEST(Intake, SerialColumnsAndTheKindOption) {
  auto r = read("Serial\nF3507G0000DFX01\n");
  ASSERT_EQ(r.values.size(), 1u);
  EXPECT_EQ(r.values[0].kind, Kind::Serial);
  r = read("value\n358750051234563\n", Kind::Imei);
  EXPECT_EQ(r.values[0].kind, Kind::Imei) << "--kind overrides what the column says";
}

TEST(Intake, SpreadsheetFilesAreRefusedWithWhatToDo) {
  const auto r = read(std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "[Content_Types].xml");
  EXPECT_NE(r.error.find("intake.txt:1: a spreadsheet file (.xlsx, .ods or .xls)"),
            std::string::npos)
      << r.error;
  EXPECT_TRUE(r.values.empty());
}

TEST(Intake, AColumnOfMostlyNonIdentifiersStopsTheRun) {
  std::string text = "exhibit;imei;notes\n";
  for (int i = 0; i < 10; ++i) text += "B-" + std::to_string(i) + ";3.53812E+14;spreadsheet\n";
  const auto r = read(text);
  EXPECT_NE(r.error.find("intake.txt:1: column \"imei\" (delimiter ';'): mostly not identifiers (0 "
                         "of the first 10 are; line 2: 3.53812E+14: looks like a spreadsheet's "
                         "scientific notation"),
            std::string::npos)
      << r.error;
  EXPECT_TRUE(r.values.empty()) << "nothing is checked from a column that cannot be trusted";

  std::string typos = "imei\n";
  for (int i = 0; i < 40; ++i)
    typos += (i % 8 == 0 ? "353812084788746" : "353812084788745") + std::string("\n");
  EXPECT_EQ(read(typos).values.size(), 40u) << "a few bad values in a real list are kept";
}

TEST(Intake, ATableWithAnUnknownHeaderIsNotReadAsValues) {
  // "Barcode" names no identifier column: read as a list, every line would be one invalid value.
  std::string text = "Bag,Barcode,Notes\n";
  for (int i = 0; i < 10; ++i) text += "B-" + std::to_string(i) + ",353812084788745,box\n";
  const auto r = read(text);
  EXPECT_NE(r.error.find("intake.txt:1: no header names an identifier column, so each line is one "
                         "value: mostly not identifiers (0 of the first 11 are; line 1: "
                         "Bag,Barcode,Notes: "),
            std::string::npos)
      << r.error;
  EXPECT_TRUE(r.values.empty());
  // Someone typing at a terminal gets an answer per line: lists are not held back then.
  const auto typed = read(text, Kind::Auto, false);
  EXPECT_TRUE(typed.error.empty()) << typed.error;
  EXPECT_EQ(typed.values.size(), 11u);
}

TEST(Intake, TheFileNameDoesNotMatter) {
  // The same table whatever the reader is called: content decides (INTAKE.CSV, intake.txt).
  const std::string text = "bag,identifier\nB-1,353812084788745\nB-2,357537084120930\n";
  for (const char* name : {"INTAKE.CSV", "intake.txt", "-"}) {
    auto lines = dfx::text::LineReader::from_text(text, name);
    std::vector<std::string> got;
    auto ok = dfx::intake::read(lines, {}, [&](Value v) { return got.push_back(v.text), true; });
    ASSERT_TRUE(ok) << name;
    EXPECT_EQ(got, (std::vector<std::string>{"353812084788745", "357537084120930"})) << name;
  }
}

}  // namespace
