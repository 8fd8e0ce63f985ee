// What the plugin reports from a DeviceInfo: claims with their exact methods, findings and log
// lines. Pure code, so the rules (empty fields, AOSP's "????????", the IMEI-as-serial rule) are
// tested without USB; the plugin glue hands the result to the host as it is.
#pragma once

#include <dfx/sdk/claim_kind.hpp>

#include <string>
#include <vector>

#include "device_info.hpp"

namespace dfx::mtp {

/// Method strings, one per DeviceInfo field read (also in docs/plugins/mtp.md).
namespace method {
inline constexpr const char* manufacturer = "mtp: GetDeviceInfo Manufacturer";
inline constexpr const char* model = "mtp: GetDeviceInfo Model";
inline constexpr const char* device_version = "mtp: GetDeviceInfo DeviceVersion";
inline constexpr const char* serial = "mtp: GetDeviceInfo SerialNumber";
inline constexpr const char* imei =
    "mtp: GetDeviceInfo SerialNumber (15 digits, Luhn-valid: read as the IMEI, as older Samsung "
    "phones report it)";
}  // namespace method

/// The claim kind of DeviceVersion. No SDK kind means "the firmware version an MTP stack
/// reports" (version_bootloader, version_baseband and build_fingerprint are other things), so it
/// is a vendor-specific x_ kind: shown and recorded, never checked against a register.
inline constexpr dfx::sdk::ClaimKind kDeviceVersionKind = "x_mtp_device_version";

/// One claim to report.
struct IdentityClaim {
  dfx::sdk::ClaimKind kind;
  std::string value;
  std::string method;
};

/// One finding to report (code and one sentence).
struct IdentityFinding {
  std::string code;
  std::string message;
};

/// Everything a DeviceInfo gives the host.
struct Identity {
  std::vector<IdentityClaim> claims;
  std::vector<IdentityFinding> findings;
  std::vector<std::string> notes;  ///< information for the log (what was skipped and why)
};

/// The claims, findings and notes for `info`:
///  - manufacturer, model, x_mtp_device_version: each when not empty;
///  - serial: the SerialNumber unless empty or only '?' (AOSP's "????????": a finding
///    mtp_serial_unavailable instead);
///  - imei (besides serial) when the SerialNumber is 15 digits and Luhn-valid, with the finding
///    imei_from_mtp_serial saying so.
Identity identity_from(const DeviceInfo& info);

}  // namespace dfx::mtp
