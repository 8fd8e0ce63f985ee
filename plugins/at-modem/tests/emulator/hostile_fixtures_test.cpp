// The hostile handset fixtures (tests/handsets/at-*.json) load with the AT-modem emulator, as
// dfx-lab plugs them, and misbehave as their descriptions say.
#include <gtest/gtest.h>

#include "at_test_host.hpp"

namespace dfx::testing::test {
namespace {

const std::filesystem::path kFixtures = AT_MODEM_TEST_HANDSETS_DIR;

class HostileFixture : public KitTest {
 protected:
  void plug_fixture(const std::string& name) {
    auto registry = BehaviorRegistry::builtin();
    ASSERT_TRUE(register_at_modem_emulators(registry));
    auto h = load_handset(kFixtures / (name + ".json"));
    ASSERT_TRUE(h) << h.error();
    auto d = plug_handset(*testbed, *h, registry);
    ASSERT_TRUE(d) << d.error();
    handle = open(h->usb);
    ASSERT_NE(handle, nullptr);
    ASSERT_EQ(libusb_claim_interface(handle, 1), 0);
    host = std::make_unique<AtHost>(handle, 0x82, 0x02);
    ASSERT_EQ(host->send("AT"), 0);
  }
  libusb_device_handle* handle = nullptr;
  std::unique_ptr<AtHost> host;
};

TEST_F(HostileFixture, Silent) {
  plug_fixture("at-silent");
  EXPECT_EQ(host->read_until("OK", 4096, 300), "");
}

TEST_F(HostileFixture, Endless) {
  plug_fixture("at-endless");
  const auto got = host->read_until("\r\nOK\r\n", 8192);
  EXPECT_GE(got.size(), 8192u);
  EXPECT_NE(got.find("+CGSN: "), std::string::npos);
}

TEST_F(HostileFixture, Garbage) {
  plug_fixture("at-garbage");
  const auto got = host->read_until("\r\nOK\r\n", 4096);
  EXPECT_GE(got.size(), 4096u);
  std::size_t control = 0;
  for (unsigned char c : got) control += c < 0x20 && c != '\r' && c != '\n';
  EXPECT_GT(control, 100u) << "binary noise";
}

TEST_F(HostileFixture, EchoForever) {
  plug_fixture("at-echo-forever");
  const auto got = host->read_until("\r\nOK\r\n", 4096);
  EXPECT_GE(got.size(), 4096u);
  EXPECT_EQ(got.substr(0, 12), "AT\rAT\rAT\rAT\r");
}

}  // namespace
}  // namespace dfx::testing::test
