// Which mode an Apple device is in, from its USB product id alone (VID 0x05AC). The ranges are
// those libirecovery and usbmuxd use: a PID outside them (a keyboard, a Mac, a Watch charger) is
// not a device this plugin reads.
#pragma once

#include <cstdint>
#include <string_view>

namespace dfx::apple {

enum class Mode {
  Recovery,  ///< iBoot Recovery Mode (0x1280–0x1283): iSerialNumber carries the identity fields
  Dfu,       ///< DFU (0x1227; 0x1222 on old devices): SecureROM fields, no serial or IMEI
  Normal,    ///< booted iOS (0x1290–0x12AF): iSerialNumber is the UDID; lockdown over usbmux
  Other,     ///< anything else from Apple
};

/// The mode of an Apple device with USB product id `pid`.
Mode mode_of(uint16_t pid);

/// "recovery", "dfu", "normal" or "other": the value of the x_apple_mode claim.
std::string_view mode_name(Mode mode);

/// "Recovery mode", "DFU mode", "normal mode", "another mode": for methods and messages.
std::string_view mode_words(Mode mode);

}  // namespace dfx::apple
