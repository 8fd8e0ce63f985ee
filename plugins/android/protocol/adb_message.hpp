// ADB message framing (AOSP adb/protocol.txt): a 24-byte header of six little-endian u32 words
// (command, arg0, arg1, data_length, data_check, magic) followed by data_length payload bytes.
// Pure functions: encoding, decoding and the checks a receiver makes before trusting a header.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "error.hpp"

namespace dfx::android::adb {

/// Command words (ASCII, little-endian: CNXN is "CNXN" on the wire).
inline constexpr uint32_t kCnxn = 0x4e584e43;
inline constexpr uint32_t kAuth = 0x48545541;
inline constexpr uint32_t kOpen = 0x4e45504f;
inline constexpr uint32_t kOkay = 0x59414b4f;
inline constexpr uint32_t kClse = 0x45534c43;
inline constexpr uint32_t kWrte = 0x45545257;
inline constexpr uint32_t kStls = 0x534c5453;
inline constexpr uint32_t kSync = 0x434e5953;  ///< obsolete; never valid on the wire

/// Protocol versions: the first one, and the one from which a sender may write data_check = 0.
inline constexpr uint32_t kVersionMin = 0x01000000;
inline constexpr uint32_t kVersionSkipChecksum = 0x01000001;

/// Largest payload of CNXN and AUTH packets sent before the peer's CNXN (legacy adbd limit).
inline constexpr uint32_t kMaxPayloadV1 = 4096;

/// AUTH arg0 values.
inline constexpr uint32_t kAuthToken = 1;
inline constexpr uint32_t kAuthSignature = 2;
inline constexpr uint32_t kAuthRsaPublicKey = 3;

/// Size of the header on the wire.
inline constexpr std::size_t kHeaderSize = 24;

/// A decoded header, exactly as on the wire (not yet validated).
struct Header {
  uint32_t command = 0;      ///< kCnxn, kAuth...
  uint32_t arg0 = 0;         ///< first argument (meaning depends on the command)
  uint32_t arg1 = 0;         ///< second argument
  uint32_t data_length = 0;  ///< payload bytes that follow the header
  uint32_t data_check = 0;   ///< unsigned byte sum of the payload, or 0 (see kVersionSkipChecksum)
  uint32_t magic = 0;        ///< command ^ 0xFFFFFFFF
};

/// A whole message: header plus payload.
struct Message {
  Header header;                 ///< as received, or as built by make_message
  std::vector<uint8_t> payload;  ///< data_length bytes
};

/// The unsigned byte sum of `payload` (adb's "checksum"; not a CRC despite the old field name).
uint32_t checksum(std::span<const uint8_t> payload);

/// A header for `payload` with data_length, data_check (always computed, which every peer
/// accepts) and magic filled in.
Header make_header(uint32_t command, uint32_t arg0, uint32_t arg1,
                   std::span<const uint8_t> payload);

/// The 24 wire bytes of a header.
std::array<uint8_t, kHeaderSize> encode_header(const Header& header);

/// Header and payload as one byte string (for tests and peers; the USB path sends them apart).
std::vector<uint8_t> encode_message(const Message& message);

/// Decodes the first 24 bytes; fails (malformed) when fewer are given. Does not validate.
Result<Header> decode_header(std::span<const uint8_t> bytes);

/// True for the commands a peer may send on the wire (CNXN AUTH OPEN OKAY CLSE WRTE STLS).
bool is_known_command(uint32_t command);

/// "CNXN", "AUTH"... or "0x12345678" for anything else.
std::string command_name(uint32_t command);

/// Checks what a receiver must check before reading the payload: magic (bad_magic), a known
/// command (malformed), and data_length <= max_payload (too_large).
Status validate_header(const Header& header, uint32_t max_payload);

/// Checks data_check against the payload (checksum_mismatch). A data_check of 0 is accepted
/// only when `zero_allowed` (the negotiated version is >= kVersionSkipChecksum); a non-zero
/// data_check is always verified. Also fails (malformed) when payload.size() != data_length.
Status verify_payload(const Header& header, std::span<const uint8_t> payload, bool zero_allowed);

}  // namespace dfx::android::adb
