// ADB wire format: the 24-byte message header, the payload checksum and a
// reassembler for what the host writes on the bulk OUT endpoint.
//
// Facts (AOSP adb protocol.txt and adb.h): six
// little-endian u32 — command, arg0, arg1, data_length, data_check, magic
// (command ^ 0xFFFFFFFF). data_check is the unsigned byte sum of the payload;
// peers of version 0x01000001 and later may write 0 and skip the check.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dfx/testing/usb_descriptors.hpp"

namespace dfx::testing::adb {

inline constexpr std::uint32_t A_CNXN = 0x4e584e43;
inline constexpr std::uint32_t A_AUTH = 0x48545541;
inline constexpr std::uint32_t A_OPEN = 0x4e45504f;
inline constexpr std::uint32_t A_OKAY = 0x59414b4f;
inline constexpr std::uint32_t A_WRTE = 0x45545257;
inline constexpr std::uint32_t A_CLSE = 0x45534c43;
inline constexpr std::uint32_t A_STLS = 0x534c5453;

inline constexpr std::uint32_t version_checksummed = 0x01000000;  ///< Payload checksums required.
inline constexpr std::uint32_t version_skip_checksum = 0x01000001;

inline constexpr std::uint32_t auth_token = 1;
inline constexpr std::uint32_t auth_signature = 2;
inline constexpr std::uint32_t auth_rsapublickey = 3;

inline constexpr std::size_t header_size = 24;
inline constexpr std::size_t token_size = 20;
/// CNXN and AUTH must fit in this before the peers agreed on a maximum payload.
inline constexpr std::uint32_t handshake_max_payload = 4096;

struct Header {
  std::uint32_t command = 0;
  std::uint32_t arg0 = 0;
  std::uint32_t arg1 = 0;
  std::uint32_t data_length = 0;
  std::uint32_t data_check = 0;
  std::uint32_t magic = 0;
};

/// Unsigned byte sum of a payload (the ADB "checksum").
std::uint32_t checksum(std::span<const std::uint8_t> payload);

/// The 24 header bytes.
Bytes encode_header(const Header& h);
Header decode_header(std::span<const std::uint8_t> bytes);  // bytes.size() >= header_size

/// "CNXN", "AUTH"... or the hex value of an unknown command.
std::string command_name(std::uint32_t command);

/// One complete message as received.
struct Message {
  Header header;
  Bytes payload;
};

/// Reassembles host writes (a header and its payload usually arrive as two
/// bulk transfers, but any split is accepted) into messages.
class Reassembler {
 public:
  /// `max_payload` bounds data_length; larger headers are protocol errors.
  explicit Reassembler(std::uint32_t max_payload) : max_payload_(max_payload) {}
  void set_max_payload(std::uint32_t max_payload) { max_payload_ = max_payload; }
  void feed(std::span<const std::uint8_t> bytes);
  /// The next complete message, or nullopt. Sets `error` (and drops the
  /// buffered bytes, as adbd drops the connection) on a bad magic or length.
  std::optional<Message> next(std::string& error);
  void clear() { buffer_.clear(); }

 private:
  std::uint32_t max_payload_;
  Bytes buffer_;
};

}  // namespace dfx::testing::adb
