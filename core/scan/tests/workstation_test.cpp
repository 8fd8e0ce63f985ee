// Workstation services that act on phones, found in a /proc tree made for the test.
#include "scan/workstation.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace dfx::scan {
namespace {

// A workstation whose /proc is `proc`, with no udev rules.
WorkstationPaths at(const std::filesystem::path& proc) {
  return {proc, {}};
}

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
  const auto found = services_touching_phones(at(proc.path()));
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
  const auto found = services_touching_phones(at(proc.path()));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].warning.find("without preflight"), std::string::npos) << found[0].warning;
  // The program's own name is not an option: a usbmuxd installed as "-p" is not "-p".
  process(proc.path(), 813, "usbmuxd", std::string("-p\0", 3));
  EXPECT_EQ(services_touching_phones(at(proc.path()))[1].warning.find("without preflight"),
            std::string::npos);
}

TEST(Workstation, NothingFoundIsNothingSaid) {
  testing_support::TempDir proc;
  process(proc.path(), 1, "systemd", std::string("/sbin/init\0", 11));
  EXPECT_TRUE(services_touching_phones(at(proc.path())).empty());
  EXPECT_TRUE(services_touching_phones(at(proc.path() / "missing")).empty());
}

TEST(Workstation, UsbmuxdsUdevRuleIsReportedUnlessMasked) {
  testing_support::TempDir root;
  const auto etc = root.path() / "etc", lib = root.path() / "lib";
  std::filesystem::create_directories(etc);
  std::filesystem::create_directories(lib);
  std::filesystem::create_directories(root.path() / "proc");
  const WorkstationPaths paths{root.path() / "proc", {etc, lib}};
  EXPECT_TRUE(services_touching_phones(paths).empty());
  std::ofstream(lib / "39-usbmuxd.rules")
      << "SUBSYSTEM==\"usb\", ATTR{bConfigurationValue}=\"0\"\n";
  auto found = services_touching_phones(paths);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].name, "39-usbmuxd.rules");
  EXPECT_NE(found[0].warning.find((lib / "39-usbmuxd.rules").string()), std::string::npos);
  EXPECT_NE(found[0].warning.find("configuration 0"), std::string::npos);
  // Masked by a link to /dev/null in the earlier folder, or by an empty file there.
  std::filesystem::create_symlink("/dev/null", etc / "39-usbmuxd.rules");
  EXPECT_TRUE(services_touching_phones(paths).empty());
  std::filesystem::remove(etc / "39-usbmuxd.rules");
  std::ofstream(etc / "39-usbmuxd.rules").close();
  EXPECT_TRUE(services_touching_phones(paths).empty());
  // So does a file of comments only (dfx ships one: core/usb/udev/mask/39-usbmuxd.rules); a
  // file with rules in the earlier folder is the active rule.
  std::ofstream(etc / "39-usbmuxd.rules") << "# masked\n\n";
  EXPECT_TRUE(services_touching_phones(paths).empty());
  std::ofstream(etc / "39-usbmuxd.rules") << "# local copy\nSUBSYSTEM==\"usb\"\n";
  found = services_touching_phones(paths);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].warning.find((etc / "39-usbmuxd.rules").string()), std::string::npos);
}

}  // namespace
}  // namespace dfx::scan
