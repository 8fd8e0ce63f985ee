#include "getprop.hpp"

#include <gtest/gtest.h>

namespace dfx::android {
namespace {

TEST(Getprop, ValueWithoutLineBreak) {
  EXPECT_EQ(*parse_getprop_value("Pixel 7\n"), "Pixel 7");
  EXPECT_EQ(*parse_getprop_value("34\r\n"), "34");
  EXPECT_EQ(*parse_getprop_value("google/panther/panther:14/UQ1A/11:user/release-keys"),
            "google/panther/panther:14/UQ1A/11:user/release-keys");
}

TEST(Getprop, EmptyIsNotFound) {
  EXPECT_EQ(parse_getprop_value("").error().code, Errc::not_found);
  EXPECT_EQ(parse_getprop_value("\n").error().code, Errc::not_found);
}

TEST(Getprop, SeveralLinesOrControlsAreMalformed) {
  EXPECT_EQ(parse_getprop_value("a\nb\n").error().code, Errc::malformed);
  EXPECT_EQ(parse_getprop_value("a\x01"
                                "b")
                .error()
                .code,
            Errc::malformed);
}

TEST(Getprop, OverlongIsTooLarge) {
  EXPECT_EQ(parse_getprop_value(std::string(kMaxPropertyValue + 1, 'a')).error().code,
            Errc::too_large);
}

TEST(Getprop, Listing) {
  auto l = parse_getprop_listing(
      "[ro.build.version.sdk]: [34]\n"
      "[ro.product.model]: [Pixel 7]\r\n"
      "junk line\n"
      "[empty]: []\n"
      "[brackets]: [a]: [b]]\n"
      "\n"
      "[]: [noname]\n");
  ASSERT_EQ(l.entries.size(), 4u);
  EXPECT_EQ(l.entries[0].first, "ro.build.version.sdk");
  EXPECT_EQ(l.entries[0].second, "34");
  EXPECT_EQ(l.entries[1].second, "Pixel 7");
  EXPECT_EQ(l.entries[2].second, "");
  EXPECT_EQ(l.entries[3].first, "brackets");
  EXPECT_EQ(l.entries[3].second, "a]: [b]");
  EXPECT_EQ(l.skipped, 2u);
}

TEST(Getprop, ListingIsBounded) {
  std::string many;
  for (int i = 0; i < 20; ++i) many += "[k" + std::to_string(i) + "]: [v]\n";
  auto l = parse_getprop_listing(many, 5);
  EXPECT_EQ(l.entries.size(), 5u);
  EXPECT_EQ(l.skipped, 15u);
}

}  // namespace
}  // namespace dfx::android
