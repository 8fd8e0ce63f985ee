// ESN, ICCID, IMSI, EID, ECID, UDID and serial numbers: accepted forms, derived values and every
// rejection reason.
#include <gtest/gtest.h>

#include <string>

#include "ident/identifier.hpp"
#include "printers.hpp"

namespace dfx::ident {
namespace {

// ---- ESN ----------------------------------------------------------------------------------------

TEST(Esn, HexAndDecimalForms) {
  for (const char* s : {"8016B128", "8016b128", "0x8016B128", "ESN: 128 01487144", "12801487144"}) {
    const auto r = normalize(s, Kind::Esn);
    ASSERT_TRUE(r.has_value()) << s << ": " << r.error().reason;
    EXPECT_EQ(r->canonical, "8016B128") << s;
    EXPECT_EQ(r->derived.esn_decimal, "12801487144") << s;
    EXPECT_EQ(r->derived.manufacturer, "80");
    EXPECT_EQ(r->derived.serial, "16B128");
    // Manufacturer code 0x80 marks a pseudo-ESN.
    EXPECT_EQ(r->notes.back(),
              "pseudo-ESN (manufacturer code 80): derived from a MEID, not unique");
  }
}

TEST(Esn, DroppedLeadingZeroIsRestored) {
  const auto hex = normalize("1234567", Kind::Esn);
  ASSERT_TRUE(hex.has_value());
  EXPECT_EQ(hex->canonical, "01234567");
  EXPECT_EQ(hex->notes.front(), "7 hex digits: leading zero restored");
  const auto dec = normalize("1801487144", Kind::Esn);  // 018 01487144
  ASSERT_TRUE(dec.has_value());
  EXPECT_EQ(dec->canonical, "1216B128");
  EXPECT_EQ(dec->notes.front(), "10 decimal digits: leading zero restored");
}

TEST(Esn, Rejections) {
  EXPECT_EQ(normalize("25616777215", Kind::Esn).error().reason,
            "ESN decimal manufacturer code 256 exceeds 255 (first 3 digits)");
  EXPECT_EQ(normalize("12816777216", Kind::Esn).error().reason,
            "ESN decimal serial 16777216 exceeds 16777215 (last 8 digits, 24 bits)");
  EXPECT_EQ(normalize("8016B12G", Kind::Esn).error().reason, "non-hex character 'G' at position 8");
  EXPECT_EQ(normalize("1280148714A", Kind::Esn).error().reason,
            "non-digit 'A' at position 11: a 10- or 11-character ESN is decimal");
  EXPECT_EQ(normalize("8016B12800", Kind::Esn).error().problem, Problem::BadCharacter);
  EXPECT_EQ(normalize("8016B1", Kind::Esn).error().reason,
            "wrong length: 6 characters, ESN needs 8 hex digits or 11 decimal digits");
  EXPECT_EQ(normalize("0x12801487144", Kind::Esn).error().reason,
            "wrong length: 11 hex digits after 0x, ESN needs 8 hex digits or 11 decimal digits");
}

// ---- ICCID --------------------------------------------------------------------------------------

TEST(Iccid, PlainForms) {
  for (const char* s :
       {"8910042348144559361", "8910 0423 4814 4559 361", "ICCID: 8910042348144559361",
        "8910042348144559361F", "+CCID: \"8910042348144559361\""}) {
    const auto r = normalize(s, Kind::Iccid);
    ASSERT_TRUE(r.has_value()) << s << ": " << r.error().reason;
    EXPECT_EQ(r->canonical, "8910042348144559361") << s;
    EXPECT_EQ(r->derived.check_digit, "1");
  }
  const auto twenty = normalize("89441100682562700546", Kind::Iccid);
  ASSERT_TRUE(twenty.has_value());
  EXPECT_EQ(twenty->canonical, "89441100682562700546");
  EXPECT_TRUE(twenty->notes.empty());
}

TEST(Iccid, NibbleSwappedFromCrsm) {
  const auto padded = normalize("980140328441549563F1", Kind::Iccid);
  ASSERT_TRUE(padded.has_value()) << padded.error().reason;
  EXPECT_EQ(padded->canonical, "8910042348144559361");
  ASSERT_EQ(padded->notes.size(), 2U);
  EXPECT_EQ(padded->notes[0],
            "nibble-swapped ICCID (raw EF_ICCID bytes, as AT+CRSM returns them) un-swapped");
  EXPECT_EQ(padded->notes[1], "trailing F padding removed");
  const auto full = normalize("98441100865226075064", Kind::Iccid);
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->canonical, "89441100682562700546");
  EXPECT_EQ(full->notes.size(), 1U);
  // Auto-detection takes both raw forms.
  EXPECT_EQ(normalize("980140328441549563f1")->canonical, "8910042348144559361");
  EXPECT_EQ(normalize("98441100865226075064")->kind, Kind::Iccid);
}

TEST(Iccid, Rejections) {
  const auto luhn = normalize("8910042348144559362", Kind::Iccid);
  ASSERT_FALSE(luhn.has_value());
  EXPECT_EQ(luhn.error().reason, "bad check digit: got 2, expected 1");
  EXPECT_EQ(luhn.error().position, 19U);
  // In the swapped form the check digit came from the typed character at position 20.
  const auto swapped = normalize("980140328441549563F2", Kind::Iccid);
  ASSERT_FALSE(swapped.has_value());
  EXPECT_EQ(swapped.error().position, 20U);
  EXPECT_EQ(normalize("891004234814455936", Kind::Iccid).error().reason,
            "wrong length: 18 digits, ICCID needs 19 or 20");
  EXPECT_EQ(normalize("3510042348144559361", Kind::Iccid).error().reason,
            "ICCID must start with 89 (telecommunications), got 35");
  EXPECT_EQ(normalize("89100423481445593A1", Kind::Iccid).error().reason,
            "non-digit 'A' at position 18");
}

// ---- IMSI ---------------------------------------------------------------------------------------

struct ImsiCase {
  const char* input;
  const char* mcc;
  const char* mnc;
  const char* msin;
};

TEST(Imsi, MncLengthByCountry) {
  for (const ImsiCase& c : {ImsiCase{"310150123456789", "310", "150", "123456789"},
                            ImsiCase{"234150999999999", "234", "15", "0999999999"},
                            ImsiCase{"302720123456789", "302", "720", "123456789"},
                            ImsiCase{"722310123456789", "722", "310", "123456789"},
                            ImsiCase{"26201123456789", "262", "01", "123456789"},
                            ImsiCase{"IMSI: 208 01 1234567890", "208", "01", "1234567890"}}) {
    const auto r = normalize(c.input, Kind::Imsi);
    ASSERT_TRUE(r.has_value()) << c.input << ": " << r.error().reason;
    EXPECT_EQ(r->derived.mcc, c.mcc) << c.input;
    EXPECT_EQ(r->derived.mnc, c.mnc) << c.input;
    EXPECT_EQ(r->derived.msin, c.msin) << c.input;
    EXPECT_TRUE(r->notes.empty()) << c.input;
  }
}

TEST(Imsi, SpecialMccsAreNoted) {
  const auto india = normalize("405025123456789", Kind::Imsi);
  ASSERT_TRUE(india.has_value());
  EXPECT_EQ(india->derived.mnc, "02");
  EXPECT_EQ(india->notes.at(0), "MCC 405 (India) uses both 2- and 3-digit MNCs: 2 digits assumed");
  for (const char* s : {"001010123456789", "901281234567890", "999991234567890"}) {
    const auto r = normalize(s, Kind::Imsi);
    ASSERT_TRUE(r.has_value()) << s;
    EXPECT_EQ(r->notes.size(), 1U) << s;
  }
}

TEST(Imsi, Rejections) {
  EXPECT_EQ(normalize("123456789012345", Kind::Imsi).error().reason,
            "MCC 123 is not a mobile country code in use (200-799, or 001/901/999)");
  EXPECT_EQ(normalize("000456789012345", Kind::Imsi).error().problem, Problem::OutOfRange);
  EXPECT_EQ(normalize("850456789012345", Kind::Imsi).error().problem, Problem::OutOfRange);
  EXPECT_EQ(normalize("3101501234567", Kind::Imsi).error().reason,
            "wrong length: 13 digits, IMSI needs 14 or 15");
  EXPECT_EQ(normalize("31015012345678X", Kind::Imsi).error().reason,
            "non-digit 'X' at position 15");
  // IMSIs are not auto-detected: 15 digits are an IMEI attempt.
  EXPECT_EQ(normalize("310150123456789").error().kind, Kind::Imei);
  EXPECT_EQ(normalize("+CIMI: 310150123456789")->kind, Kind::Imsi);
}

// ---- EID ----------------------------------------------------------------------------------------

TEST(Eid, Valid) {
  const auto r = normalize("EID: 89049032 00400888 26000000 00001240", Kind::Eid);
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->canonical, "89049032004008882600000000001240");
  EXPECT_EQ(r->derived.check_digit, "40");
  EXPECT_EQ(normalize("89001012012341234012345678901224")->kind, Kind::Eid);
}

TEST(Eid, Rejections) {
  const auto bad = normalize("89049032004008882600000000001241", Kind::Eid);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().reason, "bad check digits: got 41, expected 40");
  EXPECT_EQ(bad.error().problem, Problem::BadCheckDigit);
  EXPECT_EQ(normalize("8904903200400888260000000000124", Kind::Eid).error().reason,
            "wrong length: 31 digits, EID needs 32");
  EXPECT_EQ(normalize("79049032004008882600000000001240", Kind::Eid).error().reason,
            "EID must start with 89 (telecommunications), got 79");
  EXPECT_EQ(normalize("8904903200400888260000000000124O", Kind::Eid).error().reason,
            "non-digit 'O' at position 32 (letter O, not zero?)");
}

// ---- Apple --------------------------------------------------------------------------------------

TEST(Ecid, Forms) {
  for (const char* s : {"0x1D2CD90128002E", "ECID:001D2CD90128002E", "1d2cd90128002e",
                        "ECID: 0X001D2CD90128002E"}) {
    const auto r = normalize(s, Kind::Ecid);
    ASSERT_TRUE(r.has_value()) << s << ": " << r.error().reason;
    EXPECT_EQ(r->canonical, "001D2CD90128002E") << s;
    EXPECT_EQ(r->derived.ecid_hex, "001D2CD90128002E");
    EXPECT_EQ(r->derived.ecid_decimal, "8212084863533102");
  }
  EXPECT_EQ(normalize("ECID:001D2CD90128002E")->kind, Kind::Ecid);
  EXPECT_EQ(normalize("0x001D2CD90128002E")->kind, Kind::Ecid);
  EXPECT_EQ(normalize("0x12345")->kind, Kind::Ecid);
  // 0x + 14 hex digits is a MEID under Kind::Auto (ModemManager writes MEIDs that way).
  EXPECT_EQ(normalize("0x1D2CD90128002E")->kind, Kind::Meid);
  const auto digits = normalize("12345", Kind::Ecid);
  ASSERT_TRUE(digits.has_value());
  EXPECT_EQ(digits->canonical, "0000000000012345");
  EXPECT_EQ(digits->notes.size(), 1U);  // read as hex
}

TEST(Ecid, Rejections) {
  EXPECT_EQ(normalize("0x0", Kind::Ecid).error().reason, "ECID is zero");
  EXPECT_EQ(normalize("1D2CD90128002E001", Kind::Ecid).error().reason,
            "wrong length: 17 hex digits, ECID has at most 16");
  EXPECT_EQ(normalize("ECID: 1D2CZ", Kind::Ecid).error().reason,
            "non-hex character 'Z' at position 11");
}

TEST(Udid, NewStyle) {
  for (const char* s : {"00008020-001D2CD90128002E", "00008020001d2cd90128002e",
                        "UDID: 00008020-001D2CD90128002E"}) {
    const auto r = normalize(s);
    ASSERT_TRUE(r.has_value()) << s << ": " << r.error().reason;
    EXPECT_EQ(r->kind, Kind::Udid);
    EXPECT_EQ(r->canonical, "00008020-001D2CD90128002E");
    EXPECT_EQ(r->derived.chip_id, "8020");
    EXPECT_EQ(r->derived.ecid_hex, "001D2CD90128002E");
    EXPECT_EQ(r->derived.ecid_decimal, "8212084863533102");
  }
}

TEST(Udid, OldStyle) {
  const auto r = normalize("2B6F0CC904D137BE2E1730235F5664094B831186", Kind::Udid);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->canonical, "2b6f0cc904d137be2e1730235f5664094b831186");
  EXPECT_EQ(normalize("2b6f0cc904d137be2e1730235f5664094b831186")->kind, Kind::Udid);
}

TEST(Udid, Rejections) {
  EXPECT_EQ(
      normalize("00008020-001D2CD90128002", Kind::Udid).error().reason,
      "wrong length: 23 hex digits, UDID needs 40 (older devices) or 24 (8-16, newer devices)");
  EXPECT_EQ(normalize("00008020-001D2CD90128002X", Kind::Udid).error().reason,
            "non-hex character 'X' at position 25");
}

TEST(HexPrefix, OnlyForHexadecimalKinds) {
  const auto imei = normalize("0x352099001761481", Kind::Imei);
  ASSERT_FALSE(imei.has_value());
  EXPECT_EQ(imei.error().problem, Problem::BadCharacter);
  EXPECT_EQ(imei.error().position, 2U);
  EXPECT_EQ(imei.error().reason,
            "non-digit 'x' at position 2: a 0x prefix is for hexadecimal values, imei is not one");
  EXPECT_FALSE(normalize("0x8910042348144559361", Kind::Iccid).has_value());
  EXPECT_FALSE(normalize("0x00008020001D2CD90128002E", Kind::Udid).has_value());
  EXPECT_TRUE(normalize("0x8016B128", Kind::Esn).has_value());
  // A serial keeps its 0x as typed.
  EXPECT_EQ(normalize("0x1234", Kind::Serial)->canonical, "0X1234");
}

// ---- Serial -------------------------------------------------------------------------------------

TEST(Serial, TrimCollapseUpper) {
  const auto r = normalize("  r58m  12\tabcde \r\n", Kind::Serial);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->canonical, "R58M 12 ABCDE");
  EXPECT_EQ(normalize("S/N: ce0716071c4a2b3c03", Kind::Serial)->canonical, "CE0716071C4A2B3C03");
  EXPECT_EQ(normalize("Serial Number: dmpxk1abcd12", Kind::Serial)->canonical, "DMPXK1ABCD12");
  EXPECT_EQ(normalize("Serial No.: dmpxk1abcd12", Kind::Serial)->canonical, "DMPXK1ABCD12");
  EXPECT_EQ(normalize("serial no: dmpxk1abcd12")->canonical, "DMPXK1ABCD12");
  // Apple iBoot recovery strings carry SRNM:[serial].
  const auto srnm = normalize("SRNM:[86942J7F3NQ]");
  ASSERT_TRUE(srnm.has_value());
  EXPECT_EQ(srnm->kind, Kind::Serial);
  EXPECT_EQ(srnm->canonical, "86942J7F3NQ");
  EXPECT_EQ(normalize(std::string(64, 'a'), Kind::Serial)->canonical, std::string(64, 'A'));
}

TEST(Serial, Rejections) {
  const auto empty = normalize(" \t ", Kind::Serial);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().reason, "empty: no serial number found");
  EXPECT_EQ(normalize(std::string(65, 'A'), Kind::Serial).error().reason,
            "too long: 65 characters, a serial number has at most 64");
  EXPECT_EQ(normalize("AB\x01"
                      "CD",
                      Kind::Serial)
                .error()
                .reason,
            "control character U+0001 at position 3");
  EXPECT_EQ(normalize("AB\xC2\x85"
                      "CD",
                      Kind::Serial)
                .error()
                .reason,
            "control character U+0085 at position 3");
  EXPECT_EQ(normalize("AB\xC3\xA9"
                      "CD",
                      Kind::Serial)
                .error()
                .reason,
            "non-ASCII character '\xC3\xA9' (U+00E9) at position 3");
}

}  // namespace
}  // namespace dfx::ident
