// Small RAII and translation helpers over libusb shared by discovery (host) and the USB session
// (probe worker).
#pragma once

#include <dfx/plugin.h>
#include <libusb.h>

#include <cstdint>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "usb/device_facts.hpp"

namespace dfx::usb {

struct ContextDeleter {
  void operator()(libusb_context* c) const { libusb_exit(c); }
};
using ContextPtr = std::unique_ptr<libusb_context, ContextDeleter>;

struct HandleDeleter {
  void operator()(libusb_device_handle* h) const { libusb_close(h); }
};
using HandlePtr = std::unique_ptr<libusb_device_handle, HandleDeleter>;

/// A fresh libusb context (one per scan or per worker: contexts are cheap and never shared).
Result<ContextPtr> open_context();

/// Maps a libusb error code to the SDK's status codes.
dfx_status to_status(int libusb_error);

/// "LIBUSB_ERROR_TIMEOUT: Operation timed out"-style text for logs and errors.
std::string describe_error(int libusb_error);

/// Reads string descriptor `index` in the device's first language, decoded to UTF-8, with our own
/// timeout (libusb's helper waits a fixed second per request).
Result<std::string> read_string(libusb_device_handle* handle, uint8_t index, unsigned timeout_ms);

/// Every alternate setting of every interface of `config`, as facts. `string_indices` (if given)
/// receives each one's iInterface, in the same order, for reading once the device is open.
std::vector<InterfaceFacts> interface_facts(const libusb_config_descriptor& config,
                                            std::vector<uint8_t>* string_indices = nullptr);

}  // namespace dfx::usb
