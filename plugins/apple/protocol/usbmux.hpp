// usbmux, the framing an iPhone in normal mode speaks on its Apple Mobile Device interface
// (class 0xFF, subclass 0xFE, protocol 0x02), and the lockdownd frames carried over its TCP-like
// connections. Pure functions over bytes: encoding what the host sends, decoding (as hostile
// input) what the phone answers. The transport (bulk transfers through the host API) is the
// plugin's; see README.md.
//
// Wire format (big-endian): a version 1 header is {protocol u32, length u32}; version 2 adds
// {magic 0xFEEDFACE u32, tx_seq u16, rx_seq u16}. `length` counts the header. Protocols: VERSION
// 0 (payload {major, minor, padding} u32 each), CONTROL 1, SETUP 2, TCP 6 (a 20-byte TCP header,
// then data). lockdownd (port 62078) frames are a 4-byte big-endian length and a plist.
#pragma once

#include <dfx/sdk/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dfx::apple::usbmux {

inline constexpr uint32_t kMagic = 0xFEEDFACE;
inline constexpr std::size_t kHeaderV1 = 8;
inline constexpr std::size_t kHeaderV2 = 16;
/// The largest usbmux packet read: usbmuxd's own receive buffer is 64 KiB plus the header.
inline constexpr uint32_t kMaxPacket = 65536 + kHeaderV2;
/// The largest lockdown message read (a GetValue answer is a few KiB).
inline constexpr uint32_t kMaxLockdownMessage = 1u << 20;
/// lockdownd's port on the phone.
inline constexpr uint16_t kLockdownPort = 62078;

enum class Protocol : uint32_t { Version = 0, Control = 1, Setup = 2, Tcp = 6 };

/// A usbmux packet header. `version` is 1 or 2 (the header's form, chosen by the VERSION
/// exchange); the sequence numbers exist in version 2 only.
struct Header {
  uint32_t protocol = 0;
  uint32_t length = 0;  ///< header and payload
  uint16_t tx_seq = 0;
  uint16_t rx_seq = 0;
};

/// A decoded packet.
struct Packet {
  Header header;
  std::vector<uint8_t> payload;
};

/// `payload` framed as `protocol` with a header of `version` (1 or 2) and those sequence numbers.
std::vector<uint8_t> encode(int version, Protocol protocol, std::span<const uint8_t> payload,
                            uint16_t tx_seq = 0, uint16_t rx_seq = 0);

/// The header's size for `version`.
constexpr std::size_t header_size(int version) {
  return version >= 2 ? kHeaderV2 : kHeaderV1;
}

/// Decodes the header at the start of `bytes` (at least header_size(version) of them). Refuses
/// a length shorter than the header or above kMaxPacket, and a version 2 header without the
/// magic, saying which.
dfx::sdk::Result<Header> decode_header(int version, std::span<const uint8_t> bytes);

/// Decodes one whole packet: exactly `bytes`, whose length the header must state.
dfx::sdk::Result<Packet> decode_packet(int version, std::span<const uint8_t> bytes);

/// The VERSION request the host sends first: {major, minor, 0}.
std::vector<uint8_t> version_request(uint32_t major = 2, uint32_t minor = 0);

/// The phone's VERSION answer: {major, minor}. Refuses a payload shorter than 8 bytes.
struct Version {
  uint32_t major = 0;
  uint32_t minor = 0;
};
dfx::sdk::Result<Version> decode_version(std::span<const uint8_t> payload);

/// The 20-byte TCP header usbmux carries (no options).
struct Tcp {
  uint16_t source_port = 0;
  uint16_t destination_port = 0;
  uint32_t sequence = 0;
  uint32_t acknowledgement = 0;
  uint8_t flags = 0;  ///< kFin, kSyn, kRst, kAck
  uint16_t window = 0;
};
inline constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kAck = 0x10;
inline constexpr std::size_t kTcpHeader = 20;

/// `tcp` followed by `data`: the payload of a TCP packet.
std::vector<uint8_t> encode_tcp(const Tcp& tcp, std::span<const uint8_t> data = {});

/// The TCP header at the start of a TCP packet's payload, and the offset of its data. Refuses a
/// payload shorter than the header or a data offset outside the payload.
struct TcpSegment {
  Tcp tcp;
  std::size_t data_offset = 0;
};
dfx::sdk::Result<TcpSegment> decode_tcp(std::span<const uint8_t> payload);

/// A lockdown message: its 4-byte big-endian length, then `plist`.
std::vector<uint8_t> encode_lockdown(std::span<const uint8_t> plist);

/// The length a lockdown message announces in its first 4 bytes. Refuses 0 and lengths above
/// `limit` (a hostile phone announcing 4 GiB), saying so.
dfx::sdk::Result<uint32_t> lockdown_length(std::span<const uint8_t> prefix,
                                           uint32_t limit = kMaxLockdownMessage);

}  // namespace dfx::apple::usbmux
