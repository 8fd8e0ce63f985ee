// Kind::Auto: the documented precedence, ambiguity notes and label handling.
#include <gtest/gtest.h>

#include <string>

#include "ident/identifier.hpp"
#include "printers.hpp"

namespace dfx::ident {
namespace {

struct AutoCase {
  const char* input;
  Kind kind;
  const char* canonical;
};

void PrintTo(const AutoCase& c, std::ostream* os) {
  *os << "[" << c.input << "]";
}

class AutoDetects : public ::testing::TestWithParam<AutoCase> {};

TEST_P(AutoDetects, Kind) {
  const AutoCase& c = GetParam();
  const auto r = normalize(c.input);
  ASSERT_TRUE(r.has_value()) << c.input << ": " << r.error().reason;
  EXPECT_EQ(r->kind, c.kind) << c.input;
  EXPECT_EQ(r->canonical, c.canonical) << c.input;
}

INSTANTIATE_TEST_SUITE_P(
    Precedence, AutoDetects,
    ::testing::Values(
        AutoCase{"352099001761481", Kind::Imei, "352099001761481"},
        AutoCase{"35209900176148", Kind::Imei, "352099001761481"},
        AutoCase{"3568680000414120", Kind::Imeisv, "3568680000414120"},
        AutoCase{"AF0123450ABCDE", Kind::Meid, "AF0123450ABCDE"},
        AutoCase{"AF0123450ABCDEC", Kind::Meid, "AF0123450ABCDE"},
        AutoCase{"293608736500703710", Kind::Meid, "AF0123450ABCDE"},
        AutoCase{"2936087365007037100", Kind::Meid, "AF0123450ABCDE"},
        AutoCase{"0xAF0123450ABCDE", Kind::Meid, "AF0123450ABCDE"},
        AutoCase{"8910042348144559361", Kind::Iccid, "8910042348144559361"},
        AutoCase{"89441100682562700546", Kind::Iccid, "89441100682562700546"},
        AutoCase{"98441100865226075064", Kind::Iccid, "89441100682562700546"},
        AutoCase{"8910042348144559361F", Kind::Iccid, "8910042348144559361"},
        AutoCase{"89049032004008882600000000001240", Kind::Eid, "89049032004008882600000000001240"},
        AutoCase{"8016B128", Kind::Esn, "8016B128"}, AutoCase{"80123456", Kind::Esn, "80123456"},
        AutoCase{"12801487144", Kind::Esn, "8016B128"},
        AutoCase{"0x8016B128", Kind::Esn, "8016B128"},
        AutoCase{"0x001D2CD90128002E", Kind::Ecid, "001D2CD90128002E"},
        AutoCase{"0xABCDEF", Kind::Ecid, "0000000000ABCDEF"},
        AutoCase{"00008020-001D2CD90128002E", Kind::Udid, "00008020-001D2CD90128002E"},
        AutoCase{"S/N: C02XK0XXJGH5", Kind::Serial, "C02XK0XXJGH5"},
        AutoCase{"IMSI 310150123456789", Kind::Imsi, "310150123456789"},
        AutoCase{"IMEI: 3568680000414120", Kind::Imeisv, "3568680000414120"},
        AutoCase{"MEID: 35209900176148", Kind::Meid, "35209900176148"}));

TEST(Auto, AmbiguityNotes) {
  const auto fourteen = normalize("35209900176148");
  ASSERT_TRUE(fourteen.has_value());
  ASSERT_EQ(fourteen->notes.size(), 2U);
  EXPECT_EQ(fourteen->notes[0], "check digit 1 added (14 digits given)");
  EXPECT_EQ(fourteen->notes[1],
            "14 digits: read as an IMEI without check digit; the same digits could be an IMSI "
            "(choose kind imsi) or an all-decimal MEID");
  const auto esn = normalize("80123456");
  ASSERT_TRUE(esn.has_value());
  EXPECT_EQ(esn->notes.back(),
            "8 characters: read as an ESN (hex form); for a serial number choose kind serial");
}

TEST(Auto, NeverFallsBackToASerialNumber) {
  // A "serial" that misses every register would look checked: what is not clearly an
  // identifier is refused, and a serial number is read only when its kind is given.
  for (const char* s : {"C02XK0XXJGH5", "r58m12abcde", "ABCDEF123", "Galaxy S21"}) {
    const auto r = normalize(s);
    ASSERT_FALSE(r.has_value()) << s;
    EXPECT_EQ(r.error().kind, Kind::Auto) << s;
    EXPECT_EQ(r.error().problem, Problem::Unrecognised) << s;
    EXPECT_TRUE(normalize(s, Kind::Serial).has_value()) << s;
  }
  EXPECT_EQ(normalize("C02XK0XXJGH5").error().reason,
            "not a recognised identifier; a free-form serial number is read only when its kind "
            "is given (--kind serial, a serial column, or an S/N: label)");
  EXPECT_EQ(normalize("12345").error().reason,
            "5 digits: too few for an identifier (IMEI 15, MEID 18, ESN 8 hex or 11 digits)");
  EXPECT_EQ(normalize("ABCDEF123").error().reason,
            "9 hex characters: no identifier has this form (MEID 14, ESN 8, UDID 24 or 40, ECID "
            "with a 0x prefix)");
}

TEST(Auto, SpreadsheetDamageIsNamed) {
  struct Case {
    const char* input;
    Problem problem;
    const char* reason;
  };
  const Case cases[] = {
      {"3.53812E+14", Problem::Mangled,
       "looks like a spreadsheet's scientific notation (3.53812E+14): digits were lost; re-export "
       "the column formatted as text"},
      {"3,53812E+14", Problem::Mangled,
       "looks like a spreadsheet's scientific notation (3,53812E+14): digits were lost; re-export "
       "the column formatted as text"},
      {"353812084788745.0", Problem::Mangled,
       "decimal point at position 16: a number format may have dropped or changed digits; "
       "re-export the column formatted as text, or give the identifier without dots"},
      {"353,812,084,788,745", Problem::Mangled,
       "digits grouped in thousands: a spreadsheet formatted the identifier as a number; "
       "re-export the column formatted as text"},
      {"353812084788745,357537084120930", Problem::SeveralValues,
       "holds 2 identifiers (353812084788745, 357537084120930): give one identifier per value or "
       "row"},
      {"353812084788745 357537084120930", Problem::SeveralValues,
       "holds 2 identifiers (353812084788745, 357537084120930): give one identifier per value or "
       "row"},
      {"IMEI: 353812084788745; 357537084120930", Problem::SeveralValues,
       "holds 2 identifiers (353812084788745, 357537084120930): give one identifier per value or "
       "row"},
      {"353812084788745;", Problem::SeveralValues,
       "';' at position 16: a value holds one identifier (is ';' the list's delimiter?)"},
      {"Model: SM-G991B", Problem::Unrecognised,
       "label text 'Model:' is not an identifier label dfx knows (IMEI:, MEID:, ICCID:, S/N: ...)"},
  };
  for (const auto& c : cases) {
    for (const Kind kind : {Kind::Auto, Kind::Imei}) {
      const auto r = normalize(c.input, kind);
      ASSERT_FALSE(r.has_value()) << c.input;
      EXPECT_EQ(r.error().problem, c.problem) << c.input;
      EXPECT_EQ(r.error().reason, c.reason) << c.input;
    }
  }
  // Given as serial numbers, several identifiers and an exponent are still refused; a dot or a
  // comma alone is ordinary in a serial.
  EXPECT_EQ(normalize("353812084788745,357537084120930", Kind::Serial).error().problem,
            Problem::SeveralValues);
  EXPECT_EQ(normalize("3.53812E+14", Kind::Serial).error().problem, Problem::Mangled);
  EXPECT_TRUE(normalize("AB.12,34", Kind::Serial).has_value());
  EXPECT_TRUE(normalize("35209900176148", Kind::Serial).has_value());
}

TEST(Auto, FifteenDigitsFailingLuhnAreAnImeiRejection) {
  const auto r = normalize("352099001761482");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, Kind::Imei);
  EXPECT_EQ(r.error().reason, "bad check digit: got 2, expected 1");
  EXPECT_EQ(r.error().notes.back(), "for a free-form serial number choose kind serial");
}

TEST(Auto, NumericLengthsWithoutAKind) {
  const auto r = normalize("1234567890123456789012");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, Kind::Auto);
  EXPECT_EQ(r.error().problem, Problem::Unrecognised);
  EXPECT_EQ(r.error().reason,
            "22 digits: no identifier has this many (IMEI 15, IMEISV 16, MEID 18, ICCID 19-20, "
            "EID 32)");
  const auto twenty = normalize("12345678901234567890");
  ASSERT_FALSE(twenty.has_value());
  EXPECT_EQ(twenty.error().reason,
            "20 digits not starting with 89 (ICCID) or 98 (nibble-swapped ICCID): not a "
            "recognised identifier");
  const auto thirteen = normalize("3520990017614");
  ASSERT_FALSE(thirteen.has_value());
  EXPECT_EQ(thirteen.error().kind, Kind::Imei);
  EXPECT_EQ(thirteen.error().problem, Problem::WrongLength);
}

TEST(Auto, TypoInAnImeiIsReportedNotTakenAsSerial) {
  const auto r = normalize("35 209900 1761O8 1");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, Kind::Imei);
  EXPECT_EQ(r.error().reason, "non-digit 'O' at position 15 (letter O, not zero?)");
  // A 19-character ICCID with a stray letter is an ICCID attempt.
  const auto iccid = normalize("89100423481445593S1");
  ASSERT_FALSE(iccid.has_value());
  EXPECT_EQ(iccid.error().kind, Kind::Iccid);
}

TEST(Auto, HexFifteenFailingCheckIsAMeidRejection) {
  const auto r = normalize("AF0123450ABCDED");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, Kind::Meid);
  EXPECT_EQ(r.error().problem, Problem::BadCheckDigit);
}

TEST(Auto, WrongLabelFallsBackToWhatTheValueIs) {
  const auto r = normalize("IMEI: AF0123450ABCDE");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, Kind::Meid);
  EXPECT_EQ(r->notes.back(),
            "labelled IMEI but not a valid imei (non-digit 'A' at position 7): read as meid");
  // When the value is not valid as anything else, the labelled kind's rejection stands.
  const auto bad = normalize("IMEI: 352099001761482");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind, Kind::Imei);
  EXPECT_EQ(bad.error().reason, "bad check digit: got 2, expected 1");
  // A serial label never falls back.
  const auto sn = normalize("S/N: 352099001761482");
  ASSERT_TRUE(sn.has_value());
  EXPECT_EQ(sn->kind, Kind::Serial);
}

}  // namespace
}  // namespace dfx::ident
