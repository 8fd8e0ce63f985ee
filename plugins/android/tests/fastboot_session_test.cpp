#include "fastboot_session.hpp"

#include <gtest/gtest.h>

#include "fake_peer.hpp"

namespace dfx::android::fastboot {
namespace {

using namespace std::chrono_literals;
using testing::BootloaderScript;
using testing::FakeBootloader;

SessionLimits fast() {
  SessionLimits l;
  l.io_timeout = 50ms;
  l.command_timeout = 300ms;
  return l;
}

BootloaderScript pixel() {
  BootloaderScript s;
  s.vars = {{"serialno", "1A2B3C4D"},
            {"product", "panther"},
            {"secure", "yes"},
            {"unlocked", "no"},
            {"version-bootloader", "cloudripper-14.0-11"}};
  s.all_lines = {"version-bootloader:cloudripper-14.0-11", "product:panther",
                 "(bootloader) imei: 352099001761481", "partition-size:boot: 0x4000000",
                 "junk without separator"};
  return s;
}

TEST(FastbootSession, Getvar) {
  FakeBootloader bl(pixel());
  Session s(bl, fast());
  EXPECT_EQ(*s.getvar("serialno"), "1A2B3C4D");
  EXPECT_EQ(*s.getvar("unlocked"), "no");
  auto missing = s.getvar("version-baseband");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::refused);
  EXPECT_NE(missing.error().message.find("Variable Not found"), std::string::npos);
  EXPECT_EQ(bl.commands.back(), "getvar:version-baseband");
}

TEST(FastbootSession, EmptyOkayIsNotFound) {
  auto script = pixel();
  script.vars["version-baseband"] = "";
  FakeBootloader bl(script);
  Session s(bl, fast());
  EXPECT_EQ(s.getvar("version-baseband").error().code, Errc::not_found);
}

TEST(FastbootSession, GetvarAll) {
  FakeBootloader bl(pixel());
  Session s(bl, fast());
  auto all = s.getvar_all();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[2].name, "imei");
  EXPECT_EQ((*all)[2].value, "352099001761481");
  EXPECT_EQ((*all)[3].name, "partition-size:boot");
}

struct Case {
  BootloaderScript::Hostile hostile;
  Errc expected;
};

class FastbootHostile : public ::testing::TestWithParam<Case> {};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  static const char* names[] = {"None",       "Oversize", "EndlessInfo", "BadPrefix",
                                "Disconnect", "Data",     "Silent"};
  return names[static_cast<int>(info.param.hostile)];
}

TEST_P(FastbootHostile, EndsInAClearErrorWithinBoundedTime) {
  auto script = pixel();
  script.hostile = GetParam().hostile;
  FakeBootloader bl(script);
  Session s(bl, fast());
  const auto start = std::chrono::steady_clock::now();
  auto r = s.getvar_all();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, GetParam().expected) << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_LT(bl.reads, 5000u);
}

INSTANTIATE_TEST_SUITE_P(
    Bootloaders, FastbootHostile,
    ::testing::Values(Case{BootloaderScript::Hostile::oversize, Errc::too_large},
                      Case{BootloaderScript::Hostile::endless_info, Errc::too_large},
                      Case{BootloaderScript::Hostile::bad_prefix, Errc::malformed},
                      Case{BootloaderScript::Hostile::data, Errc::unexpected},
                      Case{BootloaderScript::Hostile::silent, Errc::timeout}),
    case_name);

TEST(FastbootSession, DisconnectIsAnError) {
  auto script = pixel();
  script.hostile = BootloaderScript::Hostile::disconnect;
  FakeBootloader bl(script);
  Session s(bl, fast());
  auto r = s.getvar("serialno");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::disconnected);
}

TEST(FastbootSession, LongCommandsAreRefusedBeforeSending) {
  FakeBootloader bl(pixel());
  Session s(bl, fast());
  EXPECT_EQ(s.getvar(std::string(80, 'a')).error().code, Errc::denied);
  EXPECT_TRUE(bl.commands.empty());
}

}  // namespace
}  // namespace dfx::android::fastboot
