// Value parsers: IMEI, IMEISV, texts, ICCID (plain and +CRSM EF_ICCID), IMSI.
#include "values.hpp"

#include <gtest/gtest.h>

namespace dfx::at {
namespace {

TEST(Values, Imei) {
  EXPECT_EQ(*parse_imei("350000110246812"), "350000110246812");
  for (std::string_view bad : {"", "35000011024681", "3500001102468120", "35000011024681X",
                               "35-000011-024681-2", "IMEI 350000110246812", "ERROR"}) {
    auto r = parse_imei(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::malformed);
  }
}

TEST(Values, Imeisv) {
  EXPECT_EQ(*parse_imeisv("3500001102468101"), "3500001102468101");
  EXPECT_FALSE(parse_imeisv("350000110246812"));
}

TEST(Values, Imsi) {
  EXPECT_EQ(*parse_imsi("234150999999999"), "234150999999999");
  EXPECT_EQ(*parse_imsi("23415099999999"), "23415099999999");
  EXPECT_FALSE(parse_imsi("2341509999999"));
  EXPECT_FALSE(parse_imsi("23415099999999A"));
}

TEST(Values, Text) {
  EXPECT_EQ(*parse_text("R1A021 prgCXC1250305_GENERIC_GL 1"), "R1A021 prgCXC1250305_GENERIC_GL 1");
  EXPECT_FALSE(parse_text(""));
  EXPECT_FALSE(parse_text(std::string(257, 'x')));
  EXPECT_FALSE(parse_text("a\x01"));
}

TEST(Values, Iccid) {
  EXPECT_EQ(*parse_iccid("8944110068256270054"), "8944110068256270054");
  EXPECT_EQ(*parse_iccid("89441100682562700546"), "89441100682562700546");
  EXPECT_EQ(*parse_iccid("8944110068256270054F"), "8944110068256270054") << "padding removed";
  EXPECT_EQ(*parse_iccid("894411abcdef62700546"), "894411ABCDEF62700546")
      << "hex letters after the sixth character";
  EXPECT_FALSE(parse_iccid("8A44110068256270054")) << "letters only after the sixth";
  EXPECT_FALSE(parse_iccid("9944110068256270054")) << "starts 89";
  EXPECT_FALSE(parse_iccid("894411006825627"));
  EXPECT_FALSE(parse_iccid(""));
}

TEST(Values, CrsmIccidIsNibbleSwapped) {
  // ICCID 8944110068256270054 (+ F padding) as EF_ICCID stores it: each byte's nibbles swapped.
  EXPECT_EQ(*decode_crsm_iccid("144,0,\"984411008652260750F4\""), "8944110068256270054");
  EXPECT_EQ(*decode_crsm_iccid("144,0,984411008652260750f4"), "8944110068256270054")
      << "unquoted, lower case";
  EXPECT_EQ(*decode_crsm_iccid("144, 0, \"98441100865226075064\""), "89441100682562700546");
}

TEST(Values, CrsmStatusWordsOtherThanSuccessAreRefused) {
  for (std::string_view sw : {"106,130", "148,4", "111,0", "152,4"}) {
    auto r = decode_crsm_iccid(std::string(sw) + ",\"\"");
    ASSERT_FALSE(r) << sw;
    EXPECT_EQ(r.error().code, Errc::refused) << sw;
    EXPECT_NE(r.error().message.find(std::string(sw)), std::string::npos) << r.error().message;
  }
}

TEST(Values, CrsmMalformed) {
  for (std::string_view bad :
       {"", "144", "144,0", "x,0,\"98\"", "144,0,\"98441\"", "144,0,\"984411008652260750F4AA\"",
        "144,0,\"ZZ4411008652260750F4\"", "144,0,\"884411008652260750F4\"", "1444,0,\"98\""}) {
    auto r = decode_crsm_iccid(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::malformed) << bad << ": " << r.error().message;
  }
}

TEST(Values, FirstValueSkipsEmptyLinesAndSaysWhenThereIsNone) {
  Reply r;
  r.final_line = "OK";
  auto none = first_value(r, {}, "AT+CGMI");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::not_found);
  constexpr std::string_view p[] = {"+CGMI"};
  r.lines = {"+CGMI:", "+CGMI: \"SAMSUNG\""};
  EXPECT_EQ(*first_value(r, p, "AT+CGMI"), "SAMSUNG");
}

}  // namespace
}  // namespace dfx::at
