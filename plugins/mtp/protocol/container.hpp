// PTP containers as they travel on the USB bulk pipes (PIMA 15740 / ISO 15740 USB transport,
// libgphoto2 ptp.h): a 12-byte little-endian header — u32 length of the whole container, u16 type
// (1 command, 2 data, 3 response, 4 event), u16 operation/response code, u32 transaction id —
// then up to five u32 parameters (command, response, event) or the dataset bytes (data).
// Pure code: encoding and decoding only, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "error.hpp"

namespace dfx::mtp {

/// Container types (the u16 after the length).
enum class ContainerType : uint16_t {
  command = 1,   ///< an operation request from the host
  data = 2,      ///< a data phase (either direction)
  response = 3,  ///< the device's answer ending a transaction
  event = 4,     ///< an asynchronous event (interrupt endpoint)
};

/// Header size in bytes: length, type, code, transaction id.
inline constexpr std::size_t kHeaderSize = 12;
/// Most parameters a command or response container carries.
inline constexpr std::size_t kMaxParams = 5;

/// Operation codes this code names (the plugin sends only GetDeviceInfo).
namespace op {
inline constexpr uint16_t get_device_info = 0x1001;  ///< allowed outside a session
inline constexpr uint16_t open_session = 0x1002;     ///< never sent by the plugin
inline constexpr uint16_t close_session = 0x1003;
inline constexpr uint16_t get_storage_ids = 0x1004;
inline constexpr uint16_t get_device_prop_desc = 0x1014;
inline constexpr uint16_t get_device_prop_value = 0x1015;
}  // namespace op

/// Response codes this code names.
namespace rc {
inline constexpr uint16_t ok = 0x2001;
inline constexpr uint16_t general_error = 0x2002;
inline constexpr uint16_t session_not_open = 0x2003;
inline constexpr uint16_t operation_not_supported = 0x2005;
inline constexpr uint16_t parameter_not_supported = 0x2006;
inline constexpr uint16_t device_busy = 0x2019;
inline constexpr uint16_t invalid_parameter = 0x201D;
inline constexpr uint16_t session_already_open = 0x201E;
}  // namespace rc

/// The fixed header of any container.
struct ContainerHeader {
  uint32_t length = 0;  ///< whole container, header included
  uint16_t type = 0;    ///< ContainerType value as sent (unknown values are kept)
  uint16_t code = 0;    ///< operation, response or event code
  uint32_t transaction_id = 0;
};

/// A decoded container: its header and either parameters or payload.
struct Container {
  ContainerHeader header;
  std::vector<uint32_t> params;  ///< command/response/event: the u32 parameters
  std::vector<uint8_t> payload;  ///< data: the bytes after the header
};

/// The bytes of a command container: header, then `params` (at most kMaxParams).
std::vector<uint8_t> encode_command(uint16_t code, uint32_t transaction_id,
                                    std::span<const uint32_t> params = {});

/// The bytes of a response container (used by the emulator and tests).
std::vector<uint8_t> encode_response(uint16_t code, uint32_t transaction_id,
                                     std::span<const uint32_t> params = {});

/// The bytes of a data container holding `payload` (used by the emulator and tests).
std::vector<uint8_t> encode_data(uint16_t code, uint32_t transaction_id,
                                 std::span<const uint8_t> payload);

/// Reads the 12-byte header at the start of `bytes`. Errors: truncated (fewer than 12 bytes),
/// malformed (a length below 12).
Result<ContainerHeader> decode_header(std::span<const uint8_t> bytes);

/// Decodes one whole container: `bytes` must be exactly header.length long. Command, response
/// and event containers must carry a whole number of u32 parameters, at most five; data keeps
/// its payload; any other type is malformed. Errors name the field and the offset.
Result<Container> decode_container(std::span<const uint8_t> bytes);

/// "OperationNotSupported (0x2005)": the response code's name from PTP/MTP where known, with its
/// hex value, for error messages.
std::string response_code_name(uint16_t code);

/// "GetDeviceInfo (0x1001)": the operation's name where known, with its hex value.
std::string operation_name(uint16_t code);

/// "0x2001": four hex digits.
std::string hex16(uint16_t value);

}  // namespace dfx::mtp
