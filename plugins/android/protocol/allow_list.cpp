#include "allow_list.hpp"

#include <array>

namespace dfx::android {
namespace {

// Every entry only reads. getprop prints a property; `service call iphonesubinfo` with these
// codes calls getters of IPhoneSubInfo (see iphonesubinfo.cpp); getvar reads a bootloader
// variable. Adding a line here is the only way to let the plugin send something new.
constexpr std::array<AllowedCommand, 24> kAllowList{{
    {Channel::adb, "shell:getprop ro.serialno", "serial number"},
    {Channel::adb, "shell:getprop ro.product.manufacturer", "manufacturer"},
    {Channel::adb, "shell:getprop ro.product.brand", "brand"},
    {Channel::adb, "shell:getprop ro.product.model", "model"},
    {Channel::adb, "shell:getprop ro.product.device", "device (code name)"},
    {Channel::adb, "shell:getprop ro.build.fingerprint", "build fingerprint"},
    {Channel::adb, "shell:getprop ro.build.version.sdk", "SDK level"},
    {Channel::adb, "shell:service call iphonesubinfo 1", "IMEI/MEID, Android 5 and older"},
    {Channel::adb, "shell:service call iphonesubinfo 1 s16 com.android.shell",
     "IMEI/MEID of the default slot, Android 6+"},
    {Channel::adb, "shell:service call iphonesubinfo 3 i32 0 s16 com.android.shell",
     "IMEI/MEID of slot 1, Android 6-10"},
    {Channel::adb, "shell:service call iphonesubinfo 3 i32 1 s16 com.android.shell",
     "IMEI/MEID of slot 2, Android 6-10"},
    {Channel::adb, "shell:service call iphonesubinfo 4 i32 0 s16 com.android.shell",
     "IMEI/MEID of slot 1, Android 11+"},
    {Channel::adb, "shell:service call iphonesubinfo 4 i32 1 s16 com.android.shell",
     "IMEI/MEID of slot 2, Android 11+"},
    {Channel::fastboot, "getvar:serialno", "serial number"},
    {Channel::fastboot, "getvar:product", "product"},
    {Channel::fastboot, "getvar:version-bootloader", "bootloader version"},
    {Channel::fastboot, "getvar:version-baseband", "baseband version"},
    {Channel::fastboot, "getvar:secure", "secure boot"},
    {Channel::fastboot, "getvar:unlocked", "bootloader lock state"},
    {Channel::fastboot, "getvar:is-userspace", "fastbootd (userspace) or bootloader"},
    {Channel::fastboot, "getvar:all", "every variable, incl. OEM imei/imei2/meid"},
    {Channel::fastboot, "getvar:imei", "IMEI (OEM variable)"},
    {Channel::fastboot, "getvar:imei2", "second IMEI (OEM variable)"},
    {Channel::fastboot, "getvar:meid", "MEID (OEM variable)"},
}};

}  // namespace

std::span<const AllowedCommand> allow_list() {
  return kAllowList;
}

bool is_allowed(Channel channel, std::string_view command) {
  for (const auto& entry : kAllowList)
    if (entry.channel == channel && entry.command == command) return true;
  return false;
}

}  // namespace dfx::android
