#include "lab/hotplug_script.hpp"

#include <gtest/gtest.h>

namespace dfx::lab {
namespace {

TEST(HotplugScript, ParsesTimesActionsAndCommentsInTimeOrder) {
  auto s = parse_hotplug_script(
      "# header\n1.5s unplug a  # later\n\n250ms plug b\n0 unplug c\n250ms unplug b\n", "x");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->size(), 4u);
  EXPECT_EQ((*s)[0].handset, "c");
  EXPECT_EQ((*s)[1].at.count(), 250);
  EXPECT_TRUE((*s)[1].plug);
  EXPECT_FALSE((*s)[2].plug) << "ties keep file order";
  EXPECT_EQ((*s)[2].line, 6);
  EXPECT_EQ((*s)[3].at.count(), 1500);
}

TEST(HotplugScript, ErrorsNameTheLine) {
  EXPECT_EQ(parse_hotplug_script("1s plug\n", "f").error().message,
            "f:1: expected \"TIME plug|unplug HANDSET\"");
  EXPECT_EQ(parse_hotplug_script("\n5 plug a\n", "f").error().message,
            "f:2: time \"5\" needs a unit, e.g. 250ms or 1.5s");
  EXPECT_EQ(parse_hotplug_script("-1s plug a\n", "f").error().message,
            "f:1: time \"-1s\" is not a non-negative number");
  EXPECT_EQ(parse_hotplug_script("1s yank a\n", "f").error().message,
            "f:1: unknown action \"yank\" (plug or unplug)");
  EXPECT_EQ(parse_hotplug_script("1s plug a b\n", "f").error().message,
            "f:1: unexpected \"b\" after the handset id");
}

}  // namespace
}  // namespace dfx::lab
