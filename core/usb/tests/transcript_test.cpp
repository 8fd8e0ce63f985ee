#include "usb/transcript.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <deque>

#include "usb/recording_port.hpp"
#include "usb/replay_port.hpp"

namespace dfx::usb {
namespace {

// A device that answers every IN with "ID:<n>" and accepts every OUT, refuses interface 9 like
// the session's policy would, and fails endpoint 0x85 with a timeout.
class FakeDevice final : public UsbPort {
 public:
  UsbResult<void> claim_interface(uint8_t n) override {
    if (n == 9) return tl::unexpected(UsbError{DFX_ERR_DENIED, "refused: interface 9"});
    return {};
  }
  UsbResult<void> release_interface(uint8_t) override { return {}; }
  UsbResult<uint32_t> control(uint8_t type, uint8_t, uint16_t, uint16_t, uint8_t* data,
                              uint16_t length, uint32_t) override {
    return answer(type, data, length);
  }
  UsbResult<uint32_t> bulk(uint8_t ep, uint8_t* data, uint32_t length, uint32_t) override {
    if (ep == 0x85) return tl::unexpected(UsbError{DFX_ERR_TIMEOUT, "no answer in 100 ms"});
    return answer(ep, data, length);
  }
  UsbResult<uint32_t> interrupt(uint8_t ep, uint8_t* data, uint32_t length, uint32_t) override {
    return answer(ep, data, length);
  }
  UsbResult<std::string> string_descriptor(uint8_t index, uint32_t) override {
    return "string " + std::to_string(index);
  }
  UsbResult<uint8_t> select_configuration(uint8_t) override { return uint8_t{1}; }
  int calls = 0;

 private:
  UsbResult<uint32_t> answer(uint8_t address, uint8_t* data, uint32_t length) {
    ++calls;
    if ((address & 0x80) == 0) return length;
    const std::string reply = "ID:" + std::to_string(calls);
    const auto n = std::min<std::size_t>(reply.size(), length);
    std::memcpy(data, reply.data(), n);
    return static_cast<uint32_t>(n);
  }
};

// One reading's worth of calls, as a plugin would make them.
void read_like_a_plugin(UsbPort& port, const std::string& command = "shell:getprop") {
  uint8_t buf[64];
  ASSERT_TRUE(port.control(0x80, 0x06, 0x0100, 0, buf, 18, 1000));
  ASSERT_TRUE(port.claim_interface(0));
  EXPECT_FALSE(port.claim_interface(9));
  std::string out = command;
  ASSERT_TRUE(port.bulk(0x01, reinterpret_cast<uint8_t*>(out.data()),
                        static_cast<uint32_t>(out.size()), 1000));
  ASSERT_TRUE(port.bulk(0x81, buf, sizeof buf, 1000));
  EXPECT_FALSE(port.bulk(0x85, buf, sizeof buf, 100));
  auto s = port.string_descriptor(3, 1000);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, "string 3");
  ASSERT_TRUE(port.select_configuration(2));
  ASSERT_TRUE(port.release_interface(0));
}

Transcript record(const std::string& command = "shell:getprop") {
  FakeDevice device;
  Transcript t;
  t.header = {{"dfx_transcript", 1}, {"plugin", {{"id", "fake"}}}};
  RecordingPort port(device, t);
  read_like_a_plugin(port, command);
  return t;
}

TEST(Transcript, RecordsEveryCallInOrderWithItsAnswer) {
  const Transcript t = record();
  ASSERT_EQ(t.exchanges.size(), 9u);
  EXPECT_EQ(t.exchanges[0].op, UsbOp::control);
  EXPECT_EQ(t.exchanges[0].in, "ID:1");
  EXPECT_EQ(t.exchanges[3].out, "shell:getprop");
  EXPECT_EQ(t.exchanges[4].in, "ID:3");
  EXPECT_EQ(t.exchanges[5].status, DFX_ERR_TIMEOUT);
  EXPECT_EQ(t.exchanges[5].message, "no answer in 100 ms");
  EXPECT_EQ(t.exchanges[6].text, "string 3");
  EXPECT_EQ(t.exchanges[7].previous, 1);
  // The refused claim is recorded, and recorded as never having reached the device.
  EXPECT_EQ(t.exchanges[2].status, DFX_ERR_DENIED);
  EXPECT_FALSE(t.exchanges[2].reached_device());
  EXPECT_EQ(t.reached_device(), 8u);
  EXPECT_EQ(t.refused(), 1u);
  for (std::size_t i = 0; i < t.exchanges.size(); ++i) EXPECT_EQ(t.exchanges[i].n, i);
}

TEST(Transcript, RoundTripsThroughItsJsonLines) {
  const Transcript t = record();
  const std::string text = to_jsonl(t);
  auto back = parse_transcript(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(to_jsonl(*back), text);
  EXPECT_FALSE(first_request_difference(t, *back));
  EXPECT_EQ(back->header["plugin"]["id"], "fake");
}

TEST(Transcript, RefusesWhatItDidNotWrite) {
  const std::string good = to_jsonl(record());
  const auto lines = [&] {
    std::vector<std::string> v;
    std::size_t p = 0;
    while (p < good.size()) {
      const auto e = good.find('\n', p);
      v.push_back(good.substr(p, e - p + 1));
      p = e + 1;
    }
    return v;
  }();
  const auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& l : v) s += l;
    return s;
  };
  auto dropped = lines;
  dropped.erase(dropped.begin() + 3);
  auto no_end = lines;
  no_end.pop_back();
  auto swapped = lines;
  std::swap(swapped[2], swapped[3]);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "empty"},
      {good.substr(0, good.size() - 1), "no end"},
      {join(dropped), "exchange 3 where 2 was expected"},
      {join(swapped), "exchange 2 where 1 was expected"},
      {join(no_end), "no end line"},
      {good + "{}\n", "after the end"},
      {"{\"dfx_transcript\":2}\n", "not a dfx transcript"},
      {lines[0] + "{\"n\":0,\"op\":\"reset\",\"status\":\"ok\"}\n", "unknown op"},
      {lines[0] + "{\"n\":0,\"op\":\"bulk\",\"endpoint\":1,\"length\":2,\"out\":\"ZZ\","
                  "\"status\":\"ok\",\"reached_device\":true}\n",
       "hex"},
      {lines[0] + "{\"n\":0,\"op\":\"bulk\",\"endpoint\":129,\"length\":1,\"in\":\"0102\","
                  "\"status\":\"ok\",\"reached_device\":true}\n",
       "more bytes than"},
      {lines[0] + "{\"n\":0,\"op\":\"claim\",\"interface\":0,\"status\":\"denied\","
                  "\"reached_device\":true}\n",
       "disagrees with the status"},
      {lines[0] + "{\"n\":0,\"op\":\"claim\",\"interface\":300,\"status\":\"ok\","
                  "\"reached_device\":true}\n",
       "\"interface\""},
  };
  for (const auto& [text, why] : bad) {
    auto t = parse_transcript(text);
    ASSERT_FALSE(t) << why;
    EXPECT_NE(t.error().message.find(why), std::string::npos) << t.error().message;
  }
  EXPECT_FALSE(parse_transcript(good, 100)) << "over the size limit";
}

TEST(Transcript, ReplayGivesThePluginTheRecordedAnswers) {
  const Transcript t = record();
  ReplayPort replay(t);
  Transcript again;
  RecordingPort port(replay, again);
  read_like_a_plugin(port);
  EXPECT_FALSE(replay.departure());
  EXPECT_EQ(replay.answered(), t.exchanges.size());
  EXPECT_FALSE(first_request_difference(t, again));
  // Same answers, byte for byte, the timeout and the refusal included.
  ASSERT_EQ(again.exchanges.size(), t.exchanges.size());
  for (std::size_t i = 0; i < t.exchanges.size(); ++i) {
    EXPECT_EQ(again.exchanges[i].in, t.exchanges[i].in) << i;
    EXPECT_EQ(again.exchanges[i].status, t.exchanges[i].status) << i;
    EXPECT_EQ(again.exchanges[i].text, t.exchanges[i].text) << i;
  }
}

TEST(Transcript, AReplayThatAsksSomethingElseIsNamedAndStopped) {
  const Transcript t = record("shell:getprop");
  ReplayPort replay(t);
  Transcript again;
  RecordingPort port(replay, again);
  uint8_t buf[64];
  ASSERT_TRUE(port.control(0x80, 0x06, 0x0100, 0, buf, 18, 1000));
  ASSERT_TRUE(port.claim_interface(0));
  EXPECT_FALSE(port.claim_interface(9));
  std::string out = "shell:reboot";
  auto r = port.bulk(0x01, reinterpret_cast<uint8_t*>(out.data()), 12, 1000);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, DFX_ERR_IO);
  ASSERT_TRUE(replay.departure());
  EXPECT_NE(replay.departure()->find("exchange 3"), std::string::npos) << *replay.departure();
  // Once off the transcript, nothing more is answered.
  EXPECT_FALSE(port.string_descriptor(3, 1000));
  const auto diff = first_request_difference(t, again);
  ASSERT_TRUE(diff);
  EXPECT_NE(diff->find("exchange 3"), std::string::npos) << *diff;
  EXPECT_NE(diff->find("bulk OUT 0x01"), std::string::npos) << *diff;
}

TEST(Transcript, DifferencesInBytesAndCountsAreNamed) {
  const Transcript a = record("shell:getprop");
  Transcript b = record("shell:getprob");
  auto diff = first_request_difference(a, b);
  ASSERT_TRUE(diff);
  EXPECT_NE(diff->find("differ from byte 12"), std::string::npos) << *diff;
  b = a;
  b.exchanges.pop_back();
  diff = first_request_difference(a, b);
  ASSERT_TRUE(diff);
  EXPECT_NE(diff->find("asked nothing more"), std::string::npos) << *diff;
  diff = first_request_difference(b, a);
  ASSERT_TRUE(diff);
  EXPECT_NE(diff->find("past the transcript's end"), std::string::npos) << *diff;
}

TEST(Transcript, RecordingStopsKeepingBytesAtItsLimitButCountsEverything) {
  FakeDevice device;
  Transcript t;
  RecordingPort port(device, t, 2000);
  std::vector<uint8_t> big(600, 0x41);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(port.bulk(0x01, big.data(), 600, 1000));
  EXPECT_TRUE(t.truncated);
  EXPECT_EQ(t.exchanges.size() + t.dropped, 5u);
  EXPECT_LT(t.exchanges.size(), 5u);
  auto back = parse_transcript(to_jsonl(t));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back->truncated);
  EXPECT_EQ(back->dropped, t.dropped);
  // A truncated transcript answers what it kept, then says it was truncated.
  ReplayPort replay(*back);
  for (std::size_t i = 0; i < back->exchanges.size(); ++i)
    ASSERT_TRUE(replay.bulk(0x01, big.data(), 600, 1000));
  EXPECT_FALSE(replay.bulk(0x01, big.data(), 600, 1000));
  EXPECT_NE(replay.departure()->find("truncated"), std::string::npos);
}

}  // namespace
}  // namespace dfx::usb
