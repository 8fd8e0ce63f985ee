// Services of the examination workstation itself that act on phones without being asked: they
// must be stopped (or told to leave phones alone) before an examination, or the record would not
// be the only thing that touched the phone. dfx cannot stop them; it says so, with the fix, in
// the log and in the report of every scan and watch.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dfx::scan {

/// A running process that acts on phones by itself, and what to do about it.
struct MeddlingService {
  std::string name;  ///< e.g. "usbmuxd"
  long pid = 0;
  std::string warning;  ///< one sentence: what it does to phones and how to stop it
};

/// The processes under `proc_root` (normally /proc) that act on phones by themselves:
///   - usbmuxd: claims every iPhone's usbmux interface, and unless started with -p/--no-preflight
///     writes UntrustedHostBUID to each phone and asks it to pair;
///   - ModemManager: sends AT commands to new serial ports, phones' modem interfaces included,
///     unless udev tags them ID_MM_DEVICE_IGNORE (core/usb/udev/70-dfx-phones.rules does).
/// Processes that vanish while being read are skipped.
std::vector<MeddlingService> services_touching_phones(
    const std::filesystem::path& proc_root = "/proc");

}  // namespace dfx::scan
