// The Recovery/DFU iSerialNumber parser: the strings real devices show, and what it refuses.
#include "serial_string.hpp"

#include <gtest/gtest.h>

namespace dfx::apple {
namespace {

TEST(SerialString, ReadsAnIBootRecoveryStringWithSerialAndImei) {
  const auto s = parse_serial_string(
      "CPID:8020 CPRV:11 CPFM:03 SCEP:01 BDID:0E ECID:001D2CD90128002E IBFL:3C "
      "SRNM:[F2LXXXXXXXXX] IMEI:[353908123456789]");
  EXPECT_TRUE(s.errors.empty());
  EXPECT_EQ(s.cpid, 0x8020u);
  EXPECT_EQ(s.cprv, 0x11u);
  EXPECT_EQ(s.cpfm, 0x03u);
  EXPECT_EQ(s.scep, 0x01u);
  EXPECT_EQ(s.bdid, 0x0Eu);
  EXPECT_EQ(s.ecid, 0x001D2CD90128002Eull);
  EXPECT_EQ(s.ibfl, 0x3Cu);
  EXPECT_EQ(s.srnm, "F2LXXXXXXXXX");
  EXPECT_EQ(s.imei, "353908123456789");
  EXPECT_FALSE(s.srtg);
  EXPECT_TRUE(s.unknown.empty());
}

TEST(SerialString, ReadsADfuStringWithoutSerialOrImei) {
  const auto s = parse_serial_string(
      "CPID:8020 CPRV:11 CPFM:03 SCEP:01 BDID:0E ECID:001D2CD90128002E IBFL:3C "
      "SRTG:[iBoot-3865.0.0.4.7]");
  EXPECT_TRUE(s.errors.empty());
  EXPECT_EQ(s.ecid, 0x001D2CD90128002Eull);
  EXPECT_EQ(s.srtg, "iBoot-3865.0.0.4.7");
  EXPECT_FALSE(s.srnm);
  EXPECT_FALSE(s.imei);
}

TEST(SerialString, ToleratesSpacingOrderMissingAndUnknownFields) {
  const auto s = parse_serial_string("  ECID:1d2cd90128002e\t\tCPID:8101   PWND:[checkm8] ");
  EXPECT_TRUE(s.errors.empty());
  EXPECT_EQ(s.ecid, 0x1D2CD90128002Eull) << "lower-case hex and no leading zeros";
  EXPECT_EQ(s.cpid, 0x8101u);
  EXPECT_FALSE(s.bdid);
  ASSERT_EQ(s.unknown.size(), 1u);
  EXPECT_EQ(s.unknown[0].first, "PWND");
  EXPECT_EQ(s.unknown[0].second, "checkm8");
  EXPECT_TRUE(parse_serial_string("").errors.empty());
}

TEST(SerialString, ReadsNoncesWhereTheStringCarriesThem) {
  const auto s = parse_serial_string("ECID:0000000000000ABC NONC:0a1b2c3d SNON:ffee");
  EXPECT_TRUE(s.errors.empty());
  EXPECT_EQ(s.nonc, "0a1b2c3d");
  EXPECT_EQ(s.snon, "ffee");
}

// A malformed value is an error for its field, with no value; the other fields are still read.
TEST(SerialString, AMalformedValueIsAnErrorForThatFieldOnly) {
  const auto s = parse_serial_string(
      "CPID:8020 ECID:001D2CD9012800ZZ SRNM:[F2LXXXXXXXXX] IMEI:[35390812345678]");
  EXPECT_FALSE(s.ecid) << "a bad ECID is not guessed";
  EXPECT_FALSE(s.imei) << "14 digits are not an IMEI";
  EXPECT_EQ(s.cpid, 0x8020u);
  EXPECT_EQ(s.srnm, "F2LXXXXXXXXX");
  ASSERT_EQ(s.errors.size(), 2u);
  EXPECT_EQ(s.errors[0].key, "ECID");
  EXPECT_EQ(s.errors[0].text, "ECID:001D2CD9012800ZZ");
  EXPECT_EQ(s.errors[0].why, "not hexadecimal");
  EXPECT_EQ(s.errors[1].key, "IMEI");
  EXPECT_EQ(s.errors[1].why, "not an IMEI (15 digits)");
}

TEST(SerialString, RefusesEachKindOfBadField) {
  const struct {
    const char* text;
    const char* why;
  } cases[] = {
      {"ECID:", "empty"},
      {"ECID:0000000000000000", "zero"},
      {"ECID:10000000000000000", "more than 16 hex digits"},
      {"CPID:123456789", "more than 8 hex digits"},
      {"CPID:[8020]x", "text after ']'"},
      {"SRNM:[F2L XXXXXXXX]", "not a serial number (8 to 20 capital letters and digits)"},
      {"SRNM:[f2lxxxxxxxxx]", "not a serial number (8 to 20 capital letters and digits)"},
      {"IMEI:[35390812345678A]", "not an IMEI (15 digits)"},
      {"NONC:abc", "not a nonce (an even number of hex digits, at most 128)"},
      {"IMEI:[353908123456789", "'[' without ']'"},
      {"garbage", "not KEY:value"},
      {"ecid:001D2CD90128002E", "not a field name (2 to 8 capital letters and digits)"},
  };
  for (const auto& c : cases) {
    const auto s = parse_serial_string(c.text);
    ASSERT_EQ(s.errors.size(), 1u) << c.text;
    EXPECT_EQ(s.errors[0].why, c.why) << c.text;
    EXPECT_FALSE(s.ecid || s.cpid || s.srnm || s.imei || s.nonc) << c.text;
  }
}

TEST(SerialString, AFieldGivenTwiceWithDifferentValuesIsWithdrawn) {
  const auto s =
      parse_serial_string("ECID:0000000000000ABC ECID:0000000000000ABD CPID:8020 CPID:8020");
  EXPECT_FALSE(s.ecid);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].why, "given twice with different values");
  EXPECT_EQ(s.cpid, 0x8020u) << "the same value twice is harmless";
  // A bad first value is not replaced by a later good one, nor a good one kept beside a bad one
  // (found by the fuzz target).
  EXPECT_FALSE(parse_serial_string("ECID:XYZ ECID:0000000000000ABC").ecid);
  EXPECT_FALSE(parse_serial_string("ECID:0000000000000ABC ECID:XYZ").ecid);
  EXPECT_FALSE(parse_serial_string("IMEI:[353908123456789] IMEI:[1]").imei);
}

TEST(SerialString, TextLongerThanAStringDescriptorIsRefusedWhole) {
  const auto s = parse_serial_string("ECID:0000000000000ABC " + std::string(2000, 'A'));
  EXPECT_FALSE(s.ecid);
  ASSERT_EQ(s.errors.size(), 1u);
}

TEST(SerialString, TellsARecoveryStringFromAUdid) {
  EXPECT_TRUE(looks_like_serial_string("CPID:8020 ECID:001D2CD90128002E"));
  EXPECT_TRUE(looks_like_serial_string("ECID:001D2CD90128002E"));
  EXPECT_FALSE(looks_like_serial_string("00008020001D2CD90128002E"));
  EXPECT_FALSE(looks_like_serial_string("XECID:1"));
}

}  // namespace
}  // namespace dfx::apple
