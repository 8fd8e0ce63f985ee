// The usbmux session against a scripted phone: version negotiation, SETUP, connecting to
// lockdownd, a contiguous stream; and a phone that never answers or announces 4 GiB.
#include <gtest/gtest.h>

#include <deque>

#include "lockdown_reader.hpp"
#include "mux_session.hpp"

namespace {

using namespace dfx::apple;
using namespace std::chrono_literals;
using dfx::sdk::Status;

// A phone scripted per host packet: each packet the host writes is recorded, and `answer` may
// queue what the phone sends back.
class ScriptedPhone final : public Link {
 public:
  std::vector<std::vector<uint8_t>> written;
  std::deque<std::vector<uint8_t>> pending;
  std::function<void(ScriptedPhone&, const std::vector<uint8_t>&)> answer;

  Status write(std::span<const uint8_t> packet) override {
    written.emplace_back(packet.begin(), packet.end());
    if (answer) answer(*this, written.back());
    return Status::ok();
  }
  dfx::sdk::Result<std::vector<uint8_t>> read(std::chrono::milliseconds) override {
    if (pending.empty()) return Status::error(DFX_ERR_TIMEOUT, "nothing");
    auto b = std::move(pending.front());
    pending.pop_front();
    return b;
  }
};

// The phone side of the happy path: VERSION 2, SYN|ACK, and `stream` sent in two segments after
// the host's first data.
void phone_v2(ScriptedPhone& p, const std::vector<uint8_t>& packet, std::vector<uint8_t> stream,
              uint32_t second_segment_seq_skew = 0) {
  const auto proto = packet[3];
  if (proto == 0) {  // VERSION, v1 header
    const std::vector<uint8_t> v = {0, 0, 0, 2, 0, 0, 0, 0};
    p.pending.push_back(usbmux::encode(1, usbmux::Protocol::Version, v));
    return;
  }
  if (proto != 6) return;
  auto seg = usbmux::decode_tcp(std::span<const uint8_t>(packet).subspan(16));
  ASSERT_TRUE(seg);
  const auto& t = seg->tcp;
  const std::size_t data = packet.size() - 16 - seg->data_offset;
  if (t.flags == usbmux::kSyn) {
    p.pending.push_back(usbmux::encode(2, usbmux::Protocol::Tcp,
                                       usbmux::encode_tcp({t.destination_port, t.source_port, 0, 1,
                                                           usbmux::kSyn | usbmux::kAck, 512})));
  } else if (data > 0) {
    const std::size_t half = stream.size() / 2;
    const std::span<const uint8_t> all(stream);
    p.pending.push_back(usbmux::encode(
        2, usbmux::Protocol::Tcp,
        usbmux::encode_tcp(
            {62078, t.source_port, 1, t.sequence + static_cast<uint32_t>(data), usbmux::kAck, 512},
            all.first(half))));
    p.pending.push_back(usbmux::encode(
        2, usbmux::Protocol::Tcp,
        usbmux::encode_tcp(
            {62078, t.source_port, 1 + static_cast<uint32_t>(half) + second_segment_seq_skew,
             t.sequence + static_cast<uint32_t>(data), usbmux::kAck, 512},
            all.subspan(half))));
  }
}

TEST(MuxSession, NegotiatesVersionTwoAndSetsUp) {
  ScriptedPhone phone;
  phone.answer = [](ScriptedPhone& p, const std::vector<uint8_t>& pk) { phone_v2(p, pk, {}); };
  MuxSession s(phone, std::chrono::steady_clock::now() + 2s);
  ASSERT_TRUE(s.start());
  EXPECT_EQ(s.version(), 2);
  ASSERT_EQ(phone.written.size(), 2u);
  EXPECT_EQ(phone.written[0].size(), 8u + 12u) << "VERSION in a version 1 header";
  const auto setup = usbmux::decode_packet(2, phone.written[1]);
  ASSERT_TRUE(setup);
  EXPECT_EQ(setup->header.protocol, 2u);
  EXPECT_EQ(setup->header.tx_seq, 0);
  EXPECT_EQ(setup->header.rx_seq, 0xFFFF);
  EXPECT_EQ(setup->payload, std::vector<uint8_t>{0x07});
}

TEST(MuxSession, CarriesAStreamAcrossSegments) {
  const std::vector<uint8_t> answer = {'a', 'b', 'c', 'd', 'e', 'f'};
  ScriptedPhone phone;
  phone.answer = [&](ScriptedPhone& p, const std::vector<uint8_t>& pk) { phone_v2(p, pk, answer); };
  MuxSession s(phone, std::chrono::steady_clock::now() + 2s);
  ASSERT_TRUE(s.start());
  ASSERT_TRUE(s.connect(usbmux::kLockdownPort));
  const std::vector<uint8_t> hello = {1, 2, 3};
  ASSERT_TRUE(s.send(hello));
  std::vector<uint8_t> got;
  ASSERT_TRUE(s.receive_exact(6, got));
  EXPECT_EQ(got, answer);
  const auto last = usbmux::decode_packet(2, phone.written.back());
  ASSERT_TRUE(last);
  auto ack = usbmux::decode_tcp(last->payload);
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->tcp.acknowledgement, 7u) << "every byte received is acknowledged";
}

TEST(MuxSession, ABrokenSequenceEndsTheReading) {
  ScriptedPhone phone;
  phone.answer = [](ScriptedPhone& p, const std::vector<uint8_t>& pk) {
    phone_v2(p, pk, {1, 2, 3, 4}, /*skew=*/100);
  };
  MuxSession s(phone, std::chrono::steady_clock::now() + 2s);
  ASSERT_TRUE(s.start());
  ASSERT_TRUE(s.connect(usbmux::kLockdownPort));
  ASSERT_TRUE(s.send(std::vector<uint8_t>{9}));
  std::vector<uint8_t> got;
  auto st = s.receive_exact(4, got);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("sequence broken"), std::string::npos) << st.message();
}

TEST(MuxSession, APhoneThatNeverAnswersTimesOutAtTheDeadline) {
  ScriptedPhone phone;  // answers nothing
  const auto start = std::chrono::steady_clock::now();
  MuxSession s(phone, start + 200ms);
  auto st = s.start();
  ASSERT_FALSE(st);
  EXPECT_EQ(st.code(), DFX_ERR_TIMEOUT);
  EXPECT_NE(st.message().find("VERSION"), std::string::npos);
}

TEST(MuxSession, AnOversizedUsbmuxPacketIsRefused) {
  ScriptedPhone phone;
  phone.answer = [](ScriptedPhone& p, const std::vector<uint8_t>&) {
    p.pending.push_back({0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF});  // v1 header, 4 GiB
  };
  MuxSession s(phone, std::chrono::steady_clock::now() + 2s);
  auto st = s.start();
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("over the limit"), std::string::npos) << st.message();
}

TEST(LockdownReader, AFourGibibyteLockdownFrameIsRefusedBeforeReadingIt) {
  // The lockdown answer announces 0xFFFFFFFF bytes: the reader refuses at the length prefix.
  ScriptedPhone phone;
  phone.answer = [](ScriptedPhone& p, const std::vector<uint8_t>& pk) {
    phone_v2(p, pk, {0xFF, 0xFF, 0xFF, 0xFF});
  };
  MuxSession s(phone, std::chrono::steady_clock::now() + 2s);
  ASSERT_TRUE(s.start());
  ASSERT_TRUE(s.connect(usbmux::kLockdownPort));
  LockdownInput in;
  in.usb_udid = "00008020001D2CD90128002E";
  const Reading r = read_lockdown(s, in);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].find("QueryType"), std::string::npos) << r.problems[0];
  EXPECT_TRUE(r.facts.empty());
}

// The lockdown framing of `xml`: its 4-byte big-endian length, then the plist.
std::vector<uint8_t> framed(const std::string& xml) {
  std::vector<uint8_t> out = {
      static_cast<uint8_t>(xml.size() >> 24), static_cast<uint8_t>(xml.size() >> 16),
      static_cast<uint8_t>(xml.size() >> 8), static_cast<uint8_t>(xml.size())};
  out.insert(out.end(), xml.begin(), xml.end());
  return out;
}

Reading read_with_udid(const std::string& udid) {
  std::vector<uint8_t> stream = framed(
      "<plist version=\"1.0\"><dict><key>Request</key><string>QueryType</string><key>Type</key>"
      "<string>com.apple.mobile.lockdown</string></dict></plist>");
  const auto values = framed(
      "<plist version=\"1.0\"><dict><key>Request</key><string>GetValue</string><key>Value</key>"
      "<dict><key>UniqueDeviceID</key><string>" +
      udid +
      "</string><key>UniqueChipID</key><integer>8212084863533102</integer></dict></dict>"
      "</plist>");
  stream.insert(stream.end(), values.begin(), values.end());
  ScriptedPhone phone;
  phone.answer = [&](ScriptedPhone& p, const std::vector<uint8_t>& pk) { phone_v2(p, pk, stream); };
  MuxSession s(phone, std::chrono::steady_clock::now() + 2s);
  EXPECT_TRUE(s.start());
  EXPECT_TRUE(s.connect(usbmux::kLockdownPort));
  LockdownInput in;
  in.usb_udid = "00008020001D2CD90128002E";
  return read_lockdown(s, in);
}

TEST(LockdownReader, TheUdidMustBeTheOneOnTheUsbDescriptor) {
  const Reading ok = read_with_udid("00008020-001D2CD90128002E");
  EXPECT_TRUE(ok.problems.empty()) << ok.problems.front();
  EXPECT_FALSE(ok.findings.empty()) << "unpaired: the withheld identifiers are a finding";
  for (const char* other :
       {"00008020-001D2CD90128002F", "000080-20001D2CD90128002E", "0000802-0001D2CD90128002E"}) {
    const Reading bad = read_with_udid(other);
    ASSERT_FALSE(bad.problems.empty()) << other << " (regression from fuzz_lockdown_session)";
    EXPECT_NE(bad.problems.front().find("differs from the USB iSerialNumber"), std::string::npos)
        << bad.problems.front();
  }
  const Reading wrong_ecid = read_with_udid("00008020-001D2CD901280000");
  EXPECT_FALSE(wrong_ecid.problems.empty());
}

}  // namespace
