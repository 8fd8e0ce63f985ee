// Which `service call iphonesubinfo N ...` reads the device identifier (IMEI, or MEID on CDMA
// phones) on a given Android release. N is 1 + the method's position in IPhoneSubInfo.aidl, which
// changed between releases, so it is chosen from this table by SDK level (ro.build.version.sdk)
// and the alternatives are probed in order when the first one gives no identifier.
// Facts (AOSP IPhoneSubInfo.aidl): Android 5 has getDeviceId() first; Android 11+ starts
// getDeviceId(pkg), getDeviceIdWithFeature(pkg, feature), getNaiForSubscriber(...),
// getDeviceIdForPhone(phoneId, pkg, feature), getImeiForSubscriber(...). The 6-10 rows follow the
// same aidl history but are UNCONFIRMED on real phones; OEM builds may differ, hence probing.
#pragma once

#include <dfx/sdk/claim_kind.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dfx::android {

/// One way of asking iphonesubinfo for the device identifier.
struct SubInfoCall {
  int code;                 ///< the transaction code N
  bool per_slot;            ///< passes "i32 <slot>" (phoneId): can read the second SIM slot
  bool with_package;        ///< passes "s16 com.android.shell" (callingPackage, Android 6+)
  std::string_view method;  ///< the AIDL method it is meant to reach, for logs
};

/// The package passed as callingPackage: the shell holds READ_PRIVILEGED_PHONE_STATE.
inline constexpr std::string_view kShellPackage = "com.android.shell";

/// The candidate calls for an SDK level, best first (sdk <= 0: unknown, all candidates).
std::vector<SubInfoCall> subinfo_calls_for_sdk(int sdk);

/// The calls usable for `slot` (0 or 1): slot 1 needs a per_slot call.
std::vector<SubInfoCall> subinfo_calls_for_slot(int sdk, int slot);

/// The shell command line, e.g. "service call iphonesubinfo 4 i32 0 s16 com.android.shell".
std::string subinfo_command(const SubInfoCall& call, int slot);

/// Every call of every row of the table (for the allow-list test).
std::span<const SubInfoCall> all_subinfo_calls();

/// True when a reply looks like a device identifier rather than another method's answer:
/// 14 to 18 hex digits (IMEI 15, IMEISV 16, MEID 14 hex or 18 decimal). It decides only which
/// transaction code was the right one; validity is the host's business.
bool looks_like_device_id(std::string_view value);

/// The claim kind of a device identifier: "meid" for 14 hex digits with a letter A-F or 18
/// decimal digits; otherwise "imei" (slot 0) or "imei2" (slot 1). 14 all-decimal digits count as
/// an IMEI without check digit, as python-stdnum does.
dfx::sdk::ClaimKind device_id_kind(std::string_view value, int slot);

}  // namespace dfx::android
