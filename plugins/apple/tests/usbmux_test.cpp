// usbmux and lockdown framing: what the host sends byte for byte, and the phone's answers read as
// hostile input.
#include "usbmux.hpp"

#include <gtest/gtest.h>

namespace dfx::apple::usbmux {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(Usbmux, TheVersionRequestIsTheBytesUsbmuxdSends) {
  const Bytes packet = encode(1, Protocol::Version, version_request());
  EXPECT_EQ(packet, (Bytes{0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(Usbmux, VersionTwoHeadersCarryTheMagicAndSequenceNumbers) {
  const Bytes payload{0x07};
  const Bytes packet = encode(2, Protocol::Setup, payload, 3, 0xBEEF);
  ASSERT_EQ(packet.size(), 17u);
  EXPECT_EQ(packet[7], 17) << "the length counts the header";
  EXPECT_EQ((Bytes(packet.begin() + 8, packet.begin() + 12)), (Bytes{0xFE, 0xED, 0xFA, 0xCE}));
  const auto decoded = decode_packet(2, packet);
  ASSERT_TRUE(decoded) << decoded.status().message();
  EXPECT_EQ(decoded->header.protocol, 2u);
  EXPECT_EQ(decoded->header.tx_seq, 3);
  EXPECT_EQ(decoded->header.rx_seq, 0xBEEF);
  EXPECT_EQ(decoded->payload, payload);
}

TEST(Usbmux, HostileHeadersAreRefusedWithTheReason) {
  const auto why = [](int version, const Bytes& b) {
    auto h = decode_header(version, b);
    return h ? std::string("accepted") : h.status().message();
  };
  EXPECT_EQ(why(1, {0, 0, 0, 6, 0, 0, 0, 4}), "usbmux: packet length 4 is shorter than its header");
  EXPECT_EQ(why(1, {0, 0, 0, 6, 0xFF, 0xFF, 0xFF, 0xFF}),
            "usbmux: packet length 4294967295 is over the limit of 65552");
  EXPECT_EQ(why(2, {0, 0, 0, 6, 0, 0, 0, 16, 0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 0}),
            "usbmux: version 2 header with magic 0xDEADBEEF, not 0xFEEDFACE");
  EXPECT_EQ(why(2, {0, 0, 0, 6, 0, 0, 0, 16}), "usbmux: 8 bytes, fewer than a version 2 header");
  auto short_packet = decode_packet(1, Bytes{0, 0, 0, 6, 0, 0, 0, 12, 1, 2});
  ASSERT_FALSE(short_packet);
  EXPECT_EQ(short_packet.status().message(), "usbmux: packet of 10 bytes whose header says 12");
}

TEST(Usbmux, TheVersionAnswerIsRead) {
  const auto v = decode_version(Bytes{0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->major, 2u);
  EXPECT_FALSE(decode_version(Bytes{0, 0, 0, 2}));
}

TEST(Usbmux, TcpSegmentsRoundTripAndHostileOffsetsAreRefused) {
  Tcp syn;
  syn.source_port = 0x1234;
  syn.destination_port = kLockdownPort;
  syn.sequence = 0;
  syn.flags = kSyn;
  syn.window = 0x0200;
  const Bytes data{'h', 'i'};
  const Bytes segment = encode_tcp(syn, data);
  ASSERT_EQ(segment.size(), kTcpHeader + 2);
  EXPECT_EQ(segment[2], 0xF2) << "62078 is 0xF27E";
  EXPECT_EQ(segment[3], 0x7E);
  const auto decoded = decode_tcp(segment);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->tcp.destination_port, kLockdownPort);
  EXPECT_EQ(decoded->tcp.flags, kSyn);
  EXPECT_EQ(decoded->data_offset, kTcpHeader);
  Bytes bad = segment;
  bad[12] = 0xF0;  // 60 bytes of header in a 22-byte payload
  EXPECT_FALSE(decode_tcp(bad));
  EXPECT_FALSE(decode_tcp(Bytes(19, 0)));
}

TEST(Lockdown, FramesAreLengthPrefixedAndHugeLengthsAreRefused) {
  const Bytes plist{'<', '?', 'x'};
  EXPECT_EQ(encode_lockdown(plist), (Bytes{0, 0, 0, 3, '<', '?', 'x'}));
  EXPECT_EQ(*lockdown_length(Bytes{0, 0, 1, 0}), 256u);
  const auto huge = lockdown_length(Bytes{0xFF, 0xFF, 0xFF, 0xFF});
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.status().code(), DFX_ERR_OVERFLOW);
  EXPECT_NE(huge.status().message().find("4294967295 bytes announced"), std::string::npos);
  EXPECT_FALSE(lockdown_length(Bytes{0, 0, 0, 0}));
  EXPECT_FALSE(lockdown_length(Bytes{0, 0}));
}

}  // namespace
}  // namespace dfx::apple::usbmux
