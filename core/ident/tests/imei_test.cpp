// IMEI and IMEISV: accepted forms, derived values and every rejection reason.
#include <gtest/gtest.h>

#include "ident/identifier.hpp"
#include "printers.hpp"

namespace dfx::ident {
namespace {

TEST(Imei, FifteenDigits) {
  const auto r = normalize("35-209900-176148-1", Kind::Imei);
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->kind, Kind::Imei);
  EXPECT_EQ(r->canonical, "352099001761481");
  EXPECT_EQ(r->derived.tac, "35209900");
  EXPECT_EQ(r->derived.snr, "176148");
  EXPECT_EQ(r->derived.check_digit, "1");
  EXPECT_EQ(r->derived.imei, "352099001761481");
  EXPECT_TRUE(r->derived.svn.empty());
  EXPECT_TRUE(r->notes.empty());
}

TEST(Imei, FourteenDigitsGetTheirCheckDigit) {
  // python-stdnum: format('35686800-004141', add_check_digit=True) == '35-686800-004141-8'.
  const auto r = normalize("35686800-004141", Kind::Imei);
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->canonical, "356868000041418");
  ASSERT_EQ(r->notes.size(), 1U);
  EXPECT_EQ(r->notes[0], "check digit 8 added (14 digits given)");
}

TEST(Imei, SixteenDigitsAreAnImeisv) {
  const auto r = normalize("35686800-004141-20", Kind::Imei);
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->kind, Kind::Imeisv);
  EXPECT_EQ(r->canonical, "3568680000414120");
  EXPECT_EQ(r->derived.svn, "20");
  EXPECT_EQ(r->derived.imei, "356868000041418");
  EXPECT_EQ(r->derived.tac, "35686800");
  EXPECT_EQ(r->derived.snr, "004141");
  ASSERT_EQ(r->notes.size(), 1U);
  EXPECT_EQ(r->notes[0], "16 digits: read as an IMEISV (IMEI + 2-digit software version)");
}

TEST(Imeisv, ExplicitKind) {
  const auto r = normalize("IMEISV: 3568680000414199", Kind::Imeisv);
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->kind, Kind::Imeisv);
  EXPECT_EQ(r->derived.svn, "99");
  ASSERT_EQ(r->notes.size(), 1U);
  EXPECT_EQ(r->notes[0], "software version number 99 is reserved");

  const auto fifteen = normalize("356868000041418", Kind::Imeisv);
  ASSERT_FALSE(fifteen.has_value());
  EXPECT_EQ(fifteen.error().kind, Kind::Imeisv);
  EXPECT_EQ(fifteen.error().problem, Problem::WrongLength);
  EXPECT_EQ(fifteen.error().reason,
            "wrong length: 15 digits, IMEISV needs 16 (15 digits is an IMEI)");
  const auto seventeen = normalize("35686800004141200", Kind::Imeisv);
  ASSERT_FALSE(seventeen.has_value());
  EXPECT_EQ(seventeen.error().reason, "wrong length: 17 digits, IMEISV needs 16");
  const auto letter = normalize("356868000041412A", Kind::Imeisv);
  ASSERT_FALSE(letter.has_value());
  EXPECT_EQ(letter.error().reason, "non-digit 'A' at position 16");
}

TEST(Imei, BadCheckDigit) {
  // python-stdnum docstring: 35-417803-685978-1 has a bad checksum (expected 9).
  const auto r = normalize("35-417803-685978-1", Kind::Imei);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, Kind::Imei);
  EXPECT_EQ(r.error().problem, Problem::BadCheckDigit);
  EXPECT_EQ(r.error().reason, "bad check digit: got 1, expected 9");
  EXPECT_EQ(r.error().position, 18U);  // the last character typed
}

TEST(Imei, WrongLength) {
  for (const char* s : {"3520990017614", "3", "35209900176148100", "352099001761481000000"}) {
    const auto r = normalize(s, Kind::Imei);
    ASSERT_FALSE(r.has_value()) << s;
    EXPECT_EQ(r.error().problem, Problem::WrongLength) << s;
  }
  EXPECT_EQ(normalize("3520990017614", Kind::Imei).error().reason,
            "wrong length: 13 digits, IMEI needs 15 (or 14 without check digit, 16 for an IMEISV)");
}

TEST(Imei, NonDigitBeatsLength) {
  // A letter is reported first, as python-stdnum checks the format before the length.
  const auto r = normalize("35209A", Kind::Imei);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().problem, Problem::BadCharacter);
  EXPECT_EQ(r.error().reason, "non-digit 'A' at position 6");
  EXPECT_EQ(r.error().position, 6U);
}

TEST(Imei, AllZerosIsValidButNoted) {
  const auto r = normalize("000000000000000", Kind::Imei);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->notes.size(), 1U);
  EXPECT_NE(r->notes[0].find("placeholder"), std::string::npos);
}

TEST(Imei, LongInputIsCountedNotStored) {
  const std::string digits(500, '1');
  const auto r = normalize(digits, Kind::Imei);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(
      r.error().reason,
      "wrong length: 500 digits, IMEI needs 15 (or 14 without check digit, 16 for an IMEISV)");
}

}  // namespace
}  // namespace dfx::ident
