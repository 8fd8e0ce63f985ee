// Control, bulk and interrupt transfers round-trip through libusb's sync and
// async APIs, and through the raw synchronous usbfs ioctls.
#include <fcntl.h>
#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <mutex>

#include <dfx/testing/libusb_test.hpp>

namespace dfx::testing::test {
namespace {

// Echo device: vendor request 0x01 IN returns wValue bytes counting up;
// vendor request 0x02 OUT stores its data; bulk OUT data comes back reversed
// on bulk IN; interrupt OUT data comes back on interrupt IN.
class EchoBehavior : public UsbBehavior {
 public:
  ControlReply on_control(DeviceSide&, const SetupPacket& s,
                          std::span<const std::uint8_t> out) override {
    if (s.request_type == 0xC0 && s.request == 0x01) {
      Bytes b(s.value);
      for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(i);
      return ControlReply::data(b);
    }
    if (s.request_type == 0x40 && s.request == 0x02) {
      std::lock_guard lock(mu);
      stored.assign(out.begin(), out.end());
      return ControlReply::ack();
    }
    return ControlReply::stall();
  }
  OutReply on_bulk_out(DeviceSide& device, std::uint8_t,
                       std::span<const std::uint8_t> data) override {
    Bytes reversed(data.rbegin(), data.rend());
    (void)device.queue_in(0x81, reversed);
    return OutReply::ack;
  }
  OutReply on_interrupt_out(DeviceSide& device, std::uint8_t,
                            std::span<const std::uint8_t> data) override {
    (void)device.queue_in(0x83, Bytes(data.begin(), data.end()));
    return OutReply::ack;
  }
  std::mutex mu;
  Bytes stored;
};

class Transfers : public KitTest {
 protected:
  void SetUp() override {
    KitTest::SetUp();
    if (HasFatalFailure()) return;
    auto b = std::make_unique<EchoBehavior>();
    echo = b.get();
    device = plug(sample_spec(), std::move(b));
    ASSERT_TRUE(device);
    h = open(sample_spec());
    ASSERT_NE(h, nullptr);
    ASSERT_EQ(libusb_claim_interface(h, 0), 0);
    ASSERT_EQ(libusb_claim_interface(h, 1), 0);
  }
  EchoBehavior* echo = nullptr;
  VirtualUsbDevice* device = nullptr;
  libusb_device_handle* h = nullptr;
};

TEST_F(Transfers, ControlSync) {
  unsigned char buf[64] = {};
  ASSERT_EQ(libusb_control_transfer(h, 0xC0, 0x01, 10, 0, buf, sizeof buf, 1000), 10);
  EXPECT_EQ(buf[9], 9);
  unsigned char out[5] = {5, 4, 3, 2, 1};
  ASSERT_EQ(libusb_control_transfer(h, 0x40, 0x02, 0, 0, out, sizeof out, 1000), 5);
  std::lock_guard lock(echo->mu);
  EXPECT_EQ(echo->stored, (Bytes{5, 4, 3, 2, 1}));
}

TEST_F(Transfers, ControlAnswerTruncatedToWLength) {
  unsigned char buf[4] = {};
  // The device has 20 bytes to say but the host asks for 4: a device sends at most wLength.
  EXPECT_EQ(libusb_control_transfer(h, 0xC0, 0x01, 20, 0, buf, sizeof buf, 1000), 4);
  // Standard requests the kit answers: GET_STATUS and GET_CONFIGURATION.
  unsigned char status[2] = {9, 9};
  EXPECT_EQ(libusb_control_transfer(h, 0x80, LIBUSB_REQUEST_GET_STATUS, 0, 0, status, 2, 1000), 2);
  EXPECT_EQ(status[0], 0);
  unsigned char config = 0;
  EXPECT_EQ(
      libusb_control_transfer(h, 0x80, LIBUSB_REQUEST_GET_CONFIGURATION, 0, 0, &config, 1, 1000),
      1);
  EXPECT_EQ(config, 1);
}

TEST_F(Transfers, ControlAsync) {
  std::vector<unsigned char> buf(LIBUSB_CONTROL_SETUP_SIZE + 16);
  libusb_fill_control_setup(buf.data(), 0xC0, 0x01, 16, 0, 16);
  libusb_transfer* t = libusb_alloc_transfer(0);
  std::atomic<bool> done{false};
  libusb_fill_control_transfer(
      t, h, buf.data(),
      [](libusb_transfer* x) { *static_cast<std::atomic<bool>*>(x->user_data) = true; }, &done,
      1000);
  ASSERT_EQ(libusb_submit_transfer(t), 0);
  ASSERT_TRUE(pump_until(usb->get(), [&] { return done.load(); }));
  EXPECT_EQ(t->status, LIBUSB_TRANSFER_COMPLETED);
  EXPECT_EQ(t->actual_length, 16);
  EXPECT_EQ(libusb_control_transfer_get_data(t)[15], 15);
  libusb_free_transfer(t);
}

TEST_F(Transfers, BulkSyncRoundTrip) {
  unsigned char out[] = {1, 2, 3, 4, 5, 6};
  int sent = 0;
  ASSERT_EQ(libusb_bulk_transfer(h, 0x01, out, sizeof out, &sent, 1000), 0);
  EXPECT_EQ(sent, 6);
  unsigned char in[512] = {};
  int got = 0;
  ASSERT_EQ(libusb_bulk_transfer(h, 0x81, in, sizeof in, &got, 1000), 0);
  ASSERT_EQ(got, 6);
  EXPECT_EQ(in[0], 6);
  EXPECT_EQ(in[5], 1);
}

TEST_F(Transfers, BulkInWaitsForQueuedData) {
  std::vector<unsigned char> in(512);
  libusb_transfer* t = libusb_alloc_transfer(0);
  std::atomic<bool> done{false};
  libusb_fill_bulk_transfer(
      t, h, 0x81, in.data(), static_cast<int>(in.size()),
      [](libusb_transfer* x) { *static_cast<std::atomic<bool>*>(x->user_data) = true; }, &done, 0);
  ASSERT_EQ(libusb_submit_transfer(t), 0);
  EXPECT_FALSE(pump_until(
      usb->get(), [&] { return done.load(); }, std::chrono::milliseconds(100)));
  EXPECT_EQ(device->device_side().waiting_in_transfers(0x81), 1u);
  ASSERT_TRUE(device->queue_in(0x81, bytes_of("hello")));
  ASSERT_TRUE(pump_until(usb->get(), [&] { return done.load(); }));
  EXPECT_EQ(t->status, LIBUSB_TRANSFER_COMPLETED);
  EXPECT_EQ(std::string(in.begin(), in.begin() + t->actual_length), "hello");
  libusb_free_transfer(t);
}

TEST_F(Transfers, QueuedMessagesArriveInOrderAndZeroLengthPacket) {
  ASSERT_TRUE(device->queue_in(0x81, bytes_of("one")));
  ASSERT_TRUE(device->queue_in(0x81, {}));
  ASSERT_TRUE(device->queue_in(0x81, bytes_of("three")));
  unsigned char in[512];
  int got = -1;
  ASSERT_EQ(libusb_bulk_transfer(h, 0x81, in, sizeof in, &got, 1000), 0);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(in), got), "one");
  ASSERT_EQ(libusb_bulk_transfer(h, 0x81, in, sizeof in, &got, 1000), 0);
  EXPECT_EQ(got, 0);
  ASSERT_EQ(libusb_bulk_transfer(h, 0x81, in, sizeof in, &got, 1000), 0);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(in), got), "three");
}

TEST_F(Transfers, PacketAlignedReadLeavesRestForNextTransfer) {
  Bytes big(1000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
  ASSERT_TRUE(device->queue_in(0x81, big));
  unsigned char in[512];
  int got = 0;
  ASSERT_EQ(libusb_bulk_transfer(h, 0x81, in, 512, &got, 1000), 0);  // a multiple of wMaxPacketSize
  EXPECT_EQ(got, 512);
  ASSERT_EQ(libusb_bulk_transfer(h, 0x81, in, 512, &got, 1000), 0);
  EXPECT_EQ(got, 488);
  EXPECT_EQ(in[0], static_cast<std::uint8_t>(512 * 7));
}

TEST_F(Transfers, LargeBulkTransfer) {
  Bytes big(1 << 20);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i ^ (i >> 8));
  ASSERT_TRUE(device->queue_in(0x81, big));
  std::vector<unsigned char> in(big.size());
  int got = 0;
  ASSERT_EQ(libusb_bulk_transfer(h, 0x81, in.data(), static_cast<int>(in.size()), &got, 5000), 0);
  ASSERT_EQ(got, static_cast<int>(big.size()));
  EXPECT_TRUE(std::equal(big.begin(), big.end(), in.begin()));
}

TEST_F(Transfers, InterruptRoundTrip) {
  unsigned char out[] = {0xAA, 0xBB};
  int n = 0;
  ASSERT_EQ(libusb_interrupt_transfer(h, 0x03, out, sizeof out, &n, 1000), 0);
  EXPECT_EQ(n, 2);
  unsigned char in[64];
  ASSERT_EQ(libusb_interrupt_transfer(h, 0x83, in, sizeof in, &n, 1000), 0);
  ASSERT_EQ(n, 2);
  EXPECT_EQ(in[1], 0xBB);
}

TEST_F(Transfers, LazyAnswerFromOnInRequested) {
  // A second device whose interrupt endpoint produces a report on demand.
  struct Lazy : UsbBehavior {
    void on_in_requested(DeviceSide& d, std::uint8_t ep, std::size_t length) override {
      (void)d.queue_in(ep, Bytes(std::min<std::size_t>(length, 8), 0x42));
    }
  };
  auto spec = sample_spec();
  spec.product_id = 0x0009;
  ASSERT_TRUE(plug(spec, std::make_unique<Lazy>()));
  auto* lazy = open(spec);
  ASSERT_NE(lazy, nullptr);
  unsigned char in[64];
  int n = 0;
  ASSERT_EQ(libusb_interrupt_transfer(lazy, 0x83, in, sizeof in, &n, 1000), 0);
  EXPECT_EQ(n, 8);
  EXPECT_EQ(in[7], 0x42);
}

TEST_F(Transfers, CancelPendingTransfer) {
  std::vector<unsigned char> in(512);
  libusb_transfer* t = libusb_alloc_transfer(0);
  std::atomic<bool> done{false};
  libusb_fill_bulk_transfer(
      t, h, 0x81, in.data(), 512,
      [](libusb_transfer* x) { *static_cast<std::atomic<bool>*>(x->user_data) = true; }, &done, 0);
  ASSERT_EQ(libusb_submit_transfer(t), 0);
  ASSERT_EQ(libusb_cancel_transfer(t), 0);
  ASSERT_TRUE(pump_until(usb->get(), [&] { return done.load(); }));
  EXPECT_EQ(t->status, LIBUSB_TRANSFER_CANCELLED);
  EXPECT_EQ(device->counters().cancelled, 1u);
  libusb_free_transfer(t);
}

TEST_F(Transfers, ClaimAndEndpointChecks) {
  EXPECT_EQ(libusb_claim_interface(h, 7), LIBUSB_ERROR_NOT_FOUND);
  EXPECT_EQ(libusb_release_interface(h, 1), 0);
  unsigned char buf[4];
  int n;
  // An endpoint the device does not have: the kernel answers ENOENT.
  EXPECT_NE(libusb_bulk_transfer(h, 0x85, buf, sizeof buf, &n, 100), 0);
  EXPECT_EQ(libusb_set_interface_alt_setting(h, 0, 0), 0);
  EXPECT_EQ(libusb_set_interface_alt_setting(h, 0, 3), LIBUSB_ERROR_NOT_FOUND);
  EXPECT_EQ(libusb_kernel_driver_active(h, 0), 0);
  EXPECT_EQ(libusb_reset_device(h), 0);
}

TEST_F(Transfers, SynchronousUsbfsIoctls) {
  // What programs that skip libusb do: the synchronous CONTROL and BULK ioctls.
  const int fd = ::open(device->devnode().c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  unsigned char desc[18] = {};
  usbdevfs_ctrltransfer c{0x80, 0x06, 0x0100, 0, sizeof desc, 1000, desc};
  EXPECT_EQ(::ioctl(fd, USBDEVFS_CONTROL, &c), 18);
  EXPECT_EQ(desc[1], 0x01);
  EXPECT_EQ(desc[8] | (desc[9] << 8), 0x1209);
  unsigned char out[] = {7, 8, 9};
  usbdevfs_bulktransfer b{0x01, sizeof out, 1000, out};
  EXPECT_EQ(::ioctl(fd, USBDEVFS_BULK, &b), 3);
  unsigned char in[16] = {};
  usbdevfs_bulktransfer r{0x81, sizeof in, 1000, in};
  EXPECT_EQ(::ioctl(fd, USBDEVFS_BULK, &r), 3);
  EXPECT_EQ(in[0], 9);
  usbdevfs_connectinfo info{};
  EXPECT_EQ(::ioctl(fd, USBDEVFS_CONNECTINFO, &info), 0);
  EXPECT_EQ(info.devnum, device->devnum());
  EXPECT_EQ(::ioctl(fd, USBDEVFS_GET_SPEED), 3);  // USB_SPEED_HIGH
  ::close(fd);
}

TEST_F(Transfers, BlockingReapWithoutLibusb) {
  // What adb's native backend does: SUBMITURB, then a blocking REAPURB.
  const int fd = ::open(device->devnode().c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  unsigned int iface = 0;
  ASSERT_EQ(::ioctl(fd, USBDEVFS_CLAIMINTERFACE, &iface), 0);
  unsigned char buf[512] = {};
  usbdevfs_urb urb{};
  urb.type = USBDEVFS_URB_TYPE_BULK;
  urb.endpoint = 0x81;
  urb.buffer = buf;
  urb.buffer_length = sizeof buf;
  ASSERT_EQ(::ioctl(fd, USBDEVFS_SUBMITURB, &urb), 0);
  void* reaped = nullptr;
  EXPECT_EQ(::ioctl(fd, USBDEVFS_REAPURB, &reaped),
            -1);  // nothing yet: EINTR instead of blocking the fd
  EXPECT_EQ(errno, EINTR);
  EXPECT_EQ(::ioctl(fd, USBDEVFS_REAPURBNDELAY, &reaped), -1);
  EXPECT_EQ(errno, EAGAIN);
  ASSERT_TRUE(device->queue_in(0x81, bytes_of("adb")));
  ASSERT_EQ(::ioctl(fd, USBDEVFS_REAPURB, &reaped), 0);
  EXPECT_EQ(reaped, &urb);
  EXPECT_EQ(urb.status, 0);
  EXPECT_EQ(urb.actual_length, 3);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), 3), "adb");
  ::close(fd);
}

}  // namespace
}  // namespace dfx::testing::test
