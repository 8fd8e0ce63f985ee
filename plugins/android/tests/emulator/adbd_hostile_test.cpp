// Each hostile adbd variant does what it says, as a host sees it on the wire.
#include "adb_test_host.hpp"

namespace dfx::testing::test {
namespace {

class AdbdHostile : public KitTest {
 protected:
  /// sample_spec()'s ADB interface (0x81 IN, 0x01 OUT), auth off, one hostile mode.
  void plug_hostile(const std::string& mode) {
    const nlohmann::json params = {{"auth", "none"},
                                   {"hostile", mode},
                                   {"properties",
                                    {{"ro.product.model", "Hostile"},
                                     {"ro.product.name", "hostile"},
                                     {"ro.product.device", "h"}}}};
    auto made = make_adbd_emulator({sample_spec(), params, "test"});
    ASSERT_TRUE(made) << made.error();
    adbd = made->get();
    device = plug(sample_spec(), std::move(*made));
    ASSERT_TRUE(device);
    handle = open(sample_spec());
    ASSERT_NE(handle, nullptr);
    ASSERT_EQ(libusb_claim_interface(handle, 0), 0);
    host = std::make_unique<AdbHost>(handle, 0x81, 0x01);
  }
  AdbdEmulator* adbd = nullptr;
  VirtualUsbDevice* device = nullptr;
  libusb_device_handle* handle = nullptr;
  std::unique_ptr<AdbHost> host;
};

TEST_F(AdbdHostile, BadMagic) {
  plug_hostile("bad_magic");
  ASSERT_EQ(host->connect(), 0);
  auto m = host->read();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->command, kCnxn);
  EXPECT_NE(m->magic, kCnxn ^ 0xFFFFFFFFu);
}

TEST_F(AdbdHostile, WrongChecksum) {
  plug_hostile("bad_checksum");
  ASSERT_EQ(host->connect(), 0);
  auto m = host->read();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->arg0, 0x01000000u) << "claims the checksummed protocol version";
  std::uint32_t sum = 0;
  for (auto b : m->payload) sum += b;
  EXPECT_EQ(m->data_check, sum + 1);
}

TEST_F(AdbdHostile, DataLengthBeyondTheLimit) {
  plug_hostile("oversize_length");
  ASSERT_EQ(host->connect(), 0);
  auto m = host->read(1000, /*max_payload=*/1024 * 1024);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->command, kCnxn);
  EXPECT_EQ(m->data_length, 1024u * 1024u + 1u);
  EXPECT_TRUE(m->payload.empty()) << "the host helper refuses to read it";
}

TEST_F(AdbdHostile, BannerOfOneMebibyte) {
  plug_hostile("huge_banner");
  ASSERT_EQ(host->connect(), 0);
  auto m = host->read(2000);
  ASSERT_TRUE(m) << libusb_error_name(host->last_error());
  EXPECT_EQ(m->data_length, 1024u * 1024u);
  ASSERT_EQ(m->payload.size(), 1024u * 1024u);
  EXPECT_EQ(m->text().rfind("device::ro.product.name=hostile;", 0), 0u);
}

TEST_F(AdbdHostile, EndlessWriteStream) {
  plug_hostile("endless_write");
  ASSERT_EQ(host->connect(), 0);
  ASSERT_TRUE(host->read());
  ASSERT_EQ(host->send(kOpen, 3, 0, std::string("shell:getprop ro.serialno") + '\0'), 0);
  auto okay = host->read();
  ASSERT_TRUE(okay);
  EXPECT_EQ(okay->command, kOkay);
  // Far more than any real answer, without the host ever acknowledging: it never ends.
  std::size_t bytes = 0;
  for (int i = 0; i < 200; ++i) {
    auto m = host->read();
    ASSERT_TRUE(m) << i;
    ASSERT_EQ(m->command, kWrte) << i;
    bytes += m->payload.size();
  }
  EXPECT_GT(bytes, 200u * 1000u);
}

TEST_F(AdbdHostile, DisconnectMidStream) {
  plug_hostile("disconnect_mid_stream");
  ASSERT_EQ(host->connect(), 0);
  ASSERT_TRUE(host->read());
  ASSERT_EQ(host->send(kOpen, 3, 0, std::string("shell:getprop") + '\0'), 0);
  auto okay = host->read();
  ASSERT_TRUE(okay);
  auto first = host->read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->command, kWrte);
  EXPECT_FALSE(first->payload.empty());
  // Acknowledging the first chunk pulls the cable.
  host->send(kOkay, 3, okay->arg0);
  EXPECT_FALSE(host->read(500));
  EXPECT_EQ(host->last_error(), LIBUSB_ERROR_NO_DEVICE);
  EXPECT_FALSE(device->plugged());
}

}  // namespace
}  // namespace dfx::testing::test
