// The emulated adbd, driven through libusb by a small ADB host inside the
// testbed: authentication, banner, streams, getprop and service call codes.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "adb_test_host.hpp"

namespace dfx::testing::test {
namespace {

const std::filesystem::path catalogue = ANDROID_HANDSETS_DIR;

/// Fixture: a phone from the catalogue, its adbd built with test params.
class Adbd : public KitTest {
 protected:
  void plug_phone(const std::string& sample, nlohmann::json params) {
    auto h = load_handset(catalogue / (sample + ".json"));
    ASSERT_TRUE(h) << h.error();
    spec = h->usb;
    auto made = make_adbd_emulator({spec, params, "test"});
    ASSERT_TRUE(made) << made.error();
    adbd = made->get();
    ASSERT_TRUE(plug(spec, std::move(*made)));
    handle = open(spec);
    ASSERT_NE(handle, nullptr);
    // Interface and endpoints of ff/42/01 in the sample.
    for (const auto& itf : spec.configurations[0].interfaces) {
      const auto& alt = itf.alt_settings[0];
      if (alt.interface_class != 0xFF || alt.interface_subclass != 0x42 ||
          alt.interface_protocol != 0x01)
        continue;
      ASSERT_EQ(libusb_claim_interface(handle, itf.number), 0);
      for (const auto& ep : alt.endpoints) (ep.is_in() ? in : out) = ep.address;
    }
    host = std::make_unique<AdbHost>(handle, in, out);
  }
  /// The sample Pixel's params with an inline key instead of the key file.
  nlohmann::json pixel_params(const AdbKey& key) {
    auto h = load_handset(catalogue / "android-pixel-mtp-adb.json");
    EXPECT_TRUE(h) << h.error();
    nlohmann::json p = h->behavior.params_of("adbd");
    p.erase("authorized_keys_file");
    p["authorized_keys"] = {key.public_line()};
    return p;
  }

  UsbDeviceSpec spec;
  AdbdEmulator* adbd = nullptr;
  libusb_device_handle* handle = nullptr;
  std::uint8_t in = 0, out = 0;
  std::unique_ptr<AdbHost> host;
};

TEST_F(Adbd, AuthorisedKeyGetsTheBanner) {
  AdbKey key;
  plug_phone("android-pixel-mtp-adb", pixel_params(key));
  ASSERT_EQ(host->connect(), 0);
  auto token = host->read();
  ASSERT_TRUE(token) << libusb_error_name(host->last_error());
  EXPECT_EQ(token->command, kAuth);
  EXPECT_EQ(token->arg0, 1u);  // TOKEN
  ASSERT_EQ(token->payload.size(), 20u);
  EXPECT_EQ(token->magic, kAuth ^ 0xFFFFFFFFu);
  ASSERT_EQ(host->send(kAuth, 2, 0, key.sign(token->payload)), 0);
  auto cnxn = host->read();
  ASSERT_TRUE(cnxn);
  EXPECT_EQ(cnxn->command, kCnxn);
  EXPECT_EQ(cnxn->arg0, 0x01000001u);
  EXPECT_EQ(cnxn->arg1, 1024u * 1024u);
  EXPECT_EQ(cnxn->text(),
            "device::ro.product.name=panther;ro.product.model=Pixel "
            "7;ro.product.device=panther;features=cmd,stat_v2,"
            "ls_v2,fixed_push_mkdir,apex,abb,fixed_push_symlink_timestamp,abb_exec,remount_shell,"
            "track_app,sendrecv_v2");
  const auto rec = adbd->record();
  EXPECT_TRUE(rec.online);
  EXPECT_EQ(rec.signatures_accepted, 1u);
}

TEST_F(Adbd, KeyFileIsReadWhenTheHostSigns) {
  AdbKey key;
  const std::string dir =
      std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/keyhome";
  std::filesystem::create_directories(dir + "/.android");
  ::setenv("DFX_TEST_KEYHOME", dir.c_str(), 1);
  nlohmann::json p = pixel_params(key);
  p.erase("authorized_keys");
  p["authorized_keys_file"] = "${DFX_TEST_KEYHOME}/.android/adbkey.pub";
  plug_phone("android-pixel-mtp-adb", p);
  // The key appears after the phone was plugged, as when dfx or adb creates it on first use.
  { std::ofstream(dir + "/.android/adbkey.pub") << key.public_line() << "\n"; }
  auto cnxn = host->connect_with(key);
  ASSERT_TRUE(cnxn);
  EXPECT_EQ(cnxn->text().rfind("device::", 0), 0u);
}

TEST_F(Adbd, OtherKeyStaysUnauthorized) {
  AdbKey trusted, stranger;
  plug_phone("android-pixel-mtp-adb", pixel_params(trusted));
  ASSERT_EQ(host->connect(), 0);
  auto token = host->read();
  ASSERT_TRUE(token);
  ASSERT_EQ(host->send(kAuth, 2, 0, stranger.sign(token->payload)), 0);
  auto again = host->read();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->command, kAuth);
  EXPECT_EQ(again->arg0, 1u);
  EXPECT_NE(again->payload, token->payload) << "a fresh token after a wrong signature";
  // No more keys: the host offers its public key; the phone waits for its user, forever.
  const std::string offered = stranger.public_line("stranger@bench");
  ASSERT_EQ(host->send(kAuth, 3, 0, Bytes(offered.begin(), offered.end() + 1)), 0);
  EXPECT_FALSE(host->read(200));
  EXPECT_EQ(host->last_error(), LIBUSB_ERROR_TIMEOUT);
  // Streams are ignored while unauthorized.
  ASSERT_EQ(host->send(kOpen, 1, 0, std::string("shell:getprop ro.serialno")), 0);
  EXPECT_FALSE(host->read(100));
  const auto rec = adbd->record();
  EXPECT_FALSE(rec.online);
  EXPECT_EQ(rec.tokens_sent, 2u);
  EXPECT_EQ(rec.signatures_received, 1u);
  EXPECT_EQ(rec.signatures_accepted, 0u);
  ASSERT_EQ(rec.offered_public_keys.size(), 1u);
  EXPECT_EQ(rec.offered_public_keys[0], offered);
  EXPECT_TRUE(rec.services.empty());
}

TEST_F(Adbd, UnauthorizedSampleTrustsNobody) {
  AdbKey key;
  auto h = load_handset(catalogue / "android-unauthorized-adb.json");
  ASSERT_TRUE(h) << h.error();
  plug_phone("android-unauthorized-adb", h->behavior.params_of("adbd"));
  EXPECT_FALSE(host->connect_with(key));
  EXPECT_FALSE(adbd->record().online);
}

TEST_F(Adbd, AuthNoneConnectsAtOnce) {
  AdbKey key;
  auto p = pixel_params(key);
  p["auth"] = "none";
  p["state"] = "recovery";
  plug_phone("android-pixel-mtp-adb", p);
  ASSERT_EQ(host->connect(), 0);
  auto cnxn = host->read();
  ASSERT_TRUE(cnxn);
  EXPECT_EQ(cnxn->command, kCnxn);
  EXPECT_EQ(cnxn->text().rfind("recovery::ro.product.name=panther;", 0), 0u) << cnxn->text();
  EXPECT_EQ(adbd->record().tokens_sent, 0u);
}

TEST_F(Adbd, GetpropAnswersFromThePropertyTable) {
  AdbKey key;
  plug_phone("android-pixel-mtp-adb", pixel_params(key));
  ASSERT_TRUE(host->connect_with(key));
  EXPECT_EQ(host->run("shell:getprop ro.serialno"), "2B171FDH2000X7\n");
  EXPECT_EQ(host->run("shell:getprop ro.product.model", 8), "Pixel 7\n");
  EXPECT_EQ(host->run("shell:getprop ro.build.version.sdk", 9), "34\n");
  EXPECT_EQ(host->run("shell:getprop no.such.property", 10), "\n");
  auto all = host->run("shell:getprop", 11);
  ASSERT_TRUE(all);
  EXPECT_NE(all->find("[ro.product.manufacturer]: [Google]\n"), std::string::npos) << *all;
  EXPECT_NE(all->find("[ro.build.fingerprint]: [google/panther/panther:14/"), std::string::npos);
  EXPECT_EQ(adbd->record().services,
            (std::vector<std::string>{"shell:getprop ro.serialno", "shell:getprop ro.product.model",
                                      "shell:getprop ro.build.version.sdk",
                                      "shell:getprop no.such.property", "shell:getprop"}));
}

TEST_F(Adbd, ServiceCallCodesOfARecentPhone) {
  AdbKey key;
  plug_phone("android-pixel-mtp-adb", pixel_params(key));
  ASSERT_TRUE(host->connect_with(key));
  const std::string imei1 =
      "Result: Parcel(\n"
      "  0x00000000: 00000000 0000000f 00350033 00390033 '........3.5.3.9.'\n"
      "  0x00000010: 00310031 00300031 00320031 00340033 '1.1.1.0.1.2.3.4.'\n"
      "  0x00000020: 00360035 00000036                   '5.6.6...        ')\n";
  EXPECT_EQ(host->run("shell:service call iphonesubinfo 1 s16 com.android.shell"), imei1);
  EXPECT_EQ(host->run("shell:service call iphonesubinfo 4 i32 0 s16 com.android.shell", 8), imei1);
  auto imei2 = host->run("shell:service call iphonesubinfo 4 i32 1 s16 com.android.shell", 9);
  ASSERT_TRUE(imei2);
  EXPECT_NE(imei2->find("'1.1.1.0.1.2.3.4.'"), std::string::npos) << *imei2;
  EXPECT_NE(imei2->find("'6.4.0...        '"), std::string::npos) << *imei2;
  EXPECT_EQ(host->run("shell:service call iphonesubinfo 5 i32 2 s16 com.android.shell", 10),
            *imei2);
  // A slot the phone does not have: a null string.
  EXPECT_EQ(host->run("shell:service call iphonesubinfo 4 i32 2 s16 com.android.shell", 11),
            "Result: Parcel(00000000 ffffffff   '........')\n");
  // A code the interface does not have: an empty reply.
  EXPECT_EQ(host->run("shell:service call iphonesubinfo 99", 12), "Result: Parcel(NULL)\n");
}

TEST_F(Adbd, PermissionDeniedIsASecurityExceptionParcel) {
  AdbKey key;
  plug_phone("android-pixel-mtp-adb", pixel_params(key));
  ASSERT_TRUE(host->connect_with(key));
  auto denied = host->run("shell:service call iphonesubinfo 8 s16 com.android.shell");
  ASSERT_TRUE(denied);
  EXPECT_EQ(
      denied->rfind(
          "Result: Parcel(\n  0x00000000: ffffffff 0000005b 00650067 00530074 '....[...g.e.t.S.'\n",
          0),
      0u)
      << *denied;
  EXPECT_NE(denied->find("  0x000000b0: 00660069 00650069 00730072 0000002e 'i.f.i.e.r.s.....'\n"),
            std::string::npos)
      << *denied;
  EXPECT_EQ(denied->substr(denied->size() - 3), "')\n");
}

TEST_F(Adbd, LegacyPhoneUsesOldCodesChecksumsAndSmallPayloads) {
  AdbKey key;
  auto h = load_handset(catalogue / "android-legacy-adb.json");
  ASSERT_TRUE(h) << h.error();
  nlohmann::json p = h->behavior.params_of("adbd");
  p.erase("authorized_keys_file");
  p["authorized_keys"] = {key.public_line()};
  plug_phone("android-legacy-adb", p);
  ASSERT_EQ(host->connect(0x01000000, 4096), 0);
  auto token = host->read();
  ASSERT_TRUE(token);
  std::uint32_t sum = 0;
  for (auto b : token->payload) sum += b;
  EXPECT_EQ(token->data_check, sum) << "a 0x01000000 peer gets checksums";
  const Bytes sig = key.sign(token->payload);
  ASSERT_EQ(host->send(kAuth, 2, 0, sig, /*checksum=*/true), 0);
  auto cnxn = host->read();
  ASSERT_TRUE(cnxn);
  EXPECT_EQ(cnxn->arg0, 0x01000000u);
  EXPECT_EQ(cnxn->arg1, 4096u);
  EXPECT_EQ(cnxn->text(),
            "device::ro.product.name=hammerhead;ro.product.model=Nexus "
            "5;ro.product.device=hammerhead;features=");
  auto imei = host->run("shell:service call iphonesubinfo 1");
  ASSERT_TRUE(imei);
  EXPECT_NE(imei->find("'5.0.0.5.1.2.3.4.'"), std::string::npos) << *imei;
}

TEST_F(Adbd, WritesRespectThePeersMaximumPayload) {
  AdbKey key;
  auto p = pixel_params(key);
  p["auth"] = "none";
  plug_phone("android-pixel-mtp-adb", p);
  ASSERT_EQ(host->connect(0x01000001, 256), 0);
  ASSERT_TRUE(host->read());
  std::vector<std::size_t> sizes;
  auto all = host->run("shell:getprop", 7, &sizes);
  ASSERT_TRUE(all);
  EXPECT_GE(sizes.size(), 3u);
  for (auto s : sizes) EXPECT_LE(s, 256u);
  EXPECT_NE(all->find("[ro.serialno]: [2B171FDH2000X7]\n"), std::string::npos);
}

TEST_F(Adbd, OtherServicesAreRefusedAndRecorded) {
  AdbKey key;
  plug_phone("android-pixel-mtp-adb", pixel_params(key));
  ASSERT_TRUE(host->connect_with(key));
  for (const char* service : {"reboot:", "sync:", "root:", "shell:"}) {
    ASSERT_EQ(host->send(kOpen, 5, 0, std::string(service) + '\0'), 0);
    auto m = host->read();
    ASSERT_TRUE(m) << service;
    EXPECT_EQ(m->command, kClse) << service;
    EXPECT_EQ(m->arg1, 5u);
  }
  EXPECT_EQ(host->run("shell:rm -rf /sdcard"), "/system/bin/sh: rm: inaccessible or not found\n");
  EXPECT_EQ(host->run("shell:service call phone 1", 8), "service: Service phone does not exist\n");
  EXPECT_EQ(adbd->record().services,
            (std::vector<std::string>{"reboot:", "sync:", "root:", "shell:", "shell:rm -rf /sdcard",
                                      "shell:service call phone 1"}));
}

TEST_F(Adbd, ShellV2FramingWhenAdvertised) {
  AdbKey key;
  auto p = pixel_params(key);
  p["auth"] = "none";
  p["features"] = {"shell_v2", "cmd"};
  plug_phone("android-pixel-mtp-adb", p);
  ASSERT_EQ(host->connect(), 0);
  auto cnxn = host->read();
  ASSERT_TRUE(cnxn);
  EXPECT_NE(cnxn->text().find("features=shell_v2,cmd"), std::string::npos);
  auto framed = host->run("shell,v2,raw:getprop ro.product.model");
  ASSERT_TRUE(framed);
  // stdout packet: id 1, length 8, "Pixel 7\n"; exit packet: id 3, length 1, status 0.
  const std::string expected = std::string("\x01\x08\x00\x00\x00", 5) + "Pixel 7\n" +
                               std::string("\x03\x01\x00\x00\x00\x00", 6);
  EXPECT_EQ(*framed, expected);
}

TEST_F(Adbd, BadHostMessagesAreRecordedNotAnswered) {
  AdbKey key;
  auto p = pixel_params(key);
  p["auth"] = "none";
  plug_phone("android-pixel-mtp-adb", p);
  ASSERT_EQ(host->send(kCnxn, 0x01000001, 4096, Bytes{'h', 'o', 's', 't', ':', ':'}, false, 0x1),
            0);
  EXPECT_FALSE(host->read(100));
  const auto rec = adbd->record();
  ASSERT_EQ(rec.protocol_errors.size(), 1u);
  EXPECT_NE(rec.protocol_errors[0].find("bad magic"), std::string::npos);
  EXPECT_EQ(rec.connects_received, 0u);
}

TEST(AdbdParams, ErrorsNameTheParameter) {
  UsbDeviceSpec no_adb = sample_spec();
  no_adb.configurations[0].interfaces[0].alt_settings[0].interface_protocol =
      0x03;  // fastboot, not ADB
  auto made = make_adbd_emulator({no_adb, nlohmann::json::object(), "x.json"});
  ASSERT_FALSE(made);
  EXPECT_NE(made.error().find("no interface ff/42/01"), std::string::npos) << made.error();
  auto spec = sample_spec();
  for (const auto& [params, where] : std::vector<std::pair<nlohmann::json, std::string>>{
           {{{"imei", {"353911101234567"}}},
            "/behavior/params/imei/0: \"353911101234567\" is not a 15-digit IMEI"},
           {{{"auth", "maybe"}}, "/behavior/params/auth: expected one of rsa, none"},
           {{{"authorized_keys", {"AAAA user@host"}}},
            "/behavior/params/authorized_keys/0: adb public key: decoded"},
           {{{"iphonesubinfo", {{"1", "imsi"}}}},
            "/behavior/params/iphonesubinfo/1: expected one of imei,"},
           {{{"hostile", "rude"}}, "/behavior/params/hostile: expected one of bad_magic"},
           {{{"authorized_keys_file", "${DFX_NO_SUCH_VARIABLE}/k"}},
            "environment variable DFX_NO_SUCH_VARIABLE is not set"},
           {{{"imeis", {}}}, "/behavior/params/imeis: unknown key"}}) {
    auto r = make_adbd_emulator({spec, params, "x.json"});
    ASSERT_FALSE(r) << params.dump();
    EXPECT_NE(r.error().find(where), std::string::npos) << r.error();
  }
}

}  // namespace
}  // namespace dfx::testing::test
