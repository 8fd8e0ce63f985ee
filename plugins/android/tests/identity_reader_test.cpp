// What the plugin reports, end to end over a scripted phone: claims (kind, value, method) for an
// authorised phone, an unauthorised one, other states, IMEI variants and failures.
#include "identity_reader.hpp"

#include <gtest/gtest.h>

#include "fake_peer.hpp"
#include "key_store.hpp"
#include "parcel_dump.hpp"

namespace dfx::android {
namespace {

using namespace std::chrono_literals;
using testing::FakeBootloader;
using testing::FakePhone;
using testing::PhoneScript;

struct Claim {
  std::string kind, value, method;
};

class RecordingSink : public Sink {
 public:
  void claim(const dfx::sdk::ClaimKind& k, std::string_view v, std::string_view m) override {
    claims.push_back({std::string(k.text()), std::string(v), std::string(m)});
  }
  void log(Level level, std::string_view message) override {
    logs.push_back({level, std::string(message)});
  }
  [[nodiscard]] const Claim* find(std::string_view kind) const {
    for (const auto& c : claims)
      if (c.kind == kind) return &c;
    return nullptr;
  }
  [[nodiscard]] bool logged(std::string_view words) const {
    for (const auto& l : logs)
      if (l.second.find(words) != std::string::npos) return true;
    return false;
  }
  std::vector<Claim> claims;
  std::vector<std::pair<Level, std::string>> logs;
};

std::string imei_reply(const std::u16string& s) {
  return testing::parcel_dump(testing::string_reply_words(0, s));
}

PhoneScript phone(int sdk) {
  PhoneScript s;
  s.authorized.push_back(*testing::shared_test_key(0).android_public_key());
  s.services = {
      {"shell:getprop ro.serialno", "R5CT12345AB\n"},
      {"shell:getprop ro.product.manufacturer", "samsung\n"},
      {"shell:getprop ro.product.brand", "samsung\n"},
      {"shell:getprop ro.product.model", "SM-G991B\n"},
      {"shell:getprop ro.product.device", "o1s\n"},
      {"shell:getprop ro.build.fingerprint",
       "samsung/o1sxeea/o1s:14/UP1A/G991BXXU:user/release-keys\n"},
      {"shell:getprop ro.build.version.sdk", std::to_string(sdk) + "\n"},
  };
  return s;
}

AdbReadOptions options() {
  AdbReadOptions o;
  o.limits.io_timeout = 50ms;
  o.limits.connect_timeout = 500ms;
  o.limits.unauthorized_grace = 50ms;
  o.limits.stream_timeout = 500ms;
  o.usb_serial = "R5CT12345AB";
  o.key_fingerprint = "AA:BB";
  o.key_location = "/tmp/x/adbkey";
  return o;
}

KeyRing keys() {
  KeyRing r;
  r.user_host = "tech@bench";
  r.add(testing::shared_test_key(0));
  return r;
}

TEST(IdentityReader, AuthorisedPhoneGivesEveryClaimWithItsMethod) {
  auto s = phone(34);
  s.services["shell:service call iphonesubinfo 4 i32 0 s16 com.android.shell"] =
      imei_reply(u"352099001761481");
  s.services["shell:service call iphonesubinfo 4 i32 1 s16 com.android.shell"] =
      imei_reply(u"352099001761499");
  FakePhone p(s);
  auto k = keys();
  RecordingSink sink;
  auto st = read_adb(p, k, options(), sink);
  ASSERT_TRUE(st) << st.error().message;
  const std::pair<const char*, const char*> expected[] = {
      {"adb_state", "device"},
      {"serial", "R5CT12345AB"},
      {"manufacturer", "samsung"},
      {"brand", "samsung"},
      {"model", "SM-G991B"},
      {"device", "o1s"},
      {"build_fingerprint", "samsung/o1sxeea/o1s:14/UP1A/G991BXXU:user/release-keys"},
      {"sdk_level", "34"},
      {"imei", "352099001761481"},
      {"imei2", "352099001761499"},
  };
  ASSERT_EQ(sink.claims.size(), std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    EXPECT_EQ(sink.claims[i].kind, expected[i].first);
    EXPECT_EQ(sink.claims[i].value, expected[i].second);
  }
  EXPECT_EQ(sink.find("adb_state")->method, "adb: CNXN banner");
  EXPECT_EQ(sink.find("serial")->method, "adb: shell:getprop ro.serialno");
  EXPECT_EQ(sink.find("imei")->method,
            "adb: shell:service call iphonesubinfo 4 i32 0 s16 com.android.shell");
  EXPECT_EQ(sink.find("imei2")->method,
            "adb: shell:service call iphonesubinfo 4 i32 1 s16 com.android.shell");
}

TEST(IdentityReader, UnauthorisedPhoneGivesStateSerialAndAHint) {
  auto s = phone(34);
  s.authorized.clear();
  FakePhone p(s);
  auto k = keys();
  RecordingSink sink;
  const auto start = std::chrono::steady_clock::now();
  auto st = read_adb(p, k, options(), sink);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  ASSERT_TRUE(st) << st.error().message;  // a finding, not a failure
  ASSERT_EQ(sink.claims.size(), 2u);
  EXPECT_EQ(sink.claims[0].kind, "adb_state");
  EXPECT_EQ(sink.claims[0].value, "unauthorized");
  EXPECT_EQ(sink.claims[1].kind, "serial");
  EXPECT_EQ(sink.claims[1].value, "R5CT12345AB");
  EXPECT_EQ(sink.claims[1].method, "usb: iSerialNumber (phone not authorised)");
  EXPECT_TRUE(
      sink.logged("unlock the phone and accept 'Allow USB debugging?' for the RSA key "
                  "fingerprint AA:BB shown"));
  EXPECT_FALSE(p.offered_key.empty());
  EXPECT_TRUE(p.opened.empty());  // nothing was read without authorisation
}

TEST(IdentityReader, ImeiPermissionDeniedKeepsTheOtherClaims) {
  auto s = phone(34);
  s.services["shell:service call iphonesubinfo 4 i32 0 s16 com.android.shell"] =
      testing::parcel_dump(testing::string_reply_words(
          -1,
          u"getDeviceIdForPhone: The user 2000 does not meet the requirements to access "
          u"device identifiers."));
  FakePhone p(s);
  auto k = keys();
  RecordingSink sink;
  auto st = read_adb(p, k, options(), sink);
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_TRUE(sink.find("serial"));
  EXPECT_TRUE(sink.find("model"));
  EXPECT_FALSE(sink.find("imei"));
  EXPECT_TRUE(sink.logged("SecurityException: getDeviceIdForPhone: The user 2000"));
}

TEST(IdentityReader, OldAndroidUsesCodeOne) {
  auto s = phone(21);
  s.services["shell:service call iphonesubinfo 1"] = imei_reply(u"352099001761481");
  FakePhone p(s);
  auto k = keys();
  RecordingSink sink;
  ASSERT_TRUE(read_adb(p, k, options(), sink));
  ASSERT_TRUE(sink.find("imei"));
  EXPECT_EQ(sink.find("imei")->method, "adb: shell:service call iphonesubinfo 1");
  EXPECT_FALSE(sink.find("imei2"));
}

TEST(IdentityReader, ProbesTheNextCodeWhenTheFirstAnswersSomethingElse) {
  auto s = phone(31);
  // An OEM build where code 4 is another method (here a NAI-like string) and code 1 works.
  s.services["shell:service call iphonesubinfo 4 i32 0 s16 com.android.shell"] =
      imei_reply(u"user@ims.example");
  s.services["shell:service call iphonesubinfo 1 s16 com.android.shell"] =
      imei_reply(u"352099001761481");
  FakePhone p(s);
  auto k = keys();
  RecordingSink sink;
  ASSERT_TRUE(read_adb(p, k, options(), sink));
  ASSERT_TRUE(sink.find("imei"));
  EXPECT_EQ(sink.find("imei")->method,
            "adb: shell:service call iphonesubinfo 1 s16 com.android.shell");
}

TEST(IdentityReader, MeidAndImeiOnACdmaPhone) {
  auto s = phone(28);
  s.services["shell:service call iphonesubinfo 3 i32 0 s16 com.android.shell"] =
      imei_reply(u"A0000012345678");
  s.services["shell:service call iphonesubinfo 3 i32 1 s16 com.android.shell"] =
      imei_reply(u"352099001761481");
  FakePhone p(s);
  auto k = keys();
  RecordingSink sink;
  ASSERT_TRUE(read_adb(p, k, options(), sink));
  ASSERT_TRUE(sink.find("meid"));
  EXPECT_EQ(sink.find("meid")->value, "A0000012345678");
  ASSERT_TRUE(sink.find("imei"));  // the first IMEI is "imei" even from slot 2
  EXPECT_EQ(sink.find("imei")->value, "352099001761481");
}

TEST(IdentityReader, SingleSimPhoneHasNoImei2) {
  auto s = phone(34);
  s.services["shell:service call iphonesubinfo 4 i32 0 s16 com.android.shell"] =
      imei_reply(u"352099001761481");
  s.services["shell:service call iphonesubinfo 4 i32 1 s16 com.android.shell"] =
      testing::parcel_dump(testing::string_reply_words(0, u"", true));
  FakePhone p(s);
  auto k = keys();
  RecordingSink sink;
  ASSERT_TRUE(read_adb(p, k, options(), sink));
  EXPECT_TRUE(sink.find("imei"));
  EXPECT_FALSE(sink.find("imei2"));
}

TEST(IdentityReader, SideloadReportsStateAndBannerOnly) {
  auto s = phone(34);
  s.banner = "sideload::ro.product.name=o1s;ro.product.model=SM-G991B;ro.product.device=o1s";
  FakePhone p(s);
  auto k = keys();
  RecordingSink sink;
  ASSERT_TRUE(read_adb(p, k, options(), sink));
  ASSERT_TRUE(sink.find("adb_state"));
  EXPECT_EQ(sink.find("adb_state")->value, "sideload");
  ASSERT_TRUE(sink.find("model"));
  EXPECT_EQ(sink.find("model")->method, "adb: CNXN banner (ro.product.model)");
  EXPECT_TRUE(p.opened.empty());
}

TEST(IdentityReader, RecoveryStateIsReported) {
  auto s = phone(34);
  s.banner = "recovery::ro.product.model=SM-G991B";
  FakePhone p(s);
  auto k = keys();
  RecordingSink sink;
  ASSERT_TRUE(read_adb(p, k, options(), sink));
  EXPECT_EQ(sink.find("adb_state")->value, "recovery");
  EXPECT_TRUE(sink.find("serial"));
}

TEST(IdentityReader, BrokenConnectionIsAnErrorKeepingEarlierClaims) {
  auto s = phone(34);
  s.hostile = testing::Hostile::bad_magic;
  s.hostile_in_stream = true;
  FakePhone p(s);
  auto k = keys();
  RecordingSink sink;
  auto st = read_adb(p, k, options(), sink);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::bad_magic);
  EXPECT_TRUE(sink.find("adb_state"));
}

TEST(IdentityReader, FastbootIdentity) {
  testing::BootloaderScript b;
  b.vars = {{"serialno", "HT7A1JT01234"},
            {"product", "marlin"},
            {"secure", "yes"},
            {"unlocked", "no"},
            {"version-bootloader", "8996-012001"},
            {"version-baseband", "8996-130091"},
            {"is-userspace", "no"}};
  b.all_lines = {"(bootloader) imei: 352099001761481", "(bootloader) meid: A0000012345678",
                 "product:marlin"};
  FakeBootloader bl(b);
  RecordingSink sink;
  auto st = read_fastboot(bl, {}, sink);
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(sink.find("fastboot_state")->value, "bootloader");
  EXPECT_EQ(sink.find("serial")->value, "HT7A1JT01234");
  EXPECT_EQ(sink.find("serial")->method, "fastboot: getvar:serialno");
  EXPECT_EQ(sink.find("product")->value, "marlin");
  EXPECT_EQ(sink.find("version_bootloader")->value, "8996-012001");
  EXPECT_EQ(sink.find("version_baseband")->value, "8996-130091");
  EXPECT_EQ(sink.find("secure")->value, "yes");
  EXPECT_EQ(sink.find("unlocked")->value, "no");
  EXPECT_EQ(sink.find("imei")->value, "352099001761481");
  EXPECT_EQ(sink.find("imei")->method, "fastboot: getvar:all (imei)");
  EXPECT_EQ(sink.find("meid")->value, "A0000012345678");
  EXPECT_FALSE(sink.find("imei2"));
  for (const auto& c : bl.commands) EXPECT_TRUE(c.starts_with("getvar:")) << c;
}

TEST(IdentityReader, FastbootdAndMissingVariables) {
  testing::BootloaderScript b;
  b.vars = {{"serialno", "X1"}, {"is-userspace", "yes"}};
  FakeBootloader bl(b);
  RecordingSink sink;
  ASSERT_TRUE(read_fastboot(bl, {}, sink));
  EXPECT_EQ(sink.find("fastboot_state")->value, "fastbootd");
  EXPECT_EQ(sink.find("serial")->value, "X1");
  EXPECT_FALSE(sink.find("product"));
}

TEST(IdentityReader, FastbootHostileEndsWithError) {
  testing::BootloaderScript b;
  b.hostile = testing::BootloaderScript::Hostile::bad_prefix;
  FakeBootloader bl(b);
  RecordingSink sink;
  auto st = read_fastboot(bl, {}, sink);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::malformed);
}

}  // namespace
}  // namespace dfx::android
