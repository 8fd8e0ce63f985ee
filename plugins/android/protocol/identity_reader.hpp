// What the Android plugin reads and how it reports it, independent of USB: given a Transport to
// an ADB or fastboot interface, run the read-only sessions and report each identifier as a claim
// (kind, value as the phone said it, method = the exact command). android_plugin.cpp wires it to
// the host; tests wire it to a scripted phone and check the claims.
#pragma once

#include <dfx/sdk/claim_kind.hpp>

#include <string>
#include <string_view>

#include "adb_session.hpp"
#include "error.hpp"
#include "fastboot_session.hpp"
#include "transport.hpp"

namespace dfx::android {

/// Where claims and log lines go (the host in the plugin, a vector in tests).
class Sink {
 public:
  /// Log levels, as the host's.
  enum class Level { debug, info, warn, error };
  virtual ~Sink() = default;
  /// Reports one identifier. The kind is a dfx::sdk::ClaimKind so that every kind written here
  /// ("serial", "adb_state"...) is checked against the SDK's list when the plugin is compiled,
  /// not refused by the host during a scan.
  virtual void claim(const dfx::sdk::ClaimKind& kind, std::string_view value,
                     std::string_view method) = 0;
  /// Writes one log line.
  virtual void log(Level level, std::string_view message) = 0;
};

/// Inputs of an ADB read besides the transport.
struct AdbReadOptions {
  adb::SessionLimits limits;    ///< time and size bounds
  std::string usb_serial;       ///< iSerialNumber read by the host (reported when unauthorised)
  std::string key_fingerprint;  ///< MD5 fingerprint of the offered key, for the hint ("" none)
  std::string key_location;     ///< where the user key is, for the hint ("" none)
  int max_slots = 2;            ///< SIM slots whose IMEI/MEID is read
};

/// Reads an ADB device: state, properties (serial, manufacturer, brand, model, device,
/// build_fingerprint, sdk_level), then IMEI/IMEI2/MEID through iphonesubinfo.
/// Returns ok for an authorised phone, and also for an unauthorised one (adb_state
/// "unauthorized" and the descriptor serial are claimed, and what to do is logged): that is a
/// finding, not a failure. Returns an error when the connection fails or breaks (claims already
/// reported stay). A refused IMEI read is logged with its reason and does not fail the read.
Status read_adb(Transport& transport, const adb::AuthKeys& keys, const AdbReadOptions& options,
                Sink& sink);

/// Reads a fastboot device: fastboot_state (bootloader or fastbootd), serial, product,
/// version_bootloader, version_baseband, secure, unlocked, and imei/imei2/meid when the
/// bootloader exposes them. Errors as read_adb.
Status read_fastboot(Transport& transport, const fastboot::SessionLimits& limits, Sink& sink);

}  // namespace dfx::android
