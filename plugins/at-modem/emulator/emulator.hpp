// The emulated AT modem: the modem side of a CDC-ACM AT command port, on the bulk endpoints of
// the handset's CDC data interface (class 0x0A). Handset files select it as
// "behavior": {"module": "at-modem", "params": {...}} (parameters in plugins/at-modem/README.md,
// "Emulation in the lab"); tests that want to see what the host sent build it directly and keep a
// pointer:
//
//     auto modem = make_at_modem_emulator({spec, params, "test"});   // AtModemEmulator
//     AtModemEmulator* log = modem->get();
//     testbed->plug(spec, std::move(*modem));
//     ... drive the device ...
//     EXPECT_EQ(log->record().commands, ...);
//
// register_at_modem_emulators() adds the module to a registry (the emulator module at-modem.so
// does the same for dfx-lab).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "dfx/testing/behavior_registry.hpp"

namespace dfx::testing {

/// What the emulated modem received (a snapshot).
struct AtModemRecord {
  /// Every command line received, in order, without its terminating CR (what a test checks
  /// against the allow-list).
  std::vector<std::string> commands;
  std::size_t bytes_received = 0;  ///< every byte written to the data interface
  /// wValue of every CDC SET_CONTROL_LINE_STATE received (bit 0 DTR, bit 1 RTS), in order.
  std::vector<std::uint16_t> control_line_states;
  /// Every other control request that reached the modem, as "bmRequestType/bRequest" in hex
  /// (answered with a stall).
  std::vector<std::string> other_control_requests;
  /// Commands received while DTR was low, dropped unanswered (with "needs_dtr").
  std::size_t dropped_before_dtr = 0;
};

/// The "at-modem" behaviour.
class AtModemEmulator : public UsbBehavior {
 public:
  /// Thread-safe snapshot of what happened so far.
  virtual AtModemRecord record() const = 0;
};

/// Builds the behaviour for `context.device` from `context.params`, or says which parameter is
/// wrong ("/behavior/params/dialogue/2/reply: expected a string").
tl::expected<std::unique_ptr<AtModemEmulator>, std::string> make_at_modem_emulator(
    const BehaviorContext& context);

/// Adds the "at-modem" behaviour module to `registry`.
tl::expected<void, std::string> register_at_modem_emulators(BehaviorRegistry& registry);

}  // namespace dfx::testing
