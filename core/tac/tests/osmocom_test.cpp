// tac::parse_osmocom_tac_list: the Osmocom CSV export, its banner and header, and every rule
// that makes a row malformed (with and without skip_invalid).
// GCC 12 warns wrongly about std::string(literal) + literal once inlined (-Warray-bounds and
// -Wstringop-overflow, GCC bug 105329); the strings below are ordinary.
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overflow"

#include <gtest/gtest.h>

#include "tac/osmocom.hpp"

namespace {

using dfx::tac::parse_osmocom_tac_list;

constexpr const char* kBanner = "Osmocom TAC database under CC-BY-SA v3.0 (c) Harald Welte 2016";
constexpr const char* kHeader = "tac,name,name,contributor,comment,gsmarena,gsmarena,aka";

std::string list(const std::string& rows) {
  return std::string(kBanner) + "\r\n" + kHeader + "\r\n" + rows;
}

// The error message of a parse that must fail.
std::string error_of(const std::string& text, bool skip_invalid = false) {
  auto r = parse_osmocom_tac_list(text, "tacs.csv", {.skip_invalid = skip_invalid});
  EXPECT_FALSE(r.has_value());
  return r ? std::string() : r.error().message;
}

TEST(TacOsmocom, ReadsBannerBrandModelAndAka) {
  auto r = parse_osmocom_tac_list(
      list("35675904,Oppo,N1,Kévin Redon,,http://a,http://b,\r\n"
           "49013920,Nokia,1610,OsmoDevCon 2014,,,http://c,\"1610+,1611,1611+,NHE-5NX\"\r\n"),
      "tacs.csv");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->banner, kBanner);
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].tac, "35675904");
  EXPECT_EQ(r->rows[0].brand, "Oppo");
  EXPECT_EQ(r->rows[0].model, "N1");
  EXPECT_EQ(r->rows[0].aka, "");
  EXPECT_EQ(r->rows[0].line, 3u);
  EXPECT_EQ(r->rows[1].aka, "1610+,1611,1611+,NHE-5NX");
  EXPECT_EQ(r->rows[1].line, 4u);
  EXPECT_TRUE(r->skipped.empty());
  EXPECT_EQ(r->repeated, 0u);
}

TEST(TacOsmocom, HeaderOnTheFirstLineMeansNoBanner) {
  auto r = parse_osmocom_tac_list(std::string(kHeader) + "\n35675904,Oppo,N1,,,,,\n", "t.csv");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->banner, "");
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].line, 2u);
}

TEST(TacOsmocom, Utf8BomIsIgnored) {
  auto r = parse_osmocom_tac_list("\xEF\xBB\xBF" + list("35675904,Oppo,N1,,,,,\n"), "t.csv");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->banner, kBanner);
}

TEST(TacOsmocom, SpacesAroundFieldsAreRemovedAndBlankLinesIgnored) {
  auto r = parse_osmocom_tac_list(list("\n 35572302 ,Nokia , 3120 classic,,,,,\n\n"), "t.csv");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].tac, "35572302");
  EXPECT_EQ(r->rows[0].brand, "Nokia");
  EXPECT_EQ(r->rows[0].model, "3120 classic");
  EXPECT_EQ(r->rows[0].line, 4u);
}

TEST(TacOsmocom, WrongHeaderIsRefused) {
  const auto e = error_of(std::string(kBanner) + "\nimei,brand,model\n35675904,Oppo,N1\n");
  EXPECT_EQ(e.rfind("tacs.csv:2: expected the header tac,name,name", 0), 0u) << e;
  EXPECT_NE(e.find("imei,brand,model"), std::string::npos) << e;
}

TEST(TacOsmocom, BannerAloneIsRefused) {
  const auto e = error_of(kBanner);
  EXPECT_EQ(e.rfind("tacs.csv:1: no header line", 0), 0u) << e;
}

TEST(TacOsmocom, EachMalformedRowIsNamedByFileAndLine) {
  const std::pair<std::string, std::string> cases[] = {
      {"3567590,Oppo,N1,,,,,", "tacs.csv:3: TAC \"3567590\" is not 8 digits"},
      {"3567590X,Oppo,N1,,,,,", "tacs.csv:3: TAC \"3567590X\" is not 8 digits"},
      {"356759041,Oppo,N1,,,,,", "tacs.csv:3: TAC \"356759041\" is not 8 digits"},
      {",Oppo,N1,,,,,", "tacs.csv:3: TAC \"\" is not 8 digits"},
      {"35675904, ,N1,,,,,", "tacs.csv:3: TAC 35675904 has no brand (column 2)"},
      {"35675904,Oppo,N1", "tacs.csv:3: 3 fields, but the header has 8"},
      {"35675904,Oppo,N1,,,,,,", "tacs.csv:3: 9 fields, but the header has 8"},
      {"35675904,Op\xFFpo,N1,,,,,", "tacs.csv:3: field 2 is not valid UTF-8 text"},
      {"35675904,\"Oppo\"x,N1,,,,,", "tacs.csv:3: unexpected 'x' after the closing quote"},
  };
  for (const auto& [row, want] : cases) {
    const auto e = error_of(list(row + "\n"));
    EXPECT_EQ(e.rfind(want, 0), 0u) << "row: " << row << "\nerror: " << e;
  }
}

TEST(TacOsmocom, FirstMalformedRowFailsTheWholeList) {
  const auto e =
      error_of(list("35675904,Oppo,N1,,,,,\nbad,Oppo,N1,,,,,\n49013920,Nokia,1610,,,,,\n"));
  EXPECT_EQ(e.rfind("tacs.csv:4: ", 0), 0u) << e;
}

TEST(TacOsmocom, ExactRepeatIsKeptOnceButAConflictingRepeatIsMalformed) {
  auto same = parse_osmocom_tac_list(
      list("35572302,Nokia,3120 classic,a,,,,\n 35572302,Nokia,3120 classic,b,,,,\n"), "t.csv");
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->rows.size(), 1u);
  EXPECT_EQ(same->repeated, 1u);

  const auto e = error_of(list("33205600,Sagem,DMC 830,,,,,\n33205600,Sagem,M314-B0,,,,,\n"));
  EXPECT_EQ(e,
            "tacs.csv:4: TAC 33205600 is listed again as \"Sagem M314-B0\"; line 3 says "
            "\"Sagem DMC 830\"");
}

TEST(TacOsmocom, SkipInvalidKeepsGoodRowsAndListsTheOthersInOrder) {
  auto r = parse_osmocom_tac_list(list("35675904,Oppo,N1,,,,,\n"
                                       "123,X,Y,,,,,\n"
                                       "49013920,Nokia,1610,,,,,\n"
                                       "4901392\"0,Nokia,1610,,,,,\n"
                                       "35675904,Oppo,R7,,,,,\n"
                                       "49502220,Nokia,1620,,,,,\n"),
                                  "t.csv", {.skip_invalid = true});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->rows[2].tac, "49502220");
  ASSERT_EQ(r->skipped.size(), 3u);
  EXPECT_EQ(r->skipped[0].line, 4u);
  EXPECT_EQ(r->skipped[0].reason, "TAC \"123\" is not 8 digits");
  EXPECT_EQ(r->skipped[1].line, 6u);
  EXPECT_NE(r->skipped[1].reason.find("quote inside unquoted field 1"), std::string::npos);
  EXPECT_EQ(r->skipped[2].line, 7u);
  EXPECT_NE(r->skipped[2].reason.find("listed again"), std::string::npos);
}

TEST(TacOsmocom, UnclosedQuoteFailsEvenWithSkipInvalid) {
  const auto e = error_of(
      list("35675904,Oppo,N1,,,,,\n49013920,Nokia,\"1610,,,,,\n49502220,Nokia,1620,,,,,\n"), true);
  EXPECT_EQ(e.rfind("tacs.csv:4: quoted field 3 is not closed", 0), 0u) << e;
}

TEST(TacOsmocom, ListWithoutValidRowIsRefusedSoThatAnImportCannotEmptyTheDatabase) {
  EXPECT_EQ(error_of(list("")), "tacs.csv: no valid TAC row; nothing to import");
  EXPECT_EQ(error_of(list("1,A,B,,,,,\n2,A,B,,,,,\n"), true),
            "tacs.csv: no valid TAC row (2 skipped); nothing to import");
}

}  // namespace
