// Services of the examination workstation itself that act on phones without being asked: they
// must be stopped (or told to leave phones alone) before an examination, or the record would not
// be the only thing that touched the phone. dfx cannot stop them; it says so, with the fix, in
// the log and in the report of every scan and watch.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dfx::scan {

/// A running process (or an active udev rule) that acts on phones by itself, and what to do.
struct MeddlingService {
  std::string name;     ///< e.g. "usbmuxd", or "39-usbmuxd.rules" for a udev rule
  long pid = 0;         ///< 0 for a udev rule
  std::string warning;  ///< one sentence: what it does to phones and how to stop it
};

/// Where the workstation's state is read from (tests point these at folders of their own).
struct WorkstationPaths {
  std::filesystem::path proc = "/proc";
  /// udev's rule folders, in precedence order: a file in an earlier folder hides a file of the
  /// same name in a later one.
  std::vector<std::filesystem::path> udev_rules = {"/etc/udev/rules.d", "/run/udev/rules.d",
                                                   "/usr/lib/udev/rules.d", "/lib/udev/rules.d"};
};

/// The processes under `proc_root` (normally /proc) that act on phones by themselves:
///   - usbmuxd: claims every iPhone's usbmux interface, and unless started with -p/--no-preflight
///     writes UntrustedHostBUID to each phone and asks it to pair;
///   - ModemManager: sends AT commands to new serial ports, phones' modem interfaces included,
///     unless udev tags them ID_MM_DEVICE_IGNORE (core/usb/udev/70-dfx-phones.rules does).
/// and usbmuxd's udev rule (39-usbmuxd.rules) when it is installed and not masked: on every
/// iPhone plugged in it sets the USB configuration to 0 (deconfigures the phone) and starts
/// usbmuxd, even while usbmuxd is stopped. Processes that vanish while being read are skipped.
std::vector<MeddlingService> services_touching_phones(const WorkstationPaths& paths = {});

}  // namespace dfx::scan
