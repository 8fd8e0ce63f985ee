#include "usbmux.hpp"

namespace dfx::apple::usbmux {
namespace {

using dfx::sdk::Status;

void put32(std::vector<uint8_t>& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v >> 24));
  out.push_back(static_cast<uint8_t>(v >> 16));
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
uint32_t get32(std::span<const uint8_t> b, std::size_t at) {
  return uint32_t{b[at]} << 24 | uint32_t{b[at + 1]} << 16 | uint32_t{b[at + 2]} << 8 |
         uint32_t{b[at + 3]};
}
uint16_t get16(std::span<const uint8_t> b, std::size_t at) {
  return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}

std::string hex32(uint32_t v) {
  static const char* digits = "0123456789ABCDEF";
  std::string s = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) s.push_back(digits[v >> shift & 15]);
  return s;
}

}  // namespace

std::vector<uint8_t> encode(int version, Protocol protocol, std::span<const uint8_t> payload,
                            uint16_t tx_seq, uint16_t rx_seq) {
  std::vector<uint8_t> out;
  const std::size_t header = header_size(version);
  out.reserve(header + payload.size());
  put32(out, static_cast<uint32_t>(protocol));
  put32(out, static_cast<uint32_t>(header + payload.size()));
  if (version >= 2) {
    put32(out, kMagic);
    put16(out, tx_seq);
    put16(out, rx_seq);
  }
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

dfx::sdk::Result<Header> decode_header(int version, std::span<const uint8_t> bytes) {
  const std::size_t size = header_size(version);
  if (bytes.size() < size)
    return Status::error(DFX_ERR_IO, "usbmux: " + std::to_string(bytes.size()) +
                                         " bytes, fewer than a version " + std::to_string(version) +
                                         " header");
  Header h;
  h.protocol = get32(bytes, 0);
  h.length = get32(bytes, 4);
  if (h.length < size)
    return Status::error(DFX_ERR_IO, "usbmux: packet length " + std::to_string(h.length) +
                                         " is shorter than its header");
  if (h.length > kMaxPacket)
    return Status::error(DFX_ERR_OVERFLOW, "usbmux: packet length " + std::to_string(h.length) +
                                               " is over the limit of " +
                                               std::to_string(kMaxPacket));
  if (version >= 2) {
    if (const uint32_t magic = get32(bytes, 8); magic != kMagic)
      return Status::error(
          DFX_ERR_IO, "usbmux: version 2 header with magic " + hex32(magic) + ", not 0xFEEDFACE");
    h.tx_seq = get16(bytes, 12);
    h.rx_seq = get16(bytes, 14);
  }
  return h;
}

dfx::sdk::Result<Packet> decode_packet(int version, std::span<const uint8_t> bytes) {
  auto header = decode_header(version, bytes);
  if (!header) return header.status();
  if (header->length != bytes.size())
    return Status::error(DFX_ERR_IO, "usbmux: packet of " + std::to_string(bytes.size()) +
                                         " bytes whose header says " +
                                         std::to_string(header->length));
  Packet p;
  p.header = *header;
  const auto body = bytes.subspan(header_size(version));
  p.payload.assign(body.begin(), body.end());
  return p;
}

std::vector<uint8_t> version_request(uint32_t major, uint32_t minor) {
  std::vector<uint8_t> out;
  put32(out, major);
  put32(out, minor);
  put32(out, 0);
  return out;
}

dfx::sdk::Result<Version> decode_version(std::span<const uint8_t> payload) {
  if (payload.size() < 8)
    return Status::error(DFX_ERR_IO, "usbmux: VERSION answer of " + std::to_string(payload.size()) +
                                         " bytes, fewer than 8");
  return Version{get32(payload, 0), get32(payload, 4)};
}

std::vector<uint8_t> encode_tcp(const Tcp& tcp, std::span<const uint8_t> data) {
  std::vector<uint8_t> out;
  out.reserve(kTcpHeader + data.size());
  put16(out, tcp.source_port);
  put16(out, tcp.destination_port);
  put32(out, tcp.sequence);
  put32(out, tcp.acknowledgement);
  out.push_back(0x50);  // data offset: 5 words, no options
  out.push_back(tcp.flags);
  put16(out, tcp.window);
  put16(out, 0);  // checksum: not used over usbmux
  put16(out, 0);  // urgent pointer
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

dfx::sdk::Result<TcpSegment> decode_tcp(std::span<const uint8_t> payload) {
  if (payload.size() < kTcpHeader)
    return Status::error(DFX_ERR_IO, "usbmux: TCP payload of " + std::to_string(payload.size()) +
                                         " bytes, shorter than a TCP header");
  TcpSegment s;
  s.tcp.source_port = get16(payload, 0);
  s.tcp.destination_port = get16(payload, 2);
  s.tcp.sequence = get32(payload, 4);
  s.tcp.acknowledgement = get32(payload, 8);
  s.tcp.flags = payload[13];
  s.tcp.window = get16(payload, 14);
  s.data_offset = std::size_t{payload[12]} >> 4 << 2;
  if (s.data_offset < kTcpHeader || s.data_offset > payload.size())
    return Status::error(DFX_ERR_IO, "usbmux: TCP data offset " + std::to_string(s.data_offset) +
                                         " outside a payload of " + std::to_string(payload.size()) +
                                         " bytes");
  return s;
}

std::vector<uint8_t> encode_lockdown(std::span<const uint8_t> plist) {
  std::vector<uint8_t> out;
  out.reserve(4 + plist.size());
  put32(out, static_cast<uint32_t>(plist.size()));
  out.insert(out.end(), plist.begin(), plist.end());
  return out;
}

dfx::sdk::Result<uint32_t> lockdown_length(std::span<const uint8_t> prefix, uint32_t limit) {
  if (prefix.size() < 4) return Status::error(DFX_ERR_IO, "lockdown: fewer than 4 bytes of length");
  const uint32_t length = get32(prefix, 0);
  if (length == 0) return Status::error(DFX_ERR_IO, "lockdown: a message of length 0");
  if (length > limit)
    return Status::error(DFX_ERR_OVERFLOW, "lockdown: a message of " + std::to_string(length) +
                                               " bytes announced, over the limit of " +
                                               std::to_string(limit));
  return length;
}

}  // namespace dfx::apple::usbmux
