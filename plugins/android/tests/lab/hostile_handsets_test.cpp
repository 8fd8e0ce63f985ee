// The hostile handset fixtures (tests/handsets/adb-*.json,
// fastboot-endless-info.json) load with the Android emulators, as dfx-lab
// plugs them, and misbehave as their descriptions say.
#include <gtest/gtest.h>
#include <libusb.h>

#include <dfx/testing/testing.hpp>

#include "../emulator/adb_test_host.hpp"

namespace dfx::testing::test {
namespace {

const std::filesystem::path kFixtures = ANDROID_TEST_HANDSETS_DIR;

class HostileFixture : public KitTest {
 protected:
  void plug_fixture(const std::string& name) {
    auto h = load_handset(kFixtures / (name + ".json"));
    ASSERT_TRUE(h) << h.error();
    auto d = plug_handset(*testbed, *h, android_registry());
    ASSERT_TRUE(d) << d.error();
    device = *d;
    handle = open(h->usb);
    ASSERT_NE(handle, nullptr);
    ASSERT_EQ(libusb_claim_interface(handle, 0), 0);
    host = std::make_unique<AdbHost>(handle, 0x81, 0x01);
  }
  VirtualUsbDevice* device = nullptr;
  libusb_device_handle* handle = nullptr;
  std::unique_ptr<AdbHost> host;
};

TEST_F(HostileFixture, BadMagic) {
  plug_fixture("adb-bad-magic");
  ASSERT_EQ(host->connect(), 0);
  auto m = host->read();
  ASSERT_TRUE(m);
  EXPECT_NE(m->magic, m->command ^ 0xFFFFFFFFu);
}

TEST_F(HostileFixture, BadChecksum) {
  plug_fixture("adb-bad-checksum");
  ASSERT_EQ(host->connect(), 0);
  auto m = host->read();
  ASSERT_TRUE(m);
  std::uint32_t sum = 0;
  for (auto b : m->payload) sum += b;
  EXPECT_EQ(m->arg0, 0x01000000u);
  EXPECT_NE(m->data_check, sum);
}

TEST_F(HostileFixture, OversizeLength) {
  plug_fixture("adb-oversize-length");
  ASSERT_EQ(host->connect(), 0);
  auto m = host->read();
  ASSERT_TRUE(m);
  EXPECT_GT(m->data_length, 1024u * 1024u);
}

TEST_F(HostileFixture, HugeBanner) {
  plug_fixture("adb-huge-banner");
  ASSERT_EQ(host->connect(), 0);
  auto m = host->read(2000);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->payload.size(), 1024u * 1024u);
}

TEST_F(HostileFixture, EndlessWrite) {
  plug_fixture("adb-endless-write");
  ASSERT_EQ(host->connect(), 0);
  ASSERT_TRUE(host->read());
  ASSERT_EQ(host->send(kOpen, 1, 0, std::string("shell:getprop ro.serialno") + '\0'), 0);
  ASSERT_TRUE(host->read());  // OKAY
  for (int i = 0; i < 50; ++i) {
    auto m = host->read();
    ASSERT_TRUE(m);
    ASSERT_EQ(m->command, kWrte);
  }
}

TEST_F(HostileFixture, DisconnectMidStream) {
  plug_fixture("adb-disconnect-mid-stream");
  ASSERT_EQ(host->connect(), 0);
  ASSERT_TRUE(host->read());
  ASSERT_EQ(host->send(kOpen, 1, 0, std::string("shell:getprop") + '\0'), 0);
  auto okay = host->read();
  ASSERT_TRUE(okay);
  ASSERT_TRUE(host->read());  // first WRTE
  host->send(kOkay, 1, okay->arg0);
  EXPECT_FALSE(host->read(500));
  EXPECT_EQ(host->last_error(), LIBUSB_ERROR_NO_DEVICE);
}

TEST_F(HostileFixture, FastbootEndlessInfo) {
  auto h = load_handset(kFixtures / "fastboot-endless-info.json");
  ASSERT_TRUE(h) << h.error();
  ASSERT_TRUE(plug_handset(*testbed, *h, android_registry()));
  libusb_device_handle* fb = open(h->usb);
  ASSERT_NE(fb, nullptr);
  ASSERT_EQ(libusb_claim_interface(fb, 0), 0);
  unsigned char cmd[] = "getvar:serialno";
  int n = 0;
  ASSERT_EQ(libusb_bulk_transfer(fb, 0x01, cmd, sizeof cmd - 1, &n, 1000), 0);
  for (int i = 0; i < 100; ++i) {
    unsigned char buf[256];
    ASSERT_EQ(libusb_bulk_transfer(fb, 0x81, buf, sizeof buf, &n, 1000), 0);
    ASSERT_EQ(std::string(reinterpret_cast<char*>(buf), 4), "INFO");
  }
}

}  // namespace
}  // namespace dfx::testing::test
