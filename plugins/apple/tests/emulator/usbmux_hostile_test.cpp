// The hostile iPhones of tests/handsets (iphone-hostile-*.json): each misbehaves exactly as its
// file says, so that hosts under test meet the misbehaviour for real.
#include "usbmux_test_host.hpp"

namespace dfx::testing::test {
namespace {

const std::filesystem::path hostile_dir = APPLE_TEST_HANDSETS_DIR;

class Hostile : public KitTest {
 protected:
  /// Plugs a hostile phone through the registry (as dfx-lab does), selects configuration 3.
  void plug_hostile(const std::string& name, bool start = true) {
    auto h = load_handset(hostile_dir / ("iphone-hostile-" + name + ".json"));
    ASSERT_TRUE(h) << h.error();
    auto made = make_usbmux_emulator({h->usb, h->behavior.params, h->source.string()});
    ASSERT_TRUE(made) << made.error();
    phone = made->get();
    device = plug(h->usb, std::move(*made));
    ASSERT_NE(device, nullptr);
    handle = open(h->usb);
    ASSERT_NE(handle, nullptr);
    ASSERT_EQ(libusb_set_configuration(handle, 3), 0);
    ASSERT_EQ(libusb_claim_interface(handle, 1), 0);
    host = std::make_unique<MuxHost>(handle, 0x85, 0x04);
    if (!start) return;
    ASSERT_TRUE(host->start());
    auto synack = host->connect();
    ASSERT_TRUE(synack);
    ASSERT_EQ(synack->flags, kSyn | kAck);
    isn = synack->seq;
  }

  UsbmuxEmulator* phone = nullptr;
  VirtualUsbDevice* device = nullptr;
  libusb_device_handle* handle = nullptr;
  std::unique_ptr<MuxHost> host;
  std::uint32_t isn = 0;
};

TEST_F(Hostile, EveryFileLoadsThroughTheRegistry) {
  for (const char* name : {"lockdown-length-4gib", "bplist-garbage", "reset-mid-session",
                           "never-answers", "broken-tcp-seq"}) {
    auto h = load_handset(hostile_dir / (std::string("iphone-hostile-") + name + ".json"));
    ASSERT_TRUE(h) << h.error();
    EXPECT_EQ(h->behavior.module, "usbmux");
    auto made = apple_registry().create(h->behavior.module, h->behavior.params, h->usb, name);
    EXPECT_TRUE(made) << made.error();
  }
}

TEST_F(Hostile, LockdownLength4GiB) {
  ASSERT_NO_FATAL_FAILURE(plug_hostile("lockdown-length-4gib"));
  EXPECT_FALSE(host->lockdown(request({{"Request", "QueryType"}})));
  const Bytes& raw = host->last_frame();
  ASSERT_GE(raw.size(), 4u);
  EXPECT_EQ(get32(raw, 0), 0xFFFFFFFFu);
}

TEST_F(Hostile, BplistGarbage) {
  ASSERT_NO_FATAL_FAILURE(plug_hostile("bplist-garbage"));
  EXPECT_FALSE(host->lockdown(request({{"Request", "QueryType"}}))) << "no plist in the answer";
  const Bytes& frame = host->last_frame();
  ASSERT_GT(frame.size(), 12u);
  EXPECT_EQ(get32(frame, 0), frame.size() - 4) << "the length prefix itself is right";
  EXPECT_EQ(std::string(frame.begin() + 4, frame.begin() + 12), "bplist00");
}

TEST_F(Hostile, ResetMidSession) {
  ASSERT_NO_FATAL_FAILURE(plug_hostile("reset-mid-session"));
  auto type = host->lockdown(request({{"Request", "QueryType"}}));
  ASSERT_TRUE(type) << "QueryType is still answered";
  EXPECT_EQ(type->str("Type"), "com.apple.mobile.lockdown");
  EXPECT_FALSE(host->lockdown(request({{"Request", "GetValue"}, {"Key", "ProductType"}})));
  EXPECT_FALSE(device->device_side().connected());
  EXPECT_EQ(phone->record().requests.size(), 2u);
}

TEST_F(Hostile, NeverAnswers) {
  ASSERT_NO_FATAL_FAILURE(plug_hostile("never-answers", /*start=*/false));
  EXPECT_FALSE(host->version());
  EXPECT_EQ(host->last_error(), LIBUSB_ERROR_TIMEOUT);
  EXPECT_FALSE(phone->record().version_answered);
  EXPECT_TRUE(device->device_side().connected());
}

TEST_F(Hostile, BrokenTcpSequence) {
  ASSERT_NO_FATAL_FAILURE(plug_hostile("broken-tcp-seq"));
  // This host does not check sequence numbers (neither does usbmuxd): it gets the answers...
  auto first = host->lockdown(request({{"Request", "QueryType"}}));
  ASSERT_TRUE(first);
  const auto a = host->segments().back();
  auto second = host->lockdown(request({{"Request", "GetValue"}, {"Key", "ProductType"}}));
  ASSERT_TRUE(second);
  const auto b = host->segments().back();
  // ...but the stream has holes: neither segment starts where the previous one ended.
  EXPECT_NE(a.seq, isn + 1);
  EXPECT_NE(b.seq, a.seq + a.data.size());
}

}  // namespace
}  // namespace dfx::testing::test
