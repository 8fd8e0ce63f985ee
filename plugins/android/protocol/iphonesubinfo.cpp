#include "iphonesubinfo.hpp"

#include <array>

namespace dfx::android {
namespace {

// Every call the table can produce; the rows below pick from these.
constexpr SubInfoCall kDeviceIdNoArgs{1, false, false, "getDeviceId()"};
constexpr SubInfoCall kDeviceIdPkg{1, false, true, "getDeviceId(callingPackage)"};
constexpr SubInfoCall kForPhone3{3, true, true, "getDeviceIdForPhone(phoneId, callingPackage)"};
constexpr SubInfoCall kForPhone4{4, true, true,
                                 "getDeviceIdForPhone(phoneId, callingPackage, featureId)"};

constexpr std::array<SubInfoCall, 4> kAll{kDeviceIdNoArgs, kDeviceIdPkg, kForPhone3, kForPhone4};

}  // namespace

std::span<const SubInfoCall> all_subinfo_calls() {
  return kAll;
}

std::vector<SubInfoCall> subinfo_calls_for_sdk(int sdk) {
  if (sdk <= 0) return {kForPhone4, kForPhone3, kDeviceIdPkg, kDeviceIdNoArgs};
  if (sdk <= 22) return {kDeviceIdNoArgs};                            // Android 5.1 and older
  if (sdk <= 29) return {kForPhone3, kDeviceIdPkg, kDeviceIdNoArgs};  // Android 6 - 10
  return {kForPhone4, kDeviceIdPkg, kForPhone3};                      // Android 11 and newer
}

std::vector<SubInfoCall> subinfo_calls_for_slot(int sdk, int slot) {
  std::vector<SubInfoCall> out;
  for (const auto& c : subinfo_calls_for_sdk(sdk))
    if (slot == 0 || c.per_slot) out.push_back(c);
  return out;
}

std::string subinfo_command(const SubInfoCall& call, int slot) {
  std::string cmd = "service call iphonesubinfo " + std::to_string(call.code);
  if (call.per_slot) cmd += " i32 " + std::to_string(slot);
  if (call.with_package) cmd += " s16 " + std::string(kShellPackage);
  return cmd;
}

bool looks_like_device_id(std::string_view v) {
  if (v.size() < 14 || v.size() > 18) return false;
  for (char c : v) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

dfx::sdk::ClaimKind device_id_kind(std::string_view v, int slot) {
  bool all_digits = true;
  for (char c : v) all_digits = all_digits && c >= '0' && c <= '9';
  if ((v.size() == 14 && !all_digits) || (v.size() == 18 && all_digits)) return "meid";
  return slot == 0 ? dfx::sdk::ClaimKind("imei") : dfx::sdk::ClaimKind("imei2");
}

}  // namespace dfx::android
