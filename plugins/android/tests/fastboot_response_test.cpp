#include "fastboot_response.hpp"

#include <gtest/gtest.h>

namespace dfx::android::fastboot {
namespace {

Result<Response> parse(std::string_view s) {
  return parse_response({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

TEST(FastbootResponse, Kinds) {
  EXPECT_EQ(parse("OKAY").value().kind, ResponseKind::okay);
  EXPECT_EQ(parse("OKAYHT7A1JT01234").value().payload, "HT7A1JT01234");
  EXPECT_EQ(parse("FAILunknown").value().kind, ResponseKind::fail);
  EXPECT_EQ(parse("INFOversion:0.5").value().payload, "version:0.5");
  EXPECT_EQ(parse("TEXTline\nline").value().kind, ResponseKind::text);
  auto d = parse("DATA0000ff00");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->data_size, 0xff00u);
}

TEST(FastbootResponse, TrailingNulAndLineBreaksAreDropped) {
  EXPECT_EQ(parse(std::string_view("OKAYyes\0\0", 9)).value().payload, "yes");
  EXPECT_EQ(parse("OKAYno\r\n").value().payload, "no");
}

TEST(FastbootResponse, Errors) {
  EXPECT_EQ(parse("OK").error().code, Errc::malformed);
  EXPECT_EQ(parse("WHAT").error().code, Errc::malformed);
  EXPECT_EQ(parse("okay").error().code, Errc::malformed);
  EXPECT_EQ(parse("OKAYa\x01"
                  "b")
                .error()
                .code,
            Errc::malformed);
  EXPECT_EQ(parse("INFOa\nb").error().code, Errc::malformed);
  EXPECT_EQ(parse("DATA123").error().code, Errc::malformed);
  EXPECT_EQ(parse("DATA0000zz00").error().code, Errc::malformed);
  EXPECT_EQ(parse("OKAY" + std::string(253, 'x')).error().code, Errc::too_large);
  EXPECT_TRUE(parse("OKAY" + std::string(252, 'x')));
}

TEST(FastbootResponse, GetvarLines) {
  auto v = parse_getvar_line("version-bootloader:b1c1-0.4-7617406");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->name, "version-bootloader");
  EXPECT_EQ(v->value, "b1c1-0.4-7617406");
  auto b = parse_getvar_line("(bootloader) imei: 352099001761481");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->name, "imei");
  EXPECT_EQ(b->value, "352099001761481");
  auto p = parse_getvar_line("partition-size:boot: 0x0000000004000000");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "partition-size:boot");
  EXPECT_EQ(p->value, "0x0000000004000000");
  auto q = parse_getvar_line("partition-type:system:ext4");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->name, "partition-type:system");
  EXPECT_EQ(q->value, "ext4");
  auto e = parse_getvar_line("unlocked:");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->value, "");
  auto colon = parse_getvar_line("version-baseband:g5123b:102852");
  ASSERT_TRUE(colon);
  EXPECT_EQ(colon->value, "g5123b:102852");
}

TEST(FastbootResponse, GetvarJunk) {
  EXPECT_FALSE(parse_getvar_line(""));
  EXPECT_FALSE(parse_getvar_line("no separator"));
  EXPECT_FALSE(parse_getvar_line(":value"));
  EXPECT_FALSE(parse_getvar_line("two words:value"));
  EXPECT_FALSE(parse_getvar_line("a\x01:b"));
  EXPECT_FALSE(parse_getvar_line("x:" + std::string(300, 'v')));
}

}  // namespace
}  // namespace dfx::android::fastboot
