// Reply assembly: every vendor quirk the handset notes list, and the bounds.
#include "reply.hpp"

#include <gtest/gtest.h>

#include <array>

#include "values.hpp"

namespace dfx::at {
namespace {

constexpr std::array<std::string_view, 1> kCgsn{"+CGSN"};

Reply parse_ok(std::string_view command, std::string_view text) {
  auto r = parse_reply(command, kCgsn, text);
  EXPECT_TRUE(r) << r.error().message;
  return r ? *r : Reply{};
}

TEST(Reply, EchoOnVerbose) {
  const auto r = parse_ok("AT+CGSN", "AT+CGSN\r\r\n350000110246812\r\n\r\nOK\r\n");
  EXPECT_TRUE(r.echoed);
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0], "350000110246812");
}

TEST(Reply, EchoOff) {
  const auto r = parse_ok("AT+CGSN", "\r\n350000110246812\r\n\r\nOK\r\n");
  EXPECT_FALSE(r.echoed);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0], "350000110246812");
}

TEST(Reply, CarriageReturnOrLineFeedOnly) {
  for (std::string_view text : {"AT+CGSN\r350000110246812\rOK\r", "350000110246812\nOK\n",
                                "AT+CGSN\n\n350000110246812\n\nOK\n"}) {
    const auto r = parse_ok("AT+CGSN", text);
    ASSERT_EQ(r.lines.size(), 1u) << text;
    EXPECT_EQ(r.lines[0], "350000110246812");
    EXPECT_TRUE(r.ok());
  }
}

TEST(Reply, EchoIsCaseInsensitiveAndMayCarrySpaces) {
  const auto r = parse_ok("AT+CGMI", "at+cgmi  \r\r\nEricsson\r\nOK\r\n");
  EXPECT_TRUE(r.echoed);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0], "Ericsson");
}

TEST(Reply, FinalResults) {
  Final f;
  EXPECT_TRUE(is_final_result("OK", &f));
  EXPECT_EQ(f, Final::ok);
  EXPECT_TRUE(is_final_result("ERROR", &f));
  EXPECT_EQ(f, Final::error);
  EXPECT_TRUE(is_final_result("+CME ERROR: 10", &f));
  EXPECT_EQ(f, Final::cme_error);
  EXPECT_TRUE(is_final_result("+CME ERROR: SIM not inserted", &f));
  EXPECT_EQ(f, Final::cme_error);
  EXPECT_TRUE(is_final_result("+CMS ERROR: 310", &f));
  EXPECT_EQ(f, Final::cms_error);
  EXPECT_TRUE(is_final_result("COMMAND NOT SUPPORT", &f));
  EXPECT_EQ(f, Final::error);
  EXPECT_FALSE(is_final_result("OKAY", &f));
  EXPECT_FALSE(is_final_result("350000110246812", &f));
  EXPECT_FALSE(is_final_result("+CGSN: ERROR", &f));

  const auto r = parse_ok("AT+CGSN", "AT+CGSN\r\r\n+CME ERROR: 10\r\n");
  EXPECT_EQ(r.final, Final::cme_error);
  EXPECT_EQ(r.final_line, "+CME ERROR: 10");
  EXPECT_TRUE(r.lines.empty());
}

TEST(Reply, UnsolicitedCodesAreNeverTheAnswer) {
  const auto r = parse_ok("AT+CGSN",
                          "\r\n^RSSI:18\r\nAT+CGSN\r\r\n+CREG: 1,\"00C3\",\"0010\"\r\nRING\r\n"
                          "350000110246812\r\n^BOOT:1,0,0,0\r\n\r\nOK\r\n");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0], "350000110246812");
  EXPECT_EQ(r.unsolicited, (std::vector<std::string>{"^RSSI:18", "+CREG: 1,\"00C3\",\"0010\"",
                                                     "RING", "^BOOT:1,0,0,0"}));
}

TEST(Reply, PrefixedQuotedAnswers) {
  const auto r = parse_ok("AT+CGSN=1", "AT+CGSN=1\r\r\n+CGSN: \"350000110246812\"\r\n\r\nOK\r\n");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(line_value(r.lines[0], kCgsn), "350000110246812");
  EXPECT_EQ(line_value("+cgsn:350000110246812", kCgsn), "350000110246812");
  EXPECT_EQ(line_value("350000110246812", kCgsn), "350000110246812");
  EXPECT_EQ(line_value("  \"Ericsson\" ", kCgsn), "Ericsson");
}

TEST(Reply, ARepeatedEchoIsAnError) {
  auto r = parse_reply("AT", {}, "AT\rAT\rAT\rAT\r");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
  EXPECT_NE(r.error().message.find("echoed the command again"), std::string::npos);
}

TEST(Reply, NonTextBytesAreAnError) {
  auto r = parse_reply("AT", {}, std::string_view("\x01\xfe\x00garbage", 10));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
  EXPECT_NE(r.error().message.find("0x01"), std::string::npos) << r.error().message;
  // Bytes above 0x7F are text (vendor strings in UTF-8).
  EXPECT_TRUE(parse_reply("AT+CGMI", {}, "\r\nSony Ericsson \xc3\xa9\r\nOK\r\n"));
}

TEST(Reply, BoundedByBytes) {
  std::string endless = "AT+CGSN\r";
  for (int i = 0; i < 20; ++i) {
    endless.append(300, '7');  // appended, not concatenated: GCC 12 -Warray-bounds false positive
    endless += "\r\n";
  }
  auto r = parse_reply("AT+CGSN", kCgsn, endless);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::too_large);
  EXPECT_NE(r.error().message.find("4096 bytes"), std::string::npos);
}

TEST(Reply, BoundedByLines) {
  std::string many;
  for (int i = 0; i < 80; ++i) many += "^RSSI:1\r\n";
  auto r = parse_reply("AT+CGSN", kCgsn, many + "OK\r\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::too_large);
  EXPECT_NE(r.error().message.find("64 lines"), std::string::npos);
}

TEST(Reply, NoFinalResultIsAnError) {
  auto r = parse_reply("AT+CGSN", kCgsn, "350000110246812\r\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
}

TEST(Reply, FedByteByByteAndStopsAtTheFinalResult) {
  const std::string text = "AT+CGMM\r\r\nF3507g\r\n\r\nOK\r\n\r\n^RSSI:5\r\n";
  ReplyAssembler a("AT+CGMM", {}, {});
  std::size_t used = 0;
  for (char c : text) {
    auto t = a.feed(std::string_view(&c, 1));
    ASSERT_TRUE(t);
    used += *t;
    if (a.done()) break;
  }
  ASSERT_TRUE(a.done());
  EXPECT_EQ(used, text.find("OK") + 3) << "the final result's line end, nothing after it";
  EXPECT_EQ(a.reply().lines, std::vector<std::string>{"F3507g"});
  auto more = a.feed("more");
  ASSERT_TRUE(more);
  EXPECT_EQ(*more, 0u);
}

TEST(Reply, ResultCodePrefix) {
  EXPECT_EQ(result_code_prefix("+CGSN: 1"), "+CGSN");
  EXPECT_EQ(result_code_prefix("^RSSI:18"), "^RSSI");
  EXPECT_EQ(result_code_prefix("*EMRDY: 1"), "*EMRDY");
  EXPECT_EQ(result_code_prefix("+PACSP1"), "+PACSP1");
  EXPECT_EQ(result_code_prefix("350000110246812"), "");
  EXPECT_EQ(result_code_prefix("+"), "");
}

}  // namespace
}  // namespace dfx::at
