// Samsung AT+DEVCONINFO: the field list, robustly.
#include "devconinfo.hpp"

#include <gtest/gtest.h>

namespace dfx::at {
namespace {

constexpr std::string_view kI9100 =
    "+DEVCONINFO: MN(GT-I9100);BASE(SLP);VER(I9100XWLSW/I9100OXALSW/I9100XXLS8/I9100XWLSW);"
    "HIDVER(I9100XWLSW/I9100OXALSW/I9100XXLS8/I9100XWLSW);MNC();MCC();PRD(BTU);AID();CC();"
    "OMCCODE();SN(RF1C20DFX01);IMEI(352605053141594);UN(0019A3C4D5E6F708);CON(AT,MTP);"
    "LOCK(NONE);LIMIT(FALSE);SDP(RUNTIME)";

TEST(DevConInfo, ReadsTheGalaxySIIAnswer) {
  auto r = parse_devconinfo(kI9100);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->model(), "GT-I9100");
  EXPECT_EQ(r->serial(), "RF1C20DFX01");
  EXPECT_EQ(r->imei(), "352605053141594");
  EXPECT_EQ(r->version(), "I9100XWLSW/I9100OXALSW/I9100XXLS8/I9100XWLSW");
  EXPECT_EQ(r->get("CON"), "AT,MTP");
  EXPECT_EQ(r->get("MNC"), "") << "present but empty";
  EXPECT_EQ(r->get("NOPE"), std::nullopt);
  EXPECT_EQ(r->fields.size(), 17u);
  EXPECT_EQ(r->fields.front().first, "MN");
  EXPECT_EQ(r->fields.back().first, "SDP");
}

TEST(DevConInfo, ToleratesUnknownFieldsEmptySegmentsNestingAndNoPrefix) {
  auto r = parse_devconinfo(
      " MN(SM-G900F);;BASE(SLP);PN();HVID(Data:196609,Cache:(262145));USER(OWNER); "
      "SN(R58F12ABCDE);IMEI(354123456789012);");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->model(), "SM-G900F");
  EXPECT_EQ(r->get("HVID"), "Data:196609,Cache:(262145)");
  EXPECT_EQ(r->serial(), "R58F12ABCDE");
  EXPECT_EQ(r->imei(), "354123456789012");
  EXPECT_EQ(r->version(), std::nullopt);
}

TEST(DevConInfo, FirstOfARepeatedFieldWins) {
  auto r = parse_devconinfo("IMEI(352605053141594);IMEI(000000000000000)");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->imei(), "352605053141594");
}

TEST(DevConInfo, Malformed) {
  for (std::string_view bad : {"", "+DEVCONINFO:", "MN", "MN GT-I9100", "MN(GT-I9100",
                               "MN(GT-I9100)SN(x)", "(x)", "MN((x)", "MN(x);=(y)", "OK"}) {
    auto r = parse_devconinfo(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::malformed) << bad;
    EXPECT_NE(r.error().message.find("DEVCONINFO"), std::string::npos);
  }
}

TEST(DevConInfo, Bounded) {
  std::string many;
  for (std::size_t i = 0; i <= kMaxDevConInfoFields; ++i) many += "F" + std::to_string(i) + "();";
  auto r = parse_devconinfo(many);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::too_large);
}

}  // namespace
}  // namespace dfx::at
