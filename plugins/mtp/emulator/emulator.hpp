// The phone side of MTP/PTP on a handset's PTP interface (6/1/1, or 0xFF/0xFF/0x00 named "MTP"):
// the "mtp" behaviour module. Handset files select it by name; tests that want to see what the
// host sent build it directly and keep a pointer:
//
//     auto mtp = make_mtp_emulator({spec, params, "test"});   // MtpEmulator
//     MtpEmulator* log = mtp->get();
//     testbed->plug(spec, std::move(*mtp));
//     ... drive the device ...
//     EXPECT_EQ(log->record().operations, std::vector<std::uint16_t>{0x1001});
//
// register_mtp_emulators() adds the module to a registry (the emulator module mtp.so does the
// same for dfx-lab). Parameters are documented in plugins/mtp/README.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "dfx/testing/behavior_registry.hpp"

namespace dfx::testing {

/// What the emulated MTP responder saw (a snapshot).
struct MtpRecord {
  std::vector<std::uint16_t> operations;       ///< every operation code received, in order
  std::vector<std::uint32_t> transaction_ids;  ///< their transaction ids, in the same order
  std::vector<std::uint16_t> responses;        ///< the response code sent for each
  /// Class and vendor control requests received, as (bmRequestType << 8) | bRequest
  std::vector<std::uint16_t> control_requests;
  std::size_t sessions_opened = 0;          ///< OpenSession answered OK
  std::size_t resets = 0;                   ///< USB resets and PTP DEVICE_RESET requests
  std::vector<std::string> bad_containers;  ///< OUT transfers that were no command container
};

/// The "mtp" behaviour.
class MtpEmulator : public UsbBehavior {
 public:
  /// Thread-safe snapshot of what happened so far.
  virtual MtpRecord record() const = 0;
};

/// Builds the "mtp" behaviour for `context.device` from `context.params`, or says which
/// parameter is wrong.
tl::expected<std::unique_ptr<MtpEmulator>, std::string> make_mtp_emulator(
    const BehaviorContext& context);

/// Adds the "mtp" behaviour module to `registry`.
tl::expected<void, std::string> register_mtp_emulators(BehaviorRegistry& registry);

}  // namespace dfx::testing
