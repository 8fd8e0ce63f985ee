// The reading as claims: what each mode gives, with methods, and what stops a reading.
#include "identity.hpp"
#include "models.hpp"

#include <gtest/gtest.h>

#include <map>

namespace dfx::apple {
namespace {

std::map<std::string, Fact> by_kind(const Reading& r) {
  std::map<std::string, Fact> out;
  for (const auto& f : r.facts) out[f.kind] = f;
  return out;
}

constexpr const char* kRecovery =
    "CPID:8020 CPRV:11 CPFM:03 SCEP:01 BDID:0E ECID:001D2CD90128002E IBFL:3C "
    "SRNM:[F2LXXXXXXXXX] IMEI:[353908123456789]";

TEST(Identity, RecoveryGivesEcidSerialImeiAndTheChipFields) {
  const Reading r = read_usb_identity(Mode::Recovery, kRecovery, 3);
  EXPECT_TRUE(r.problems.empty());
  const auto f = by_kind(r);
  EXPECT_EQ(f.at("x_apple_mode").value, "recovery");
  EXPECT_EQ(f.at("ecid").value, "0x001D2CD90128002E");
  EXPECT_EQ(f.at("ecid").method,
            "apple: iSerialNumber (string descriptor 3, Recovery mode), ECID field");
  EXPECT_EQ(f.at("serial").value, "F2LXXXXXXXXX");
  EXPECT_EQ(f.at("imei").value, "353908123456789");
  EXPECT_EQ(f.at("x_apple_cpid").value, "0x8020");
  EXPECT_EQ(f.at("x_apple_bdid").value, "0x0E");
  EXPECT_EQ(f.at("x_apple_cpfm").value, "0x03");
  EXPECT_EQ(f.at("model").value, "iPhone XS") << "CPID 0x8020 with BDID 0x0E";
  EXPECT_EQ(f.at("x_apple_product_type").value, "iPhone11,2");
  EXPECT_NE(f.at("model").method.find("CPID and BDID fields"), std::string::npos);
}

TEST(Identity, AnUnknownChipAndBoardGiveNoModel) {
  const Reading r = read_usb_identity(Mode::Dfu, "CPID:8020 BDID:7F ECID:0000000000000ABC", 3);
  EXPECT_TRUE(r.problems.empty());
  EXPECT_FALSE(by_kind(r).count("model"));
}

TEST(Models, TheTableAnswersByChipAndByProductType) {
  EXPECT_GE(models().size(), 60u);
  const Model* xr = model_by_product_type("iPhone11,8");
  ASSERT_NE(xr, nullptr);
  EXPECT_EQ(xr->name, "iPhone XR");
  EXPECT_EQ(xr->cpid, 0x8020u);
  const Model* thirteen = model_by_product_type("iPhone14,5");
  ASSERT_NE(thirteen, nullptr);
  EXPECT_EQ(thirteen->name, "iPhone 13");
  const Model* gsm7 = model_by_chip(0x8010, 0x0C);
  ASSERT_NE(gsm7, nullptr);
  EXPECT_EQ(gsm7->product_type, "iPhone9,3");
  EXPECT_EQ(gsm7->variant, "GSM");
  EXPECT_EQ(model_by_product_type("iPhone99,1"), nullptr);
  // No two rows share a chip and board id: a Recovery string names one model.
  for (const Model& a : models()) {
    for (const Model& b : models()) {
      if (&a != &b) {
        EXPECT_FALSE(a.cpid == b.cpid && a.bdid == b.bdid) << a.product_type;
      }
    }
  }
}

TEST(Identity, DfuGivesTheEcidAndNoSerialOrImei) {
  const Reading r =
      read_usb_identity(Mode::Dfu,
                        "CPID:8020 CPRV:11 CPFM:03 SCEP:01 BDID:0E ECID:001D2CD90128002E IBFL:3C "
                        "SRTG:[iBoot-3865.0.0.4.7]",
                        3);
  EXPECT_TRUE(r.problems.empty());
  const auto f = by_kind(r);
  EXPECT_EQ(f.at("x_apple_mode").value, "dfu");
  EXPECT_EQ(f.at("ecid").value, "0x001D2CD90128002E");
  EXPECT_EQ(f.at("x_apple_srtg").value, "iBoot-3865.0.0.4.7");
  EXPECT_FALSE(f.count("serial"));
  EXPECT_FALSE(f.count("imei"));
}

TEST(Identity, NormalModeGivesTheUdid) {
  const Reading r = read_usb_identity(Mode::Normal, "00008020001D2CD90128002E", 3);
  EXPECT_TRUE(r.problems.empty());
  const auto f = by_kind(r);
  EXPECT_EQ(f.at("udid").value, "00008020001D2CD90128002E");
  EXPECT_EQ(f.at("udid").method, "apple: iSerialNumber (string descriptor 3, normal mode)");
  EXPECT_FALSE(f.count("ecid"));
}

// Fail closed: a field that cannot be read is a problem of the reading, named with its text;
// the fields that could be read are still reported.
TEST(Identity, AMalformedFieldIsAProblemAndTheOthersAreKept) {
  const Reading r =
      read_usb_identity(Mode::Recovery, "CPID:8020 ECID:001D2CD9012800ZZ SRNM:[F2LXXXXXXXXX]", 3);
  const auto f = by_kind(r);
  EXPECT_FALSE(f.count("ecid"));
  EXPECT_EQ(f.at("serial").value, "F2LXXXXXXXXX");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0], "iSerialNumber field ECID (\"ECID:001D2CD9012800ZZ\"): not hexadecimal");
}

TEST(Identity, AStringThatIsNotARecoveryStringIsAProblem) {
  const Reading r = read_usb_identity(Mode::Recovery, "F2LXXXXXXXXX", 3);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].find("not a Recovery mode identity string"), std::string::npos);
  EXPECT_EQ(r.facts.size(), 1u) << "only the mode";
  EXPECT_EQ(read_usb_identity(Mode::Normal, "", 3).problems.size(), 1u);
}

TEST(DeviceMode, ProductIdsGiveTheMode) {
  EXPECT_EQ(mode_of(0x1281), Mode::Recovery);
  EXPECT_EQ(mode_of(0x1280), Mode::Recovery);
  EXPECT_EQ(mode_of(0x1283), Mode::Recovery);
  EXPECT_EQ(mode_of(0x1227), Mode::Dfu);
  EXPECT_EQ(mode_of(0x1222), Mode::Dfu);
  EXPECT_EQ(mode_of(0x12A8), Mode::Normal);
  EXPECT_EQ(mode_of(0x1290), Mode::Normal);
  EXPECT_EQ(mode_of(0x12AF), Mode::Normal);
  EXPECT_EQ(mode_of(0x12B0), Mode::Other);
  EXPECT_EQ(mode_of(0x024F), Mode::Other) << "an Apple keyboard";
  EXPECT_EQ(mode_name(Mode::Dfu), "dfu");
}

}  // namespace
}  // namespace dfx::apple
