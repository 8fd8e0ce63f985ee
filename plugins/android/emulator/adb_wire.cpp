// ADB wire format (see adb_wire.hpp).
#include "adb_wire.hpp"

#include <cstdio>

namespace dfx::testing::adb {
namespace {

void put32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint32_t get32(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

}  // namespace

std::uint32_t checksum(std::span<const std::uint8_t> payload) {
  std::uint32_t sum = 0;
  for (auto b : payload) sum += b;
  return sum;
}

Bytes encode_header(const Header& h) {
  Bytes out;
  out.reserve(header_size);
  put32(out, h.command);
  put32(out, h.arg0);
  put32(out, h.arg1);
  put32(out, h.data_length);
  put32(out, h.data_check);
  put32(out, h.magic);
  return out;
}

Header decode_header(std::span<const std::uint8_t> b) {
  return Header{get32(b, 0), get32(b, 4), get32(b, 8), get32(b, 12), get32(b, 16), get32(b, 20)};
}

std::string command_name(std::uint32_t command) {
  switch (command) {
    case A_CNXN:
      return "CNXN";
    case A_AUTH:
      return "AUTH";
    case A_OPEN:
      return "OPEN";
    case A_OKAY:
      return "OKAY";
    case A_WRTE:
      return "WRTE";
    case A_CLSE:
      return "CLSE";
    case A_STLS:
      return "STLS";
    default: {
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%08x", command);
      return buf;
    }
  }
}

void Reassembler::feed(std::span<const std::uint8_t> bytes) {
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

std::optional<Message> Reassembler::next(std::string& error) {
  if (buffer_.size() < header_size) return std::nullopt;
  const Header h = decode_header(buffer_);
  if (h.magic != (h.command ^ 0xFFFFFFFFu)) {
    error = "bad magic in " + command_name(h.command) + " header";
    buffer_.clear();
    return std::nullopt;
  }
  if (h.data_length > max_payload_) {
    error = command_name(h.command) + " data_length " + std::to_string(h.data_length) +
            " exceeds the maximum payload " + std::to_string(max_payload_);
    buffer_.clear();
    return std::nullopt;
  }
  if (buffer_.size() < header_size + h.data_length) return std::nullopt;
  Message m{h, Bytes(buffer_.begin() + header_size, buffer_.begin() + header_size + h.data_length)};
  buffer_.erase(buffer_.begin(), buffer_.begin() + header_size + h.data_length);
  return m;
}

}  // namespace dfx::testing::adb
