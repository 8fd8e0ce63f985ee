// A small AT host for the emulator's tests: writes command lines to the modem's bulk OUT endpoint
// through libusb and collects what comes back on bulk IN. Written independently of the plugin's
// session (protocol/session.cpp), so that the emulator is checked by other code than the one it
// serves.
#pragma once

#include <dfx/testing/libusb_test.hpp>

#include <string>

#include "emulator.hpp"

namespace dfx::testing::test {

/// Drives an AT port on (in, out) of an open, claimed interface.
class AtHost {
 public:
  AtHost(libusb_device_handle* handle, std::uint8_t in, std::uint8_t out)
      : handle_(handle), in_(in), out_(out) {}

  /// Writes `line` + CR; returns the libusb status.
  int send(const std::string& line) {
    std::string data = line + "\r";
    int done = 0;
    return libusb_bulk_transfer(handle_, out_, reinterpret_cast<unsigned char*>(data.data()),
                                static_cast<int>(data.size()), &done, 1000);
  }

  /// Reads IN transfers until the text holds `until` or `max_bytes` arrived or a read times out.
  std::string read_until(const std::string& until, std::size_t max_bytes = 4096,
                         unsigned timeout_ms = 500) {
    std::string got;
    while (got.find(until) == std::string::npos && got.size() < max_bytes) {
      unsigned char buf[512];
      int n = 0;
      const int r = libusb_bulk_transfer(handle_, in_, buf, sizeof buf, &n, timeout_ms);
      if (r != 0 && n == 0) break;
      got.append(reinterpret_cast<char*>(buf), static_cast<std::size_t>(n));
    }
    return got;
  }

 private:
  libusb_device_handle* handle_;
  std::uint8_t in_;
  std::uint8_t out_;
};

}  // namespace dfx::testing::test
