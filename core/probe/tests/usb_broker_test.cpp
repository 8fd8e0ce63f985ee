// The USB broker: the sandboxed plugin's USB calls performed by the worker, over a socket.
#include "probe/usb_broker.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <thread>
#include <vector>

namespace dfx::probe {
namespace {

// The worker's side of a probe, with the device replaced by a recording.
class FakeDevice final : public usb::UsbPort {
 public:
  std::vector<std::string> calls;
  std::vector<uint8_t> last_out;

  usb::UsbResult<void> claim_interface(uint8_t n) override {
    calls.push_back("claim " + std::to_string(n));
    if (n == 7)
      return tl::unexpected(usb::UsbError{DFX_ERR_DENIED, "refused: interface 7 is not declared"});
    return {};
  }
  usb::UsbResult<void> release_interface(uint8_t n) override {
    calls.push_back("release " + std::to_string(n));
    return {};
  }
  usb::UsbResult<uint32_t> control(uint8_t type, uint8_t request, uint16_t value, uint16_t index,
                                   uint8_t* data, uint16_t length, uint32_t) override {
    calls.push_back("control " + std::to_string(type) + " " + std::to_string(request) + " " +
                    std::to_string(value) + " " + std::to_string(index) + " " +
                    std::to_string(length));
    if (type & 0x80) {
      const uint8_t reply[] = {0x12, 0x01, 0x00, 0x02};
      const uint16_t n = std::min<uint16_t>(length, sizeof reply);
      std::memcpy(data, reply, n);
      return n;
    }
    last_out.assign(data, data + length);
    return length;
  }
  usb::UsbResult<uint32_t> bulk(uint8_t ep, uint8_t* data, uint32_t length, uint32_t) override {
    calls.push_back("bulk " + std::to_string(ep) + " " + std::to_string(length));
    if (ep & 0x80) {
      std::memset(data, 0xAB, length / 2);
      return length / 2;
    }
    last_out.assign(data, data + length);
    return length;
  }
  usb::UsbResult<uint32_t> interrupt(uint8_t, uint8_t*, uint32_t, uint32_t) override {
    return tl::unexpected(usb::UsbError{DFX_ERR_TIMEOUT, "interrupt transfer: timed out"});
  }
  usb::UsbResult<std::string> string_descriptor(uint8_t index, uint32_t) override {
    return "Pixel 7 #" + std::to_string(index);
  }
  usb::UsbResult<uint8_t> select_configuration(uint8_t value) override {
    calls.push_back("configure " + std::to_string(value));
    if (value == 9)
      return tl::unexpected(usb::UsbError{DFX_ERR_DENIED, "refused: configuration 9"});
    return static_cast<uint8_t>(1);  // the phone was in its first configuration
  }
};

// A broker serving `device` on a thread until the client's end closes.
struct Broker {
  Broker() {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    thread = std::thread([this] {
      std::string trace;
      while (serve_usb_request(fds[0], device, trace)) {}
      ended = true;
    });
  }
  ~Broker() {
    ::close(fds[1]);
    thread.join();
    ::close(fds[0]);
  }
  FakeDevice device;
  int fds[2] = {-1, -1};
  std::thread thread;
  bool ended = false;
};

TEST(UsbBroker, CallsReachTheDeviceAndAnswersComeBack) {
  Broker b;
  BrokeredUsb usb(b.fds[1], {});
  uint8_t in[18] = {};
  auto n = usb.control(0x80, 6, 0x0100, 0, in, sizeof in, 1000);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 4u);
  EXPECT_EQ(in[0], 0x12);
  EXPECT_EQ(in[1], 0x01);

  uint8_t out[3] = {1, 2, 3};
  auto sent = usb.bulk(0x02, out, sizeof out, 1000);
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 3u);
  EXPECT_EQ(b.device.last_out, (std::vector<uint8_t>{1, 2, 3}));

  std::vector<uint8_t> big(4096, 0);
  auto got = usb.bulk(0x81, big.data(), static_cast<uint32_t>(big.size()), 1000);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, 2048u);
  EXPECT_EQ(big[2047], 0xAB);
  EXPECT_EQ(big[2048], 0x00) << "only what was transferred is copied back";

  auto s = usb.string_descriptor(3, 1000);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, "Pixel 7 #3");
  EXPECT_TRUE(usb.claim_interface(1));
  EXPECT_TRUE(usb.release_interface(1));
  EXPECT_EQ(b.device.calls.front(), "control 128 6 256 0 18");

  auto previous = usb.select_configuration(3);
  ASSERT_TRUE(previous) << previous.error().message;
  EXPECT_EQ(*previous, 1) << "the configuration that was active comes back";
  auto refused = usb.select_configuration(9);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().status, DFX_ERR_DENIED);
  EXPECT_EQ(b.device.calls.back(), "configure 9");
  EXPECT_TRUE(usb.claim_interface(1)) << "the service goes on after a refusal";
}

TEST(UsbBroker, TheDevicesRefusalsAndErrorsArriveWithTheirStatusAndReason) {
  Broker b;
  BrokeredUsb usb(b.fds[1], {});
  auto claimed = usb.claim_interface(7);
  ASSERT_FALSE(claimed);
  EXPECT_EQ(claimed.error().status, DFX_ERR_DENIED);
  EXPECT_EQ(claimed.error().message, "refused: interface 7 is not declared");
  uint8_t buf[8];
  auto r = usb.interrupt(0x83, buf, sizeof buf, 10);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, DFX_ERR_TIMEOUT);
  // The service goes on after an error.
  EXPECT_TRUE(usb.claim_interface(0));
}

// What a hostile plugin could write on its broker socket directly.
void expect_service_ends(const void* bytes, std::size_t size) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  ASSERT_EQ(::write(fds[1], bytes, size), static_cast<ssize_t>(size));
  ::close(fds[1]);
  FakeDevice device;
  std::string trace;
  EXPECT_FALSE(serve_usb_request(fds[0], device, trace));
  EXPECT_TRUE(device.calls.empty()) << "nothing reached the device";
  ::close(fds[0]);
}

TEST(UsbBroker, AMalformedRequestEndsTheServiceWithoutReachingTheDevice) {
  const uint8_t unknown_op[16] = {99};
  expect_service_ends(unknown_op, sizeof unknown_op);
  // A bulk request of 1 GiB: over the limit, refused before any buffer is allocated.
  uint8_t huge[16] = {4, 0x81};
  const uint32_t length = 1u << 30;
  std::memcpy(huge + 8, &length, sizeof length);
  expect_service_ends(huge, sizeof huge);
  // An OUT request whose bytes never come.
  uint8_t truncated[16] = {4, 0x02};
  const uint32_t promised = 512;
  std::memcpy(truncated + 8, &promised, sizeof promised);
  expect_service_ends(truncated, sizeof truncated);
  const uint8_t half_header[7] = {3};
  expect_service_ends(half_header, sizeof half_header);
}

TEST(UsbBroker, ABrokerThatIsGoneFailsEveryCallCleanly) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  ::close(fds[0]);
  BrokeredUsb usb(fds[1], {});
  uint8_t buf[4];
  for (int i = 0; i < 2; ++i) {
    auto r = usb.control(0x80, 6, 0x0100, 0, buf, sizeof buf, 100);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().status, DFX_ERR_IO);
    EXPECT_NE(r.error().message.find("USB broker"), std::string::npos);
  }
  ::close(fds[1]);
}

}  // namespace
}  // namespace dfx::probe
