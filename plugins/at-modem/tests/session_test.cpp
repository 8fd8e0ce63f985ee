// The session against scripted modems: quirks it tolerates and hostile modems it bounds.
#include "session.hpp"

#include <gtest/gtest.h>

#include "fake_modem.hpp"

namespace dfx::at {
namespace {

using namespace std::chrono_literals;
using testing::FakeModem;
using testing::ModemScript;
using Hostile = ModemScript::Hostile;

ModemScript ericsson() {
  ModemScript s;
  s.dialogue["AT+CGSN"] = {"350000110246812", "OK"};
  s.dialogue["AT+CGSN=1"] = {"+CGSN: \"350000110246812\"", "OK"};
  s.dialogue["AT+CIMI"] = {"+CME ERROR: 10"};
  return s;
}

TEST(Session, EchoOnOrOffAndAnyLineEnding) {
  for (bool echo : {true, false}) {
    for (auto [start, end] :
         {std::pair{"\r\n", "\r\n"}, std::pair{"", "\r"}, std::pair{"", "\n"}}) {
      auto script = ericsson();
      script.echo = echo;
      script.line_start = start;
      script.line_end = end;
      FakeModem modem(script);
      Session session(modem);
      auto r = session.command("AT+CGSN", 2s);
      ASSERT_TRUE(r) << r.error().message;
      EXPECT_EQ(r->echoed, echo);
      EXPECT_EQ(r->lines, std::vector<std::string>{"350000110246812"});
      EXPECT_EQ(modem.received, std::vector<std::string>{"AT+CGSN"}) << "sent with CR";
    }
  }
}

TEST(Session, ErrorsAreReplies) {
  FakeModem modem(ericsson());
  SessionOptions o;
  o.imsi_opted_in = true;
  Session session(modem, o);
  auto r = session.command("AT+CIMI", 2s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->final, Final::cme_error);
  auto e = session.command("AT+DEVCONINFO", 2s);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->final, Final::error);
}

TEST(Session, UnsolicitedCodesAroundTheAnswer) {
  auto script = ericsson();
  script.unsolicited = {"^RSSI:18", "+CREG: 1", "RING"};
  FakeModem modem(script);
  Session session(modem);
  auto r = session.command("AT+CGSN=1", 2s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lines, std::vector<std::string>{"+CGSN: \"350000110246812\""});
  EXPECT_EQ(r->unsolicited.size(), 3u);
}

TEST(Session, SilentModemTimesOut) {
  auto script = ericsson();
  script.hostile = Hostile::silent;
  FakeModem modem(script);
  Session session(modem);
  auto r = session.command("AT", 300ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::timeout);
  EXPECT_NE(r.error().message.find("AT: no final result within 300 ms (nothing came back)"),
            std::string::npos)
      << r.error().message;
}

TEST(Session, EndlessOutputIsBounded) {
  auto script = ericsson();
  script.hostile = Hostile::endless;
  script.chunk = 512;
  FakeModem modem(script);
  Session session(modem);
  auto r = session.command("AT+CGSN", 60s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::too_large) << r.error().message;
  EXPECT_LT(modem.reads, 1000u) << "ended by the bound, not the time";
}

TEST(Session, EchoForeverIsAnError) {
  auto script = ericsson();
  script.hostile = Hostile::echo_forever;
  FakeModem modem(script);
  Session session(modem);
  auto r = session.command("AT", 60s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
  EXPECT_NE(r.error().message.find("echoed the command again"), std::string::npos);
}

TEST(Session, GarbageIsAnError) {
  auto script = ericsson();
  script.hostile = Hostile::garbage;
  script.echo = false;
  FakeModem modem(script);
  Session session(modem);
  auto r = session.command("AT", 60s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
}

TEST(Session, UnplugIsReported) {
  auto script = ericsson();
  script.hostile = Hostile::unplugged;
  FakeModem modem(script);
  Session session(modem);
  auto r = session.command("AT", 1s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::disconnected);
  EXPECT_NE(r.error().message.find("sending AT"), std::string::npos);
}

TEST(Session, StopsWhenTheHostSaysSo) {
  class Stopping final : public Transport {
   public:
    Status write(std::span<const uint8_t>, std::chrono::milliseconds) override {
      ++writes;
      return {};
    }
    Result<std::vector<uint8_t>> read(std::size_t, std::chrono::milliseconds) override {
      stop = true;
      return fail(Errc::timeout, "nothing");
    }
    bool should_stop() const override { return stop; }
    bool stop = false;
    int writes = 0;
  } t;
  Session session(t);
  auto r = session.command("AT", 60s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::cancelled);
  auto again = session.command("AT+CGSN", 60s);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::cancelled);
  EXPECT_EQ(t.writes, 1) << "nothing is sent once the host asked to stop";
}

}  // namespace
}  // namespace dfx::at
