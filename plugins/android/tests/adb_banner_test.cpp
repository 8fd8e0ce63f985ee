#include "adb_banner.hpp"

#include <gtest/gtest.h>

namespace dfx::android::adb {
namespace {

TEST(AdbBanner, ParsesDeviceBanner) {
  auto b = parse_banner(std::string_view(
      "device::ro.product.name=panther;ro.product.model=Pixel 7;ro.product.device=panther;"
      "features=shell_v2,cmd,stat_v2\0",
      111));
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->state, DeviceState::device);
  EXPECT_EQ(b->state_text, "device");
  EXPECT_EQ(b->serial, "");
  EXPECT_EQ(b->property("ro.product.model"), "Pixel 7");
  EXPECT_EQ(b->property("ro.product.device"), "panther");
  EXPECT_FALSE(b->property("features"));
  ASSERT_EQ(b->features.size(), 3u);
  EXPECT_EQ(b->features[0], "shell_v2");
}

TEST(AdbBanner, ClassifiesEveryState) {
  const std::pair<const char*, DeviceState> cases[] = {{"device", DeviceState::device},
                                                       {"recovery", DeviceState::recovery},
                                                       {"sideload", DeviceState::sideload},
                                                       {"rescue", DeviceState::rescue},
                                                       {"bootloader", DeviceState::bootloader},
                                                       {"host", DeviceState::host},
                                                       {"unauthorized", DeviceState::unauthorized},
                                                       {"weird", DeviceState::other}};
  for (const auto& [text, state] : cases) {
    auto b = parse_banner(std::string(text) + "::");
    ASSERT_TRUE(b) << text;
    EXPECT_EQ(b->state, state) << text;
    EXPECT_EQ(b->state_text, text);
  }
}

TEST(AdbBanner, KeepsTheSerialField) {
  auto b = parse_banner("device:ABC123:ro.product.model=X");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->serial, "ABC123");
  EXPECT_EQ(b->property("ro.product.model"), "X");
  auto old = parse_banner("bootloader:XYZ");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->serial, "XYZ");
}

TEST(AdbBanner, SkipsJunkEntries) {
  std::string banner = "device::;;=novalue;noequals;ok=1;bad\x01key=2;v=ctl\x02;";
  banner += "ro.product.model=Pixel";
  auto b = parse_banner(banner);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->property("ok"), "1");
  EXPECT_EQ(b->property("ro.product.model"), "Pixel");
  EXPECT_EQ(b->skipped, 4u);
  EXPECT_EQ(b->properties.size(), 2u);
}

TEST(AdbBanner, RefusesWhatIsNotABanner) {
  EXPECT_EQ(parse_banner("").error().code, Errc::malformed);
  EXPECT_EQ(parse_banner(std::string_view("\0\0", 2)).error().code, Errc::malformed);
  EXPECT_EQ(parse_banner("no colon at all").error().code, Errc::malformed);
  EXPECT_EQ(parse_banner(":serial:").error().code, Errc::malformed);
  EXPECT_EQ(parse_banner("dev\x01ice::").error().code, Errc::malformed);
}

TEST(AdbBanner, BoundsInputAndCounts) {
  std::string huge = "device::" + std::string(70 * 1024, 'a');
  EXPECT_EQ(parse_banner(huge).error().code, Errc::too_large);
  std::string many = "device::";
  for (int i = 0; i < 100; ++i) many += "k" + std::to_string(i) + "=v;";
  many += "features=" + std::string(300 * 2, ',') + "a";
  auto b = parse_banner(many);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->properties.size(), 64u);
  EXPECT_EQ(b->skipped, 36u);
  std::string long_value = "device::k=" + std::string(2000, 'v') + ";m=ok";
  auto lv = parse_banner(long_value);
  ASSERT_TRUE(lv);
  EXPECT_FALSE(lv->property("k"));
  EXPECT_EQ(lv->property("m"), "ok");
}

}  // namespace
}  // namespace dfx::android::adb
