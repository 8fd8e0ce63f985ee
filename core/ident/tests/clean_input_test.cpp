// Input as people, labels, scanners and modems write it: labels, separators, scanner noise,
// and positions in rejections counted in characters of the original input.
#include <gtest/gtest.h>

#include <string>

#include "ident/identifier.hpp"
#include "printers.hpp"

namespace dfx::ident {
namespace {

constexpr const char* kImei = "352099001761481";

class ImeiSpellings : public ::testing::TestWithParam<std::string> {};

TEST_P(ImeiSpellings, NormalizeToTheSameImei) {
  for (const Kind kind : {Kind::Auto, Kind::Imei}) {
    const auto r = normalize(GetParam(), kind);
    ASSERT_TRUE(r.has_value()) << GetParam() << ": " << r.error().reason;
    EXPECT_EQ(r->kind, Kind::Imei);
    EXPECT_EQ(r->canonical, kImei);
    EXPECT_EQ(r->input, GetParam());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Forms, ImeiSpellings,
    ::testing::Values<std::string>(
        "352099001761481", "35-209900-176148-1", "35 209900 176148 1", "  352099001761481  ",
        "\t352099001761481\r\n", "IMEI: 35-209900-176148-1", "imei:352099001761481",
        "IMEI1: 352099001761481", "Imei2=352099001761481", "IMEI No.: 352099001761481",
        "IMEI 352099001761481", "IMEI# 352099001761481", "IMEI:[352099001761481]",
        "+CGSN: \"352099001761481\"", "]C1352099001761481\r\n", "]C0 IMEI: 352099001761481",
        "35\xC2\xA0"
        "209900\xC2\xA0"
        "176148\xC2\xA0"
        "1",
        "35\xE2\x80\x93"
        "209900\xE2\x80\x93"
        "176148\xE2\x80\x93"
        "1",
        "\xEF\xBB\xBF"
        "352099001761481",
        std::string("352099001761481\0\0", 17),  // NUL padding from a fixed-size buffer
        // Full-width digits (an East Asian input method), ideographic space, minus sign,
        // non-breaking hyphen: python-stdnum reads them as digits and separators, so does dfx.
        "\xEF\xBC\x93\xEF\xBC\x95\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x99\xEF\xBC\x99\xEF\xBC\x90"
        "\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x97\xEF\xBC\x96\xEF\xBC\x91\xEF\xBC\x94\xEF\xBC\x98"
        "\xEF\xBC\x91",
        "35\xE3\x80\x80"
        "209900\xE2\x88\x92"
        "176148\xE2\x80\x91"
        "1"));

TEST(CleanInput, NothingButSpacesAndDashesIsDroppedInside) {
  // A dot is never a separator: "2539970.1422951" has lost a digit to it, and reading it as
  // 14 digits plus a computed check digit would make up an IMEI.
  const auto dotted = normalize("2539970.1422951");
  ASSERT_FALSE(dotted.has_value());
  EXPECT_EQ(dotted.error().problem, Problem::Mangled);
  EXPECT_EQ(dotted.error().position, 8U);
  for (const char* s : {"35.209900.176148.1", "35/209900/176148/1", "35\t209900176148 1",
                        "35\xE2\x80\x8B"
                        "209900176148 1",  // zero-width space inside
                        "35\xEF\xBC\x8E"
                        "209900176148 1"}) {  // full-width full stop
    EXPECT_FALSE(normalize(s, Kind::Imei).has_value()) << s;
    EXPECT_FALSE(normalize(s).has_value()) << s;
  }
  EXPECT_EQ(normalize("35/209900/176148/1", Kind::Imei).error().reason,
            "non-digit '/' at position 3");
  EXPECT_EQ(normalize("35\xE2\x80\x8B"
                      "209900176148 1",
                      Kind::Imei)
                .error()
                .reason,
            "non-digit '\xE2\x80\x8B' (U+200B) at position 3");
}

TEST(CleanInput, LabelNeedsADelimiter) {
  // "SN" glued to the value is part of the serial, not a label.
  const auto glued = normalize("SN12345X", Kind::Serial);
  ASSERT_TRUE(glued.has_value());
  EXPECT_EQ(glued->canonical, "SN12345X");
  const auto labelled = normalize("S/N: r58m12abcde", Kind::Auto);
  ASSERT_TRUE(labelled.has_value());
  EXPECT_EQ(labelled->kind, Kind::Serial);
  EXPECT_EQ(labelled->canonical, "R58M12ABCDE");
  const auto sn = normalize("sn: C02XK0XXJGH5");
  ASSERT_TRUE(sn.has_value());
  EXPECT_EQ(sn->kind, Kind::Serial);
  EXPECT_EQ(sn->canonical, "C02XK0XXJGH5");
}

TEST(CleanInput, NonDigitPositionIsOneBasedInTheTypedInput) {
  const auto r = normalize("35209900176148O", Kind::Imei);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().problem, Problem::BadCharacter);
  EXPECT_EQ(r.error().reason, "non-digit 'O' at position 15 (letter O, not zero?)");
  EXPECT_EQ(r.error().position, 15U);

  // The label and its space count: "IMEI: " is 6 characters.
  const auto labelled = normalize("IMEI: 3520990O1761481", Kind::Imei);
  ASSERT_FALSE(labelled.has_value());
  EXPECT_EQ(labelled.error().position, 14U);
  EXPECT_EQ(labelled.error().input, "IMEI: 3520990O1761481");
}

TEST(CleanInput, PositionsCountCharactersNotBytes) {
  // En dashes are 3 bytes each in UTF-8 but one character each.
  const auto r = normalize(
      "35\xE2\x80\x93"
      "209900\xE2\x80\x93"
      "1761O8\xE2\x80\x93"
      "1",
      Kind::Imei);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().position, 15U);
  EXPECT_EQ(r.error().reason, "non-digit 'O' at position 15 (letter O, not zero?)");
}

TEST(CleanInput, DescribesControlAndNonAsciiCharacters) {
  const auto ctrl = normalize(
      "3520990\x07"
      "01761481",
      Kind::Imei);
  ASSERT_FALSE(ctrl.has_value());
  EXPECT_EQ(ctrl.error().reason, "control character U+0007 at position 8");
  const auto accent = normalize("35209900176148\xC3\xA9", Kind::Imei);
  ASSERT_FALSE(accent.has_value());
  EXPECT_EQ(accent.error().reason, "non-digit '\xC3\xA9' (U+00E9) at position 15");
  const auto stray = normalize("35209900176148\xE9", Kind::Imei);  // Latin-1 byte, not UTF-8
  ASSERT_FALSE(stray.has_value());
  EXPECT_EQ(stray.error().reason, "non-digit byte 0xE9 at position 15");
  const auto one = normalize("3520990017614l1", Kind::Imei);
  ASSERT_FALSE(one.has_value());
  EXPECT_EQ(one.error().reason, "non-digit 'l' at position 14 (letter, not one?)");
}

TEST(CleanInput, EmptyInputs) {
  for (const char* s : {"", "   ", "\r\n", "IMEI:", "IMEI: []", " - \xE2\x80\x90 ", "]C1"}) {
    const auto r = normalize(s, Kind::Imei);
    ASSERT_FALSE(r.has_value()) << s;
    EXPECT_EQ(r.error().problem, Problem::Empty) << s;
    EXPECT_EQ(r.error().reason, "empty: no digits found") << s;
  }
  const auto autodetect = normalize("  \t ");
  ASSERT_FALSE(autodetect.has_value());
  EXPECT_EQ(autodetect.error().problem, Problem::Empty);
  EXPECT_EQ(autodetect.error().kind, Kind::Auto);
}

TEST(CleanInput, ConflictingLabelIsNotedWhenKindIsGiven) {
  const auto r = normalize("MEID: 352099001761481", Kind::Imei);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->notes.size(), 1U);
  EXPECT_EQ(r->notes[0], "label MEID ignored: read as imei");
  const auto rejected = normalize("ICCID: 35209900176148X", Kind::Imei);
  ASSERT_FALSE(rejected.has_value());
  ASSERT_EQ(rejected.error().notes.size(), 1U);
  EXPECT_EQ(rejected.error().notes[0], "label ICCID ignored: read as imei");
}

TEST(KindNames, RoundTrip) {
  for (const Kind k : {Kind::Imei, Kind::Imeisv, Kind::Meid, Kind::Esn, Kind::Iccid, Kind::Imsi,
                       Kind::Eid, Kind::Ecid, Kind::Udid, Kind::Serial, Kind::Auto}) {
    EXPECT_EQ(kind_from_string(to_string(k)), k);
  }
  EXPECT_EQ(kind_from_string("IMEI"), Kind::Imei);
  EXPECT_EQ(kind_from_string("Iccid"), Kind::Iccid);
  EXPECT_FALSE(kind_from_string("imei ").has_value());
  EXPECT_FALSE(kind_from_string("").has_value());
  EXPECT_EQ(to_string(Problem::BadCheckDigit), "bad-check-digit");
}

}  // namespace
}  // namespace dfx::ident
