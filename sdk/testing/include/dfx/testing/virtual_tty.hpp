// Virtual serial ports (CDC-ACM modems, /dev/ttyACM<n>) for AT-command handsets.
//
// HOW IT WORKS. umockdev backs a tty device node with a real pseudo-terminal:
// the code under test opens /dev/ttyACM0 (the pty's slave side, redirected by
// the preload), the kit holds the master side and runs a reader thread that
// feeds what the host writes to a TtyHandler. open/read/write/poll/tcgetattr/
// tcsetattr/tcflush work as on a real tty.
//
// isatty(): umockdev's preload answers isatty() true only when the device
// number it recorded for the node has major 4. A ttyACM is major 166, so by
// default (TtyNodeMode::char_device) stat() reports a 166:N character device
// and isatty() is false. TtyNodeMode::isatty keeps the 166:N sysfs `dev`
// attribute but hides the number from the preload: isatty() is true and stat()
// reports a character device 0:0. Pick per test what the code under test checks.
//
// The tty appears in sysfs below its USB interface
// (/sys/devices/.../1-2/1-2:1.0/tty/ttyACM0, /sys/class/tty/ttyACM0), so code
// can map it back to the USB device like on a real system. umockdev cannot
// reuse a tty name inside one testbed, so automatic names are never reused.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dfx/testing/usb_descriptors.hpp"

namespace dfx::testing {

/// How the tty node looks to the code under test (see the file comment).
enum class TtyNodeMode {
  char_device,  ///< stat(): char 166:N; isatty() false.
  isatty,       ///< isatty() true; stat(): char 0:0.
};

/// The kit's side of a virtual tty, handed to handlers. Thread-safe.
class TtyPort {
 public:
  virtual ~TtyPort() = default;
  /// Sends bytes to the code under test (it reads them from /dev/ttyACM<n>).
  virtual void write(std::span<const std::uint8_t> bytes) = 0;
  /// Convenience: sends text as-is.
  void write(std::string_view text) {
    write(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()),
                                        text.size()));
  }
};

/// Called on the tty's reader thread with every chunk the host writes.
/// Exceptions are caught and recorded (VirtualTty::errors()).
using TtyHandler = std::function<void(TtyPort& port, std::span<const std::uint8_t> bytes)>;

/// A simple line-based modem: each command line gets a canned reply.
///
/// Input is split into lines at CR or LF (empty lines ignored). With `echo` the
/// line is echoed back first (modems default to ATE1; "ATE0"/"ATE1" switch it
/// unless the dialogue defines them). The reply of a known command is each of
/// its lines framed as "\r\n<line>\r\n" (verbose result format), so
/// {"351234567890124", "OK"} becomes "\r\n351234567890124\r\n\r\nOK\r\n".
/// Unknown commands get `unknown_reply`.
struct LineDialogue {
  struct Entry {
    std::string command;  ///< Compared without surrounding spaces; case-insensitively if asked.
    std::vector<std::string> reply;  ///< Reply lines.
  };
  std::vector<Entry> entries;
  bool echo = true;
  bool case_insensitive = true;
  std::vector<std::string> unknown_reply{"ERROR"};

  /// Builds the handler that plays this dialogue.
  TtyHandler handler() const;
};

/// A tty to create below one interface of a virtual USB device.
struct TtySpec {
  std::uint8_t interface =
      0;             ///< Interface number (of the active configuration) the tty belongs to.
  std::string name;  ///< "ttyACM3"; empty = next free ttyACM<n> of the testbed.
  TtyNodeMode mode = TtyNodeMode::char_device;
  std::optional<LineDialogue> dialogue;  ///< Used when `handler` is empty.
  TtyHandler handler;  ///< Raw handler; takes precedence over `dialogue`. Neither = input is only
                       ///< recorded.
};

namespace detail {
class TtyRunner;
}

/// A live virtual tty. Owned by its VirtualUsbDevice.
class VirtualTty {
 public:
  /// Created by Testbed::plug for each TtySpec; tests never construct one.
  explicit VirtualTty(std::shared_ptr<detail::TtyRunner> runner);
  ~VirtualTty();
  VirtualTty(const VirtualTty&) = delete;
  VirtualTty& operator=(const VirtualTty&) = delete;

  /// "ttyACM0".
  const std::string& name() const;
  /// "/dev/ttyACM0".
  std::string devnode() const;
  /// sysfs path ("/sys/devices/.../tty/ttyACM0").
  const std::string& sysfs_path() const;
  /// Sends unsolicited bytes to the code under test (e.g. "\r\nRING\r\n").
  void write(std::string_view text);
  /// Everything the code under test wrote so far.
  std::string received() const;
  /// Handler exceptions caught so far.
  std::vector<std::string> errors() const;

 private:
  std::shared_ptr<detail::TtyRunner> runner_;
};

}  // namespace dfx::testing
