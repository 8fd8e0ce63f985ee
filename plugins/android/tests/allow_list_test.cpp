// The read-only guarantee: nothing outside the allow-list can be sent, over ADB or fastboot, and
// plugins/android/README.md lists exactly the table.
#include "allow_list.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "adb_channel.hpp"
#include "adb_session.hpp"
#include "fake_peer.hpp"
#include "fastboot_session.hpp"

namespace dfx::android {
namespace {

using testing::FakeBootloader;
using testing::FakePhone;
using testing::PhoneScript;

const char* const kForbidden[] = {
    "shell:reboot",
    "shell:rm -rf /sdcard",
    "shell:rm -rf",
    "reboot:",
    "reboot",
    "reboot:bootloader",
    "root:",
    "remount:",
    "sync:",
    "install",
    "push",
    "shell:pm install /data/local/tmp/x.apk",
    "shell:getprop ro.serialno; reboot",
    "shell:getprop ro.serialno;reboot",
    "shell:getprop ro.serialno | sh",
    "shell:getprop ro.serialno && reboot",
    "shell:getprop ro.serialno & reboot",
    "shell:getprop `reboot`",
    "shell:getprop $(reboot)",
    "shell:getprop ro.serialno\nreboot",
    "shell:getprop ro.serialno\n",
    "shell:getprop ro.serialno ",
    " shell:getprop ro.serialno",
    "SHELL:getprop ro.serialno",
    "shell,v2:getprop ro.serialno",
    "shell:getprop",
    "shell:setprop persist.sys.usb.config adb",
    "shell:service call iphonesubinfo 4 i32 0 s16 com.android.shell; reboot",
    "shell:service call phone 1",
    "shell:",
    "tcpip:5555",
    "flash:boot",
    "erase:userdata",
    "oem unlock",
    "flashing unlock",
    "boot",
    "continue",
    "format:userdata",
    "set_active:a",
    "getvar:serialno;reboot",
    "getvar:all\n",
    "",
};

TEST(AllowList, RefusesEverythingElse) {
  for (const char* c : kForbidden) {
    EXPECT_FALSE(is_allowed(Channel::adb, c)) << c;
    EXPECT_FALSE(is_allowed(Channel::fastboot, c)) << c;
  }
}

TEST(AllowList, ChannelsDoNotMix) {
  EXPECT_FALSE(is_allowed(Channel::fastboot, "shell:getprop ro.serialno"));
  EXPECT_FALSE(is_allowed(Channel::adb, "getvar:all"));
}

TEST(AllowList, EntriesAreReadsOnly) {
  for (const auto& e : allow_list()) {
    const std::string_view c = e.command;
    if (e.channel == Channel::adb) {
      EXPECT_TRUE(c.starts_with("shell:getprop ro.") ||
                  c.starts_with("shell:service call iphonesubinfo "))
          << c;
    } else {
      EXPECT_TRUE(c.starts_with("getvar:")) << c;
    }
    for (char ch : c)
      EXPECT_EQ(std::string_view(";|&`$<>\n\r\\'\"*").find(ch), std::string::npos) << c;
  }
}

// Every listed command passes the session send paths, and every forbidden one is refused there
// with nothing written to the device.
TEST(AllowList, AdbSessionSendsListedAndRefusesTheRest) {
  PhoneScript script;
  script.auth_required = false;
  for (const auto& e : allow_list())
    if (e.channel == Channel::adb) script.services[std::string(e.command)] = "x\n";
  FakePhone phone(script);
  class NoKeys : public adb::AuthKeys {
   public:
    std::size_t count() const override { return 0; }
    Result<std::vector<uint8_t>> sign(std::size_t, std::span<const uint8_t>) const override {
      return fail(Errc::not_found, "none");
    }
    Result<std::string> public_key() const override { return fail(Errc::not_found, "none"); }
  } keys;
  adb::Session session(phone, keys);
  ASSERT_TRUE(session.connect());
  for (const char* c : kForbidden) {
    const auto before = phone.received.size();
    auto r = session.shell(c);
    ASSERT_FALSE(r) << c;
    EXPECT_EQ(r.error().code, Errc::denied) << c;
    EXPECT_EQ(phone.received.size(), before) << c;
  }
  for (const auto& e : allow_list()) {
    if (e.channel != Channel::adb) continue;
    auto r = session.shell(e.command);
    EXPECT_TRUE(r) << e.command << ": " << r.error().message;
  }
  for (const auto& o : phone.opened) EXPECT_TRUE(is_allowed(Channel::adb, o)) << o;
}

TEST(AllowList, AdbChannelRefusesForbiddenMessages) {
  PhoneScript script;
  FakePhone phone(script);
  adb::Channel channel(phone, 4096);
  auto open = [&](std::string_view dest) {
    std::vector<uint8_t> p(dest.begin(), dest.end());
    p.push_back(0);
    return channel.send(adb::kOpen, 1, 0, p, std::chrono::milliseconds{10});
  };
  EXPECT_EQ(open("shell:reboot").error().code, Errc::denied);
  // Smuggling after the NUL, or without one, is refused too.
  const std::string smuggled("shell:getprop ro.serialno\0reboot", 32);
  std::vector<uint8_t> p(smuggled.begin(), smuggled.end());
  p.push_back(0);
  EXPECT_EQ(channel.send(adb::kOpen, 1, 0, p, std::chrono::milliseconds{10}).error().code,
            Errc::denied);
  const std::string no_nul = "shell:getprop ro.serialno";
  EXPECT_EQ(
      channel
          .send(adb::kOpen, 1, 0, {reinterpret_cast<const uint8_t*>(no_nul.data()), no_nul.size()},
                std::chrono::milliseconds{10})
          .error()
          .code,
      Errc::denied);
  const uint8_t data[] = {'r', 'm'};
  for (uint32_t cmd : {adb::kWrte, adb::kStls, adb::kSync, 0x41414141u})
    EXPECT_EQ(channel.send(cmd, 1, 2, data, std::chrono::milliseconds{10}).error().code,
              Errc::denied);
  EXPECT_TRUE(phone.received.empty());
  EXPECT_TRUE(open("shell:getprop ro.serialno"));
  EXPECT_EQ(phone.received.size(), 1u);
}

TEST(AllowList, FastbootSessionSendsListedAndRefusesTheRest) {
  FakeBootloader bl({{{"serialno", "X"}}, {}, {}});
  fastboot::Session session(bl);
  for (const char* c : kForbidden) {
    auto r = session.command(c);
    ASSERT_FALSE(r) << c;
    EXPECT_EQ(r.error().code, Errc::denied) << c;
  }
  EXPECT_TRUE(bl.commands.empty());
  for (const auto& e : allow_list()) {
    if (e.channel != Channel::fastboot) continue;
    auto r = session.command(e.command);
    EXPECT_TRUE(r || r.error().code == Errc::refused) << e.command;
  }
  for (const auto& c : bl.commands) EXPECT_TRUE(is_allowed(Channel::fastboot, c)) << c;
}

TEST(AllowList, DocumentedVerbatim) {
  std::ifstream in(DFX_ANDROID_DOC);
  ASSERT_TRUE(in) << DFX_ANDROID_DOC;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  for (const auto& e : allow_list())
    EXPECT_NE(doc.find("`" + std::string(e.command) + "`"), std::string::npos)
        << e.command << " is missing from plugins/android/README.md";
}

}  // namespace
}  // namespace dfx::android
