// Workstation services that act on phones, found in a /proc tree made for the test.
#include "scan/workstation.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace dfx::scan {
namespace {

void process(const std::filesystem::path& proc, int pid, const std::string& comm,
             const std::string& cmdline) {
  const auto dir = proc / std::to_string(pid);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "comm") << comm << '\n';
  std::ofstream(dir / "cmdline", std::ios::binary) << cmdline;
}

TEST(Workstation, FindsUsbmuxdAndModemManagerWithTheirFix) {
  testing_support::TempDir proc;
  process(proc.path(), 812, "usbmuxd", std::string("/usr/sbin/usbmuxd\0--user\0usbmux\0-f\0", 33));
  process(proc.path(), 77, "ModemManager", std::string("/usr/sbin/ModemManager\0", 23));
  process(proc.path(), 900, "bash", std::string("bash\0", 5));
  std::filesystem::create_directories(proc.path() / "self");
  std::ofstream(proc.path() / "uptime") << "1 1\n";
  const auto found = services_touching_phones(proc.path());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].name, "ModemManager");
  EXPECT_EQ(found[0].pid, 77);
  EXPECT_NE(found[0].warning.find("ID_MM_DEVICE_IGNORE"), std::string::npos);
  EXPECT_EQ(found[1].name, "usbmuxd");
  EXPECT_NE(found[1].warning.find("preflight writes UntrustedHostBUID"), std::string::npos)
      << found[1].warning;
  EXPECT_NE(found[1].warning.find("--no-preflight"), std::string::npos);
}

TEST(Workstation, UsbmuxdWithoutPreflightIsStillReported) {
  testing_support::TempDir proc;
  process(proc.path(), 812, "usbmuxd", std::string("usbmuxd\0-f\0-p\0", 15));
  const auto found = services_touching_phones(proc.path());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].warning.find("without preflight"), std::string::npos) << found[0].warning;
  // The program's own name is not an option: a usbmuxd installed as "-p" is not "-p".
  process(proc.path(), 813, "usbmuxd", std::string("-p\0", 3));
  EXPECT_EQ(services_touching_phones(proc.path())[1].warning.find("without preflight"),
            std::string::npos);
}

TEST(Workstation, NothingFoundIsNothingSaid) {
  testing_support::TempDir proc;
  process(proc.path(), 1, "systemd", std::string("/sbin/init\0", 11));
  EXPECT_TRUE(services_touching_phones(proc.path()).empty());
  EXPECT_TRUE(services_touching_phones(proc.path() / "missing").empty());
}

}  // namespace
}  // namespace dfx::scan
