#include "iphonesubinfo.hpp"

#include <gtest/gtest.h>

#include "allow_list.hpp"

namespace dfx::android {
namespace {

TEST(IPhoneSubInfo, CodesPerSdkLevel) {
  EXPECT_EQ(subinfo_command(subinfo_calls_for_sdk(19).front(), 0), "service call iphonesubinfo 1");
  EXPECT_EQ(subinfo_command(subinfo_calls_for_sdk(22).front(), 0), "service call iphonesubinfo 1");
  EXPECT_EQ(subinfo_command(subinfo_calls_for_sdk(28).front(), 1),
            "service call iphonesubinfo 3 i32 1 s16 com.android.shell");
  EXPECT_EQ(subinfo_command(subinfo_calls_for_sdk(34).front(), 0),
            "service call iphonesubinfo 4 i32 0 s16 com.android.shell");
}

TEST(IPhoneSubInfo, AlternativesAreProbedAfterThePrimary) {
  const auto calls = subinfo_calls_for_sdk(33);
  ASSERT_GE(calls.size(), 2u);
  EXPECT_EQ(calls[0].code, 4);
  EXPECT_EQ(subinfo_calls_for_sdk(0).size(), 4u);  // unknown SDK: try everything
}

TEST(IPhoneSubInfo, SecondSlotOnlyWithPerSlotCalls) {
  for (const auto& c : subinfo_calls_for_slot(34, 1)) EXPECT_TRUE(c.per_slot);
  EXPECT_TRUE(subinfo_calls_for_slot(21, 1).empty());  // Android 5: one identifier only
  EXPECT_FALSE(subinfo_calls_for_slot(21, 0).empty());
}

TEST(IPhoneSubInfo, EveryCommandOfTheTableIsAllowListed) {
  for (int sdk = 0; sdk <= 40; ++sdk)
    for (int slot = 0; slot < 2; ++slot)
      for (const auto& c : subinfo_calls_for_slot(sdk, slot))
        EXPECT_TRUE(is_allowed(Channel::adb, "shell:" + subinfo_command(c, slot)))
            << subinfo_command(c, slot);
}

TEST(IPhoneSubInfo, LooksLikeDeviceId) {
  EXPECT_TRUE(looks_like_device_id("352099001761481"));
  EXPECT_TRUE(looks_like_device_id("A0000012345678"));
  EXPECT_TRUE(looks_like_device_id("270113177609606012"));
  EXPECT_FALSE(looks_like_device_id("1234567890123"));
  EXPECT_FALSE(looks_like_device_id("user@realm.example"));
  EXPECT_FALSE(looks_like_device_id("35209900176148 "));
}

TEST(IPhoneSubInfo, KindOfDeviceId) {
  EXPECT_EQ(device_id_kind("352099001761481", 0).text(), "imei");
  EXPECT_EQ(device_id_kind("352099001761481", 1).text(), "imei2");
  EXPECT_EQ(device_id_kind("A0000012345678", 0).text(), "meid");
  EXPECT_EQ(device_id_kind("270113177609606012", 0).text(), "meid");
  // 14 digits: an IMEI without its check digit.
  EXPECT_EQ(device_id_kind("35209900176148", 0).text(), "imei");
}

}  // namespace
}  // namespace dfx::android
