// What the emulated phone's shell answers: getprop and
// `service call iphonesubinfo N ...`, with Parcel dumps printed the way
// Android's `service` tool prints them.
//
// Facts (AOSP): `service call` prints "Result: " and the reply Parcel;
// Parcel::print writes "Parcel(" + hex dump + ")" or "Parcel(NULL)" when the
// reply is empty (an unknown transaction code leaves it empty). The hex dump
// (printHexData: 16 bytes a line, 4-byte words shown as little-endian
// numbers, ASCII column) is on one line up to 16 bytes, otherwise on lines
// "  0x%08x: ..." after a line break. A String16 in a Parcel is an int32
// length in UTF-16 units (-1 = null), the units, a NUL unit, padding to 4
// bytes. A Java exception reply is int32 code (-1 = SecurityException),
// String16 message, int32 0 (empty remote stack trace header).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dfx/testing/usb_descriptors.hpp"

namespace dfx::testing::android {

/// What one `service call iphonesubinfo <code>` answers.
struct SubInfoAnswer {
  enum class Kind {
    imei,           ///< IMEI of slot 0 (getDeviceId).
    imei_for_slot,  ///< IMEI of the slot given as the first i32 argument (getDeviceIdForPhone).
    imei_for_subscription,  ///< IMEI of subscription id N (first i32) = slot N-1
                            ///< (getImeiForSubscriber).
    meid,                   ///< The MEID (a CDMA phone's getDeviceId).
    null_string,            ///< A successful reply carrying a null string.
    permission_denied,      ///< SecurityException with `message`.
    no_such_transaction,    ///< Empty reply: "Result: Parcel(NULL)".
  };
  Kind kind = Kind::no_such_transaction;
  std::string message;  ///< For permission_denied (empty: the phone's default message).
};

/// The identity the shell reveals.
struct PhoneIdentity {
  std::map<std::string, std::string> properties;  ///< getprop table.
  std::vector<std::string> imei;                  ///< One per SIM slot.
  std::string meid;
  std::map<std::uint32_t, SubInfoAnswer> iphonesubinfo;  ///< Transaction code -> answer.
  std::string permission_message;                        ///< Default SecurityException text.
};

struct ShellResult {
  std::string output;
  int exit_code = 0;
};

/// Runs one non-interactive shell command line the way the phone would.
/// Commands other than getprop and `service call iphonesubinfo` are not
/// found (mksh's message, exit 127): the emulator runs nothing else.
ShellResult run_shell_command(const PhoneIdentity& phone, std::string_view command_line);

/// Parcel payloads.
Bytes parcel_string_reply(const std::optional<std::string>& value);  ///< int32 0 + String16.
Bytes parcel_exception_reply(std::int32_t code, std::string_view message);

/// "Parcel(...)" as Parcel::print writes it.
std::string parcel_dump(std::span<const std::uint8_t> data);

}  // namespace dfx::testing::android
