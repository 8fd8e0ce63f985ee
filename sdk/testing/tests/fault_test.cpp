// Each injected fault looks to libusb like the same fault of a real device
// would through the kernel.
#include <atomic>
#include <future>
#include <stdexcept>

#include <dfx/testing/libusb_test.hpp>

namespace dfx::testing::test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class Faults : public KitTest {
 protected:
  void SetUp() override {
    KitTest::SetUp();
    if (HasFatalFailure()) return;
    device = plug(sample_spec());
    ASSERT_TRUE(device);
    h = open(sample_spec());
    ASSERT_NE(h, nullptr);
    ASSERT_EQ(libusb_claim_interface(h, 0), 0);
  }
  int read_bulk(int length, int* got, unsigned timeout_ms = 1000) {
    buffer.assign(static_cast<std::size_t>(std::max(length, 1)), 0);
    return libusb_bulk_transfer(h, 0x81, buffer.data(), length, got, timeout_ms);
  }
  VirtualUsbDevice* device = nullptr;
  libusb_device_handle* h = nullptr;
  std::vector<unsigned char> buffer;
};

TEST_F(Faults, StalledControlRequestIsPipeError) {
  device->inject(Fault::stall_control({.request_type = 0x80, .request = 0x06}));
  unsigned char buf[18];
  EXPECT_EQ(libusb_control_transfer(h, 0x80, 0x06, 0x0100, 0, buf, sizeof buf, 1000),
            LIBUSB_ERROR_PIPE);
  // A protocol stall lasts one request.
  EXPECT_EQ(libusb_control_transfer(h, 0x80, 0x06, 0x0100, 0, buf, sizeof buf, 1000), 18);
  // Unknown requests stall by default.
  EXPECT_EQ(libusb_control_transfer(h, 0xC0, 0x33, 0, 0, buf, 4, 1000), LIBUSB_ERROR_PIPE);
}

TEST_F(Faults, StalledBulkEndpointStaysHaltedUntilCleared) {
  device->inject(Fault::stall(0x81));
  int got = 0;
  EXPECT_EQ(read_bulk(512, &got), LIBUSB_ERROR_PIPE);
  ASSERT_TRUE(device->queue_in(0x81, bytes_of("after")));
  EXPECT_EQ(read_bulk(512, &got), LIBUSB_ERROR_PIPE);  // still halted
  ASSERT_EQ(libusb_clear_halt(h, 0x81), 0);
  ASSERT_EQ(read_bulk(512, &got), 0);
  EXPECT_EQ(got, 5);
}

TEST_F(Faults, BehaviorCanStallOutData) {
  struct Refuse : UsbBehavior {
    OutReply on_bulk_out(DeviceSide&, std::uint8_t, std::span<const std::uint8_t>) override {
      return OutReply::stall;
    }
  };
  auto spec = sample_spec();
  spec.product_id = 0x0005;
  ASSERT_TRUE(plug(spec, std::make_unique<Refuse>()));
  auto* r = open(spec);
  ASSERT_NE(r, nullptr);
  unsigned char out[4] = {};
  int n = 0;
  EXPECT_EQ(libusb_bulk_transfer(r, 0x01, out, 4, &n, 1000), LIBUSB_ERROR_PIPE);
}

TEST_F(Faults, NeverAnsweringInTimesOutAfterTheTimeout) {
  int got = -1;
  const auto start = Clock::now();
  EXPECT_EQ(read_bulk(512, &got, 150), LIBUSB_ERROR_TIMEOUT);
  const auto took = Clock::now() - start;
  EXPECT_GE(took, milliseconds(150));
  EXPECT_LT(took, milliseconds(1500));
  EXPECT_EQ(got, 0);
  EXPECT_EQ(device->counters().cancelled, 1u);  // libusb discarded the URB
}

TEST_F(Faults, NeverAnswerFaultOnControlTimesOut) {
  device->inject(Fault::never_answer(0x00));
  unsigned char buf[18];
  const auto start = Clock::now();
  EXPECT_EQ(libusb_control_transfer(h, 0x80, 0x06, 0x0100, 0, buf, sizeof buf, 100),
            LIBUSB_ERROR_TIMEOUT);
  EXPECT_GE(Clock::now() - start, milliseconds(100));
  EXPECT_EQ(libusb_control_transfer(h, 0x80, 0x06, 0x0100, 0, buf, sizeof buf, 1000), 18);
}

TEST_F(Faults, DelayedAnswerArrivesAfterTheDelay) {
  device->inject(Fault::delayed(0x81, milliseconds(200)));
  ASSERT_TRUE(device->queue_in(0x81, bytes_of("late")));
  int got = 0;
  const auto start = Clock::now();
  ASSERT_EQ(read_bulk(512, &got, 2000), 0);
  EXPECT_GE(Clock::now() - start, milliseconds(200));
  EXPECT_EQ(got, 4);
}

TEST_F(Faults, DelayLongerThanTimeoutTimesOut) {
  device->inject(Fault::delayed(0x00, milliseconds(400)));
  unsigned char buf[18];
  EXPECT_EQ(libusb_control_transfer(h, 0x80, 0x06, 0x0100, 0, buf, sizeof buf, 100),
            LIBUSB_ERROR_TIMEOUT);
}

TEST_F(Faults, OversizedBulkAnswerOverflows) {
  device->inject(Fault::oversize(0x81, 100));
  ASSERT_TRUE(device->queue_in(0x81, bytes_of("payload")));
  int got = 0;
  EXPECT_EQ(read_bulk(512, &got), LIBUSB_ERROR_OVERFLOW);
  EXPECT_EQ(got, 512);  // the buffer was filled, the rest was babble
  EXPECT_EQ(std::string(buffer.begin(), buffer.begin() + 7), "payload");
  EXPECT_EQ(buffer[511], 0xEE);
}

TEST_F(Faults, UnalignedShortBufferIsBabble) {
  // Not a fault rule: a message longer than a buffer that is not a multiple
  // of wMaxPacketSize overflows, as with a real device.
  ASSERT_TRUE(device->queue_in(0x81, Bytes(100, 1)));
  int got = 0;
  EXPECT_EQ(read_bulk(50, &got), LIBUSB_ERROR_OVERFLOW);
  EXPECT_EQ(got, 50);
}

TEST_F(Faults, OversizedControlAnswerOverflows) {
  device->inject(Fault::oversize(0x00, 8));
  unsigned char buf[18];
  EXPECT_EQ(libusb_control_transfer(h, 0x80, 0x06, 0x0100, 0, buf, sizeof buf, 1000),
            LIBUSB_ERROR_OVERFLOW);
}

TEST_F(Faults, GarbageAnswer) {
  device->inject(Fault::garbage(0x81, {0xDE, 0xAD, 0xBE, 0xEF}));
  int got = 0;
  ASSERT_EQ(read_bulk(512, &got), 0);  // no queued data needed
  ASSERT_EQ(got, 4);
  EXPECT_EQ(buffer[0], 0xDE);
  device->inject(Fault::garbage(0x00));
  unsigned char desc[18] = {};
  ASSERT_EQ(libusb_control_transfer(h, 0x80, 0x06, 0x0100, 0, desc, sizeof desc, 1000), 18);
  libusb_device_descriptor real{};
  libusb_get_device_descriptor(libusb_get_device(h), &real);
  EXPECT_FALSE(desc[0] == 18 && desc[1] == 1 && (desc[8] | (desc[9] << 8)) == real.idVendor);
}

TEST_F(Faults, FaultCountsAndAlways) {
  device->inject(Fault::stall(0x00).count(2));
  unsigned char buf[2];
  EXPECT_EQ(libusb_control_transfer(h, 0x80, 0x00, 0, 0, buf, 2, 1000), LIBUSB_ERROR_PIPE);
  EXPECT_EQ(libusb_control_transfer(h, 0x80, 0x00, 0, 0, buf, 2, 1000), LIBUSB_ERROR_PIPE);
  EXPECT_EQ(libusb_control_transfer(h, 0x80, 0x00, 0, 0, buf, 2, 1000), 2);
  device->inject(Fault::stall(0x00).always());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(libusb_control_transfer(h, 0x80, 0x00, 0, 0, buf, 2, 1000), LIBUSB_ERROR_PIPE);
  device->clear_faults();
  EXPECT_EQ(libusb_control_transfer(h, 0x80, 0x00, 0, 0, buf, 2, 1000), 2);
}

TEST_F(Faults, UnplugDuringAsyncTransfer) {
  std::vector<unsigned char> in(512);
  libusb_transfer* t = libusb_alloc_transfer(0);
  std::atomic<bool> done{false};
  libusb_fill_bulk_transfer(
      t, h, 0x81, in.data(), 512,
      [](libusb_transfer* x) { *static_cast<std::atomic<bool>*>(x->user_data) = true; }, &done, 0);
  ASSERT_EQ(libusb_submit_transfer(t), 0);
  EXPECT_FALSE(pump_until(
      usb->get(), [&] { return done.load(); }, milliseconds(50)));
  ASSERT_TRUE(device->unplug());
  EXPECT_FALSE(device->plugged());
  ASSERT_TRUE(pump_until(usb->get(), [&] { return done.load(); }));
  EXPECT_EQ(t->status, LIBUSB_TRANSFER_NO_DEVICE);
  EXPECT_EQ(libusb_submit_transfer(t), LIBUSB_ERROR_NO_DEVICE);
  libusb_free_transfer(t);
  unsigned char buf[2];
  EXPECT_EQ(libusb_control_transfer(h, 0x80, 0x00, 0, 0, buf, 2, 1000), LIBUSB_ERROR_NO_DEVICE);
  EXPECT_FALSE(device->queue_in(0x81, {1}));
}

TEST_F(Faults, UnplugEndsADelayedCompletion) {
  device->inject(Fault::delayed(0x81, std::chrono::seconds(10)));
  ASSERT_TRUE(device->queue_in(0x81, bytes_of("never seen")));
  std::vector<unsigned char> in(512);
  libusb_transfer* t = libusb_alloc_transfer(0);
  std::atomic<bool> done{false};
  libusb_fill_bulk_transfer(
      t, h, 0x81, in.data(), 512,
      [](libusb_transfer* x) { *static_cast<std::atomic<bool>*>(x->user_data) = true; }, &done, 0);
  ASSERT_EQ(libusb_submit_transfer(t), 0);
  EXPECT_FALSE(pump_until(
      usb->get(), [&] { return done.load(); }, milliseconds(50)));
  ASSERT_TRUE(device->unplug());
  ASSERT_TRUE(pump_until(
      usb->get(), [&] { return done.load(); }, milliseconds(2000)));
  EXPECT_EQ(t->status, LIBUSB_TRANSFER_NO_DEVICE);
  EXPECT_EQ(t->actual_length, 0);
  libusb_free_transfer(t);
}

TEST_F(Faults, UnplugDuringSyncTransfer) {
  auto reader = std::async(std::launch::async, [&] {
    int got = 0;
    return read_bulk(512, &got, 5000);
  });
  // Wait until the URB is in flight, then pull the cable.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (device->device_side().waiting_in_transfers(0x81) == 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(milliseconds(1));
  const auto start = Clock::now();
  ASSERT_TRUE(device->unplug());
  EXPECT_EQ(reader.get(), LIBUSB_ERROR_NO_DEVICE);
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
}

TEST_F(Faults, DisconnectFaultWhenHostSendsData) {
  device->inject(Fault::disconnect(0x01));
  unsigned char out[8] = {};
  int n = 0;
  EXPECT_EQ(libusb_bulk_transfer(h, 0x01, out, sizeof out, &n, 1000), LIBUSB_ERROR_NO_DEVICE);
  EXPECT_FALSE(device->plugged());
  // libusb drops the device when its hotplug thread sees the remove uevent.
  EXPECT_TRUE(pump_until(usb->get(), [&] {
    libusb_device* d = find_device(usb->get(), 0x1209, 0x0001);
    if (d) libusb_unref_device(d);
    return d == nullptr;
  }));
}

TEST_F(Faults, BehaviorExceptionFailsTheTransfer) {
  struct Throws : UsbBehavior {
    ControlReply on_control(DeviceSide&, const SetupPacket&,
                            std::span<const std::uint8_t>) override {
      throw std::runtime_error("boom");
    }
  };
  auto spec = sample_spec();
  spec.product_id = 0x0006;
  auto* d = plug(spec, std::make_unique<Throws>());
  ASSERT_TRUE(d);
  auto* t = open(spec);
  ASSERT_NE(t, nullptr);
  unsigned char buf[4];
  EXPECT_EQ(libusb_control_transfer(t, 0xC0, 0x01, 0, 0, buf, 4, 1000), LIBUSB_ERROR_IO);
  ASSERT_EQ(d->behavior_errors().size(), 1u);
  EXPECT_NE(d->behavior_errors()[0].find("boom"), std::string::npos);
}

}  // namespace
}  // namespace dfx::testing::test
