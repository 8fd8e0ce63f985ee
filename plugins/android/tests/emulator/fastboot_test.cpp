// The emulated fastboot bootloader through libusb: getvar, getvar:all,
// refused commands, and the hostile endless INFO stream.
#include <dfx/testing/libusb_test.hpp>
#include "emulator.hpp"

namespace dfx::testing::test {
namespace {

const std::filesystem::path catalogue = ANDROID_HANDSETS_DIR;

class Fastboot : public KitTest {
 protected:
  void plug_bootloader(nlohmann::json params) {
    auto h = load_handset(catalogue / "android-pixel-fastboot.json");
    ASSERT_TRUE(h) << h.error();
    spec = h->usb;
    if (params.is_null()) params = h->behavior.params;
    auto made = make_fastboot_emulator({spec, params, "test"});
    ASSERT_TRUE(made) << made.error();
    fastboot = made->get();
    ASSERT_TRUE(plug(spec, std::move(*made)));
    handle = open(spec);
    ASSERT_NE(handle, nullptr);
    ASSERT_EQ(libusb_claim_interface(handle, 0), 0);
  }
  /// Sends a command and reads one response (at most 256 bytes, as fastboot hosts do).
  std::string command(const std::string& c) {
    int done = 0;
    EXPECT_EQ(libusb_bulk_transfer(handle, 0x01,
                                   reinterpret_cast<unsigned char*>(const_cast<char*>(c.data())),
                                   static_cast<int>(c.size()), &done, 1000),
              0);
    return response();
  }
  std::string response() {
    unsigned char buf[256];
    int got = 0;
    const int r = libusb_bulk_transfer(handle, 0x81, buf, sizeof buf, &got, 1000);
    if (r != 0) return std::string("<") + libusb_error_name(r) + ">";
    return std::string(reinterpret_cast<char*>(buf), static_cast<std::size_t>(got));
  }

  UsbDeviceSpec spec;
  FastbootEmulator* fastboot = nullptr;
  libusb_device_handle* handle = nullptr;
};

TEST_F(Fastboot, GetvarAnswersTheIdentity) {
  plug_bootloader(nullptr);
  EXPECT_EQ(command("getvar:serialno"), "OKAY2B171FDH2000X7");
  EXPECT_EQ(command("getvar:product"), "OKAYpanther");
  EXPECT_EQ(command("getvar:version-bootloader"), "OKAYcloudripper-14.1-11012345");
  EXPECT_EQ(command("getvar:version-baseband"), "OKAYg5300q-230927-231102-B-11023513");
  EXPECT_EQ(command("getvar:secure"), "OKAYyes");
  EXPECT_EQ(command("getvar:unlocked"), "OKAYno");
  EXPECT_EQ(command("getvar:imei"), "FAILGetVar Variable Not found");
}

TEST_F(Fastboot, GetvarAllStreamsInfoThenOkay) {
  plug_bootloader(
      {{"variables",
        {{"serialno", "HT7A1B234567"}, {"imei", "358750051234563"}, {"meid", "A0000012345678"}}}});
  EXPECT_EQ(command("getvar:all"), "INFOimei:358750051234563");
  EXPECT_EQ(response(), "INFOmeid:A0000012345678");
  EXPECT_EQ(response(), "INFOserialno:HT7A1B234567");
  EXPECT_EQ(response(), "OKAY");
  EXPECT_EQ(command("getvar:imei"), "OKAY358750051234563");
}

TEST_F(Fastboot, EveryOtherCommandFailsAndIsRecorded) {
  plug_bootloader(nullptr);
  EXPECT_EQ(command("getvar:serialno"), "OKAY2B171FDH2000X7");
  EXPECT_EQ(command("oem unlock"), "FAILunknown command");
  EXPECT_EQ(command("reboot"), "FAILunknown command");
  const auto rec = fastboot->record();
  EXPECT_EQ(rec.commands, (std::vector<std::string>{"getvar:serialno", "oem unlock", "reboot"}));
  EXPECT_EQ(rec.refused, (std::vector<std::string>{"oem unlock", "reboot"}));
}

TEST_F(Fastboot, HostileBootloaderSendsInfoForever) {
  plug_bootloader({{"hostile", "endless_info"}});
  EXPECT_EQ(command("getvar:serialno").rfind("INFO", 0), 0u);
  for (int i = 0; i < 500; ++i) ASSERT_EQ(response().rfind("INFO", 0), 0u) << i;
}

TEST(FastbootParams, ErrorsNameTheParameter) {
  auto r = make_fastboot_emulator({sample_spec(), nlohmann::json::object(), "x.json"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("no interface ff/42/03"), std::string::npos) << r.error();
  auto spec = sample_spec();
  spec.configurations[0].interfaces[0].alt_settings[0].interface_protocol = 0x03;
  r = make_fastboot_emulator({spec, {{"variables", {{"product", 5}}}}, "x.json"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("/behavior/params/variables/product: expected a string"),
            std::string::npos)
      << r.error();
  r = make_fastboot_emulator({spec, {{"variable", nlohmann::json::object()}}, "x.json"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("unknown key \"variable\""), std::string::npos) << r.error();
}

}  // namespace
}  // namespace dfx::testing::test
