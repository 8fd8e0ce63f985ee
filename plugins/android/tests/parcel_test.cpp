#include "parcel.hpp"

#include <gtest/gtest.h>

#include "parcel_dump.hpp"

namespace dfx::android {
namespace {

using testing::parcel_dump;
using testing::string_reply_words;

// As printed by a real phone for IMEI 352099001761481.
constexpr const char* kImeiDump =
    "Result: Parcel(\n"
    "  0x00000000: 00000000 0000000f 00350033 00300032 '........3.5.2.0.'\n"
    "  0x00000010: 00390039 00300030 00370031 00310036 '9.9.0.0.1.7.6.1.'\n"
    "  0x00000020: 00380034 00000031                   '4.8.1...        ')\n";

TEST(Parcel, DecodesAnImeiReply) {
  auto v = parse_service_call_string(kImeiDump);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, "352099001761481");
}

TEST(Parcel, WordsOfTheDump) {
  auto w = parse_parcel_words(kImeiDump);
  ASSERT_TRUE(w);
  ASSERT_EQ(w->size(), 10u);
  EXPECT_EQ((*w)[0], 0u);
  EXPECT_EQ((*w)[1], 15u);
  EXPECT_EQ((*w)[2], 0x00350033u);
}

TEST(Parcel, ShortReplyOnOneLineWithCrLf) {
  auto v = parse_service_call_string("Result: Parcel(00000000 00000001 00000041   '....A...')\r\n");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, "A");
}

TEST(Parcel, AsciiColumnMayHoldParenthesesAndQuotes) {
  // The ASCII column is ignored, even when it looks like hex words or closes early.
  auto v = parse_service_call_string(
      "Result: Parcel(\n"
      "  0x00000000: 00000000 00000002 00290027 'deadbeef 01234567 ')'\n"
      "  0x00000010: 00000000 '....')\n");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, "')");
}

TEST(Parcel, GeneratedDumpsRoundTrip) {
  for (const std::u16string s :
       {u"", u"1", u"12", u"A0000012345678", u"990000862471854123", u"caf\u00e9 \u4e2d"}) {
    auto v = parse_service_call_string(parcel_dump(string_reply_words(0, s)));
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->size() >= s.size(), true);
  }
  auto utf = parse_service_call_string(parcel_dump(string_reply_words(0, u"caf\u00e9")));
  EXPECT_EQ(*utf, "caf\xc3\xa9");
}

TEST(Parcel, SurrogatePairsBecomeUtf8AndLoneOnesReplacement) {
  auto pair = parse_service_call_string(parcel_dump(string_reply_words(0, u"\U0001F600")));
  ASSERT_TRUE(pair);
  EXPECT_EQ(*pair, "\xF0\x9F\x98\x80");
  std::u16string lone(1, static_cast<char16_t>(0xD800));
  auto bad = parse_service_call_string(parcel_dump(string_reply_words(0, lone)));
  ASSERT_TRUE(bad);
  EXPECT_EQ(*bad, "\xEF\xBF\xBD");
}

TEST(Parcel, NullStringIsNotFound) {
  auto v = parse_service_call_string(parcel_dump(string_reply_words(0, u"", true)));
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, Errc::not_found);
}

TEST(Parcel, SecurityExceptionIsRefusedWithItsMessage) {
  auto v = parse_service_call_string(parcel_dump(
      string_reply_words(-1, u"getDeviceId: The user 2000 does not meet the requirements")));
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, Errc::refused);
  EXPECT_NE(v.error().message.find("SecurityException: getDeviceId: The user 2000"),
            std::string::npos);
}

TEST(Parcel, OtherExceptionCodesAreNamed) {
  auto v = parse_service_call_string(parcel_dump({static_cast<uint32_t>(-3)}));
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, Errc::refused);
  EXPECT_NE(v.error().message.find("IllegalArgumentException"), std::string::npos);
  EXPECT_EQ(exception_name(-77), "exception -77");
}

TEST(Parcel, ReplyHeaderIsSkipped) {
  // EX_HAS_REPLY_HEADER, header of 8 bytes (size word + one word), then the string.
  std::vector<uint32_t> w{static_cast<uint32_t>(-128), 8, 0xAAAAAAAA};
  auto s = string_reply_words(0, u"42");
  w.insert(w.end(), s.begin() + 1, s.end());
  auto v = parse_service_call_string(parcel_dump(w));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, "42");
  auto bad = parse_service_call_string(parcel_dump({static_cast<uint32_t>(-128), 3}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::malformed);
}

TEST(Parcel, TransactionErrorIsRefused) {
  auto v = parse_service_call_string("Result: Parcel(Error: 0xffffffb6 \"Not a data message\")\n");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, Errc::refused);
}

TEST(Parcel, ShellErrorsAreRefused) {
  for (const char* text :
       {"service: Service iphonesubinfo does not exist\n", "Permission Denial: not allowed\n",
        "/system/bin/sh: service: not found\n"}) {
    auto v = parse_service_call_string(text);
    ASSERT_FALSE(v) << text;
    EXPECT_EQ(v.error().code, Errc::refused) << text;
  }
}

TEST(Parcel, JunkIsMalformed) {
  EXPECT_EQ(parse_service_call_string("").error().code, Errc::malformed);
  EXPECT_EQ(parse_service_call_string("hello\n").error().code, Errc::malformed);
  EXPECT_EQ(parse_service_call_string("Result: Parcel()").error().code, Errc::malformed);
}

TEST(Parcel, LengthBeyondTheWordsIsMalformed) {
  auto v = parse_service_call_string("Result: Parcel(00000000 00000010 00350033 '........')");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, Errc::malformed);
  EXPECT_NE(v.error().message.find("16 characters"), std::string::npos);
  auto neg = parse_service_call_string("Result: Parcel(00000000 fffffff0 '........')");
  EXPECT_EQ(neg.error().code, Errc::malformed);
}

TEST(Parcel, TooManyWordsIsTooLarge) {
  std::vector<uint32_t> w(kMaxParcelWords + 4, 0);
  auto v = parse_parcel_words(parcel_dump(w));
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, Errc::too_large);
}

}  // namespace
}  // namespace dfx::android
