// Emulated Android USB protocols: the phone side of ADB ("adbd" module) and
// of fastboot ("fastboot" module). Handset files select them by name; tests
// that want to see what the host sent build them directly and keep a pointer:
//
//     auto adbd = make_adbd_emulator({spec, params, "test"});   // AdbdEmulator
//     AdbdEmulator* log = adbd->get();
//     testbed->plug(spec, std::move(*adbd));
//     ... drive the device ...
//     EXPECT_EQ(log->record().services, ...);
//
// register_android_emulators() adds both modules to a registry (the emulator module
// android-emulator.so does the same for dfx-lab). Parameters are documented in
// plugins/android/README.md ("Emulation in the lab").
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "dfx/testing/behavior_registry.hpp"

namespace dfx::testing {

/// What the emulated adbd saw and did (a snapshot).
struct AdbdRecord {
  std::vector<std::string>
      services;  ///< Every OPEN service string received, in order ("shell:getprop").
  std::vector<std::string>
      offered_public_keys;  ///< AUTH RSAPUBLICKEY payloads (the phone would ask its user).
  std::size_t connects_received = 0;    ///< Host CNXN messages.
  std::size_t tokens_sent = 0;          ///< AUTH TOKEN messages sent.
  std::size_t signatures_received = 0;  ///< AUTH SIGNATURE messages received.
  std::size_t signatures_accepted = 0;
  bool online = false;                       ///< CNXN sent (authorised or auth off).
  std::vector<std::string> protocol_errors;  ///< Bad host messages (bad magic, oversized...).
};

/// The "adbd" behaviour: the phone side of ADB on its ff/42/01 interface.
class AdbdEmulator : public UsbBehavior {
 public:
  /// Thread-safe snapshot of what happened so far.
  virtual AdbdRecord record() const = 0;
};

/// What the emulated bootloader saw (a snapshot).
struct FastbootRecord {
  std::vector<std::string> commands;  ///< Every command received, in order.
  std::vector<std::string> refused;   ///< The ones answered FAIL because they are not getvar.
};

/// The "fastboot" behaviour: a bootloader's fastboot on its ff/42/03 interface.
class FastbootEmulator : public UsbBehavior {
 public:
  virtual FastbootRecord record() const = 0;
};

tl::expected<std::unique_ptr<AdbdEmulator>, std::string> make_adbd_emulator(
    const BehaviorContext& context);
tl::expected<std::unique_ptr<FastbootEmulator>, std::string> make_fastboot_emulator(
    const BehaviorContext& context);

/// Adds the "adbd" and "fastboot" behaviour modules to `registry`.
tl::expected<void, std::string> register_android_emulators(BehaviorRegistry& registry);

}  // namespace dfx::testing
