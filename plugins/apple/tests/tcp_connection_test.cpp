// The TCP-like layer: connecting, a contiguous stream, and every way a phone can break it.
#include <gtest/gtest.h>

#include "tcp_connection.hpp"

namespace {

using namespace dfx::apple::usbmux;

Tcp from_phone(uint32_t seq, uint32_t ack, uint8_t flags, uint16_t window = 512) {
  return {62078, 1, seq, ack, flags, window};
}

TcpConnection connected() {
  TcpConnection c(1, 62078);
  (void)c.syn();
  EXPECT_TRUE(c.receive(from_phone(0, 1, kSyn | kAck), {}));
  return c;
}

TEST(TcpConnection, ConnectsOnSynAck) {
  TcpConnection c(1, 62078);
  const Tcp syn = c.syn();
  EXPECT_EQ(syn.flags, kSyn);
  EXPECT_EQ(syn.sequence, 0u);
  EXPECT_EQ(c.state(), TcpConnection::State::Connecting);
  ASSERT_TRUE(c.receive(from_phone(0, 1, kSyn | kAck, 512), {}));
  EXPECT_EQ(c.state(), TcpConnection::State::Connected);
  EXPECT_EQ(c.peer_window(), 512u * 256u);
  const Tcp ack = c.ack();
  EXPECT_EQ(ack.sequence, 1u);
  EXPECT_EQ(ack.acknowledgement, 1u);
}

TEST(TcpConnection, AnRstWhileConnectingIsARefusal) {
  TcpConnection c(1, 5);
  (void)c.syn();
  auto r = c.receive({5, 1, 0, 0, kRst, 0}, {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("refused"), std::string::npos);
}

TEST(TcpConnection, DataMustFollowWithoutAGap) {
  auto c = connected();
  const std::vector<uint8_t> hello = {'h', 'i'};
  auto d = c.receive(from_phone(1, 1, kAck), hello);
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, hello);
  EXPECT_EQ(c.ack().acknowledgement, 3u);
  auto gap = c.receive(from_phone(10, 1, kAck), hello);
  ASSERT_FALSE(gap);
  EXPECT_NE(gap.status().message().find("sequence broken"), std::string::npos);
  auto again = connected();
  ASSERT_TRUE(again.receive(from_phone(1, 1, kAck), hello));
  EXPECT_FALSE(again.receive(from_phone(2, 1, kAck), hello)) << "an overlap is refused too";
}

TEST(TcpConnection, TracksWhatThePhoneAcknowledges) {
  auto c = connected();
  const Tcp d = c.data(100);
  EXPECT_EQ(d.sequence, 1u);
  EXPECT_EQ(c.unacknowledged(), 100u);
  ASSERT_TRUE(c.receive(from_phone(1, 101, kAck), {}));
  EXPECT_EQ(c.unacknowledged(), 0u);
  auto future = c.receive(from_phone(1, 500, kAck), {});
  ASSERT_FALSE(future);
  EXPECT_NE(future.status().message().find("beyond"), std::string::npos);
}

TEST(TcpConnection, AnRstOrOtherFlagsEndTheConnection) {
  auto c = connected();
  EXPECT_FALSE(c.receive(from_phone(1, 1, kAck | kFin), {}));
  auto d = connected();
  auto r = d.receive(from_phone(1, 1, kRst), {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("reset"), std::string::npos);
  EXPECT_FALSE(d.receive(from_phone(1, 1, kAck), {})) << "nothing is taken after a reset";
  auto e = connected();
  EXPECT_FALSE(e.receive({62078, 2, 1, 1, kAck, 1}, {})) << "another connection's segment";
}

}  // namespace
