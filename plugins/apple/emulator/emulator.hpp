// Emulated Apple USB protocols: an iPhone in normal mode speaking usbmux and lockdownd
// ("usbmux" module). Handset files select it by name; tests that want to see what the host sent
// build it directly and keep a pointer:
//
//     auto phone = make_usbmux_emulator({spec, params, "phone.json"});   // UsbmuxEmulator
//     UsbmuxEmulator* log = phone->get();
//     testbed->plug(spec, std::move(*phone));
//     ... drive the device ...
//     EXPECT_TRUE(log->record().refused_requests.empty());
//
// register_apple_emulators() adds the module to a registry (the emulator module apple.so does
// the same for dfx-lab). Parameters are documented in plugins/apple/README.md ("Emulation in the
// lab"); test pairings come from pairing.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "dfx/testing/behavior_registry.hpp"

namespace dfx::testing {

/// One lockdown request as the phone received it.
struct LockdownRequest {
  std::string request;      ///< "QueryType", "GetValue", "StartSession", "SetValue"...
  std::string key;          ///< Its Key, if any.
  std::string domain;       ///< Its Domain, if any.
  bool in_session = false;  ///< Received inside an established TLS session.
};

/// What the emulated iPhone saw and did (a snapshot).
struct UsbmuxRecord {
  bool version_answered = false;          ///< usbmux VERSION answered.
  bool setup_received = false;            ///< usbmux SETUP (version 2) received.
  std::vector<std::uint16_t> syn_ports;   ///< Destination port of every TCP SYN, in order.
  std::size_t connections_refused = 0;    ///< SYNs answered with RST (no service on the port).
  std::vector<LockdownRequest> requests;  ///< Every lockdown request, in order.
  /// Requests answered with an Error because the phone does not serve them here: everything that
  /// writes (Pair, SetValue, RemoveValue...), starts a service, or is unknown. Empty means the
  /// host never tried to change the phone.
  std::vector<std::string> refused_requests;
  std::size_t sessions_started = 0;  ///< StartSession accepted (HostID of the pairing).
  std::size_t tls_completed = 0;     ///< TLS handshakes completed with the paired host.
  std::size_t sessions_stopped = 0;  ///< StopSession accepted.
  std::vector<std::string> errors;   ///< Bad host input, refused HostIDs, TLS failures.
};

/// The "usbmux" behaviour: an iPhone in normal mode on its ff/fe/02 interface.
class UsbmuxEmulator : public UsbBehavior {
 public:
  /// Thread-safe snapshot of what happened so far.
  virtual UsbmuxRecord record() const = 0;
};

tl::expected<std::unique_ptr<UsbmuxEmulator>, std::string> make_usbmux_emulator(
    const BehaviorContext& context);

/// Adds the "usbmux" behaviour module to `registry`.
tl::expected<void, std::string> register_apple_emulators(BehaviorRegistry& registry);

}  // namespace dfx::testing
