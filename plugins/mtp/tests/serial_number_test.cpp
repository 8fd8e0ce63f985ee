// The IMEI-as-serial rule and what a DeviceInfo becomes: claims with their methods, findings and
// notes.
#include <gtest/gtest.h>

#include "identity.hpp"
#include "serial_number.hpp"

namespace dfx::mtp {
namespace {

TEST(SerialNumber, FifteenLuhnValidDigitsAreAnImei) {
  EXPECT_TRUE(is_luhn_valid_imei("351941062718283"));    // GT-I9300 sample (TAC 35194106)
  EXPECT_TRUE(is_luhn_valid_imei("490154203237518"));    // the textbook IMEI example
  EXPECT_FALSE(is_luhn_valid_imei("351941062718284"));   // check digit off by one
  EXPECT_FALSE(is_luhn_valid_imei("35194106271828"));    // 14 digits
  EXPECT_FALSE(is_luhn_valid_imei("3519410627182830"));  // 16 digits (an IMEISV is not taken)
  EXPECT_FALSE(is_luhn_valid_imei("35194106271828A"));
  EXPECT_FALSE(is_luhn_valid_imei(" 51941062718283"));
  EXPECT_FALSE(is_luhn_valid_imei("35-194106-271828"));
  EXPECT_FALSE(is_luhn_valid_imei(""));
}

TEST(SerialNumber, Classification) {
  EXPECT_EQ(classify_serial(""), SerialKind::empty);
  EXPECT_EQ(classify_serial("????????"), SerialKind::unavailable);
  EXPECT_EQ(classify_serial("?"), SerialKind::unavailable);
  EXPECT_EQ(classify_serial("351941062718283"), SerialKind::imei);
  EXPECT_EQ(classify_serial("R58N90DFX01"), SerialKind::serial);
  EXPECT_EQ(classify_serial("351941062718284"), SerialKind::serial);
  EXPECT_EQ(classify_serial("??ab"), SerialKind::serial);
}

DeviceInfo info(const std::string& serial) {
  DeviceInfo d;
  d.manufacturer = "SAMSUNG";
  d.model = "GT-I9300";
  d.device_version = "I9300XXELLA";
  d.serial_number = serial;
  return d;
}

std::string claim_value(const Identity& id, std::string_view kind) {
  for (const auto& c : id.claims)
    if (c.kind.text() == kind) return c.value;
  return "<none>";
}

std::string claim_method(const Identity& id, std::string_view kind) {
  for (const auto& c : id.claims)
    if (c.kind.text() == kind) return c.method;
  return "<none>";
}

TEST(Identity, AnImeiSerialIsClaimedAsSerialAndImeiWithAFinding) {
  const auto id = identity_from(info("351941062718283"));
  EXPECT_EQ(claim_value(id, "manufacturer"), "SAMSUNG");
  EXPECT_EQ(claim_method(id, "manufacturer"), "mtp: GetDeviceInfo Manufacturer");
  EXPECT_EQ(claim_value(id, "model"), "GT-I9300");
  EXPECT_EQ(claim_value(id, "x_mtp_device_version"), "I9300XXELLA");
  EXPECT_EQ(claim_method(id, "x_mtp_device_version"), "mtp: GetDeviceInfo DeviceVersion");
  EXPECT_EQ(claim_value(id, "serial"), "351941062718283");
  EXPECT_EQ(claim_method(id, "serial"), "mtp: GetDeviceInfo SerialNumber");
  EXPECT_EQ(claim_value(id, "imei"), "351941062718283");
  EXPECT_EQ(claim_method(id, "imei"),
            "mtp: GetDeviceInfo SerialNumber (15 digits, Luhn-valid: read as the IMEI, as older "
            "Samsung phones report it)");
  ASSERT_EQ(id.findings.size(), 1u);
  EXPECT_EQ(id.findings[0].code, "imei_from_mtp_serial");
  EXPECT_NE(id.findings[0].message.find("351941062718283"), std::string::npos);
}

TEST(Identity, AnOrdinarySerialIsOnlyASerial) {
  const auto id = identity_from(info("R58N90DFX01"));
  EXPECT_EQ(claim_value(id, "serial"), "R58N90DFX01");
  EXPECT_EQ(claim_value(id, "imei"), "<none>");
  EXPECT_TRUE(id.findings.empty());
}

TEST(Identity, AospUnknownSerialIsNotClaimedAndSaysWhy) {
  const auto id = identity_from(info("????????"));
  EXPECT_EQ(claim_value(id, "serial"), "<none>");
  EXPECT_EQ(claim_value(id, "imei"), "<none>");
  ASSERT_EQ(id.findings.size(), 1u);
  EXPECT_EQ(id.findings[0].code, "mtp_serial_unavailable");
  EXPECT_NE(id.findings[0].message.find("Build.SERIAL"), std::string::npos);
}

TEST(Identity, EmptyFieldsAreNotClaimedButNoted) {
  DeviceInfo d;
  d.model = "Pixel 7";
  d.trailing_bytes = 4;
  const auto id = identity_from(d);
  ASSERT_EQ(id.claims.size(), 1u);
  EXPECT_EQ(claim_value(id, "model"), "Pixel 7");
  EXPECT_EQ(id.notes.size(), 4u) << "manufacturer, version, serial and the trailing bytes";
}

}  // namespace
}  // namespace dfx::mtp
