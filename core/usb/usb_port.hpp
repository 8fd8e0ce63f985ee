// What a plugin's USB calls reach: the device, through the host API. Two implementations: the
// session that holds the device (usb_session.hpp, in the worker, outside the sandbox) and the
// client of the USB broker (probe/usb_broker.hpp, inside the sandbox, which holds no device).
#pragma once

#include <dfx/plugin.h>

#include <cstdint>
#include <string>

#include "base/result.hpp"

namespace dfx::usb {

/// A failed USB operation: the SDK status and a sentence saying what failed.
struct UsbError {
  dfx_status status;
  std::string message;
};
template <typename T>
using UsbResult = tl::expected<T, UsbError>;

/// The USB operations of the host API (<dfx/plugin.h>), on the one device of a probe. Lengths
/// are those of the caller's buffer; results are the bytes transferred.
class UsbPort {
 public:
  virtual ~UsbPort() = default;
  virtual UsbResult<void> claim_interface(uint8_t number) = 0;
  virtual UsbResult<void> release_interface(uint8_t number) = 0;
  virtual UsbResult<uint32_t> control(uint8_t request_type, uint8_t request, uint16_t value,
                                      uint16_t index, uint8_t* data, uint16_t length,
                                      uint32_t timeout_ms) = 0;
  virtual UsbResult<uint32_t> bulk(uint8_t endpoint, uint8_t* data, uint32_t length,
                                   uint32_t timeout_ms) = 0;
  virtual UsbResult<uint32_t> interrupt(uint8_t endpoint, uint8_t* data, uint32_t length,
                                        uint32_t timeout_ms) = 0;
  virtual UsbResult<std::string> string_descriptor(uint8_t index, uint32_t timeout_ms) = 0;
  /// Makes configuration `value` active (see dfx_host_api's select_configuration); returns the
  /// configuration that was active before (== value when nothing was sent).
  virtual UsbResult<uint8_t> select_configuration(uint8_t value) = 0;
};

}  // namespace dfx::usb
