// MEID: hex and decimal forms, check digits, overflow, derived values and rejections.
#include <gtest/gtest.h>

#include "ident/identifier.hpp"
#include "printers.hpp"

namespace dfx::ident {
namespace {

void expect_af0123(const tl::expected<Identifier, Rejection>& r) {
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->kind, Kind::Meid);
  EXPECT_EQ(r->canonical, "AF0123450ABCDE");
  EXPECT_EQ(r->derived.meid_hex, "AF0123450ABCDE");
  EXPECT_EQ(r->derived.meid_hex_check, "AF0123450ABCDEC");
  EXPECT_EQ(r->derived.meid_decimal, "293608736500703710");
  EXPECT_EQ(r->derived.meid_decimal_check, "2936087365007037100");
  EXPECT_EQ(r->derived.pesn, "8016B128");
  EXPECT_EQ(r->derived.manufacturer, "AF012345");
  EXPECT_EQ(r->derived.serial, "0ABCDE");
}

TEST(Meid, AllFormsOfOneMeid) {
  // The python-stdnum docstring examples.
  expect_af0123(normalize("AF 01 23 45 0A BC DE C", Kind::Meid));
  expect_af0123(normalize("af0123450abcde", Kind::Meid));
  expect_af0123(normalize("29360 87365 0070 3710 0", Kind::Meid));
  expect_af0123(normalize("293608736500703710", Kind::Meid));
  expect_af0123(normalize("MEID: 0xAF0123450ABCDE", Kind::Meid));
  expect_af0123(normalize("MEID: AF0123450ABCDE"));  // auto
  expect_af0123(normalize("AF0123450ABCDE"));        // auto: 14 hex with letters
}

TEST(Meid, Notes) {
  const auto dec = normalize("293608736500703710", Kind::Meid);
  ASSERT_TRUE(dec.has_value());
  ASSERT_EQ(dec->notes.size(), 1U);
  EXPECT_EQ(dec->notes[0], "decimal MEID converted to hexadecimal");
  const auto low = normalize("1A000012345678", Kind::Meid);
  ASSERT_TRUE(low.has_value());
  ASSERT_EQ(low->notes.size(), 1U);
  EXPECT_EQ(low->notes[0], "regional code 1A is outside the range A0-FF assigned to MEIDs");
}

TEST(Meid, AllDecimalFourteenIsValidatedAsImei) {
  // stdnum: an all-digit 14-character MEID is an IMEI without check digit.
  const auto r = normalize("35209900176148", Kind::Meid);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->canonical, "35209900176148");
  EXPECT_EQ(r->derived.meid_hex_check, "352099001761481");  // decimal Luhn
  ASSERT_EQ(r->notes.size(), 1U);
  EXPECT_NE(r->notes[0].find("IMEI"), std::string::npos);
  // With a 15th digit the decimal Luhn applies.
  EXPECT_TRUE(normalize("352099001761481", Kind::Meid).has_value());
  const auto bad = normalize("352099001761482", Kind::Meid);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(
      bad.error().reason,
      "bad check digit: got 2, expected 1 (an all-decimal MEID uses the decimal Luhn digit, as "
      "an IMEI)");
  // A hex-Luhn letter after an all-decimal body is wrong too.
  EXPECT_FALSE(normalize("35209900176148A", Kind::Meid).has_value());
}

TEST(Meid, BadHexCheckDigit) {
  const auto r = normalize("AF0123450ABCDED", Kind::Meid);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().problem, Problem::BadCheckDigit);
  EXPECT_EQ(r.error().reason, "bad check digit: got D, expected C");
  EXPECT_EQ(r.error().position, 15U);
}

TEST(Meid, BadDecimalCheckDigit) {
  const auto r = normalize("29360 87365 0070 3710 1", Kind::Meid);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().reason, "bad check digit: got 1, expected 0");
  EXPECT_EQ(r.error().position, 23U);
}

TEST(Meid, DecimalOverflow) {
  const auto high = normalize("429496729600000000", Kind::Meid);
  ASSERT_FALSE(high.has_value());
  EXPECT_EQ(high.error().problem, Problem::OutOfRange);
  EXPECT_EQ(high.error().reason,
            "MEID decimal part overflows 32 bits: first 10 digits 4294967296 > 4294967295");
  const auto low = normalize("000000000116777216", Kind::Meid);
  ASSERT_FALSE(low.has_value());
  EXPECT_EQ(low.error().reason,
            "MEID decimal part overflows 24 bits: last 8 digits 16777216 > 16777215");
  const auto edge = normalize("429496729516777215", Kind::Meid);
  ASSERT_TRUE(edge.has_value());
  EXPECT_EQ(edge->canonical, "FFFFFFFFFFFFFF");
}

TEST(Meid, BadCharacters) {
  const auto hex = normalize("AF0123450ABCDG", Kind::Meid);
  ASSERT_FALSE(hex.has_value());
  EXPECT_EQ(hex.error().reason, "non-hex character 'G' at position 14");
  const auto dec = normalize("29360873650070371A", Kind::Meid);
  ASSERT_FALSE(dec.has_value());
  EXPECT_EQ(dec.error().reason,
            "non-digit 'A' at position 18: an 18- or 19-character MEID is decimal");
}

TEST(Meid, WrongLength) {
  const auto r = normalize("AF0123450ABC", Kind::Meid);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().problem, Problem::WrongLength);
  EXPECT_EQ(r.error().reason,
            "wrong length: 12 characters, MEID needs 14 hex digits (15 with check digit) or 18 "
            "decimal digits (19 with check digit)");
  const auto hexdec = normalize("0x293608736500703710", Kind::Meid);
  ASSERT_FALSE(hexdec.has_value());
  EXPECT_EQ(hexdec.error().problem, Problem::WrongLength);
  const auto empty = normalize("MEID:", Kind::Meid);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().problem, Problem::Empty);
}

}  // namespace
}  // namespace dfx::ident
