// Detecting umockdev's preload and explaining how to get it.
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "dfx/testing/testbed.hpp"

namespace dfx::testing {

// umockdev_in_mock_environment() cannot answer this before a testbed exists:
// in 0.17.16 it stats /sys, which the preload only redirects once UMOCKDEV_DIR
// is set, and it caches its first answer for the life of the process (umockdev
// itself then skips "add" uevents). So look for the preload among the loaded
// objects instead.
bool in_mock_environment() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line))
    if (line.find("/libumockdev-preload.so") != std::string::npos) return true;
  return false;
}

std::string mock_environment_help(std::string_view program) {
  const std::string p = program.empty() ? std::string("./your_test") : std::string(program);
  return "dfx::testing: this program must run under umockdev's preload library, which redirects "
         "/sys, /dev,\n"
         "uevents and usbfs ioctls into the virtual testbed. Without it libusb would silently see "
         "the real\n"
         "machine's USB devices (or none). Run it as\n"
         "    umockdev-wrapper " +
         p +
         "\n"
         "or\n"
         "    LD_PRELOAD=libumockdev-preload.so.0 " +
         p +
         "\n"
         "(Debian package umockdev; ctest does this for the registered tests).\n";
}

void require_mock_environment_or_exit(std::string_view program) {
  if (in_mock_environment()) return;
  const std::string help = mock_environment_help(program);
  std::fputs(help.c_str(), stderr);
  std::fflush(stderr);
  std::exit(exit_status_no_mock_environment);
}

}  // namespace dfx::testing
