#include "adb_message.hpp"

#include <algorithm>
#include <cstdio>

namespace dfx::android::adb {
namespace {

void put_u32(uint8_t* out, uint32_t v) {
  out[0] = static_cast<uint8_t>(v);
  out[1] = static_cast<uint8_t>(v >> 8);
  out[2] = static_cast<uint8_t>(v >> 16);
  out[3] = static_cast<uint8_t>(v >> 24);
}

uint32_t get_u32(const uint8_t* in) {
  return static_cast<uint32_t>(in[0]) | (static_cast<uint32_t>(in[1]) << 8) |
         (static_cast<uint32_t>(in[2]) << 16) | (static_cast<uint32_t>(in[3]) << 24);
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

}  // namespace

uint32_t checksum(std::span<const uint8_t> payload) {
  uint32_t sum = 0;
  for (uint8_t b : payload) sum += b;  // wraps modulo 2^32 like adb's unsigned sum
  return sum;
}

Header make_header(uint32_t command, uint32_t arg0, uint32_t arg1,
                   std::span<const uint8_t> payload) {
  return Header{command,
                arg0,
                arg1,
                static_cast<uint32_t>(payload.size()),
                checksum(payload),
                command ^ 0xFFFFFFFFu};
}

std::array<uint8_t, kHeaderSize> encode_header(const Header& h) {
  std::array<uint8_t, kHeaderSize> out{};
  put_u32(&out[0], h.command);
  put_u32(&out[4], h.arg0);
  put_u32(&out[8], h.arg1);
  put_u32(&out[12], h.data_length);
  put_u32(&out[16], h.data_check);
  put_u32(&out[20], h.magic);
  return out;
}

std::vector<uint8_t> encode_message(const Message& m) {
  const auto head = encode_header(m.header);
  std::vector<uint8_t> out(kHeaderSize + m.payload.size());
  std::copy(head.begin(), head.end(), out.begin());
  std::copy(m.payload.begin(), m.payload.end(), out.begin() + kHeaderSize);
  return out;
}

Result<Header> decode_header(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderSize)
    return fail(Errc::malformed,
                "ADB header truncated: " + std::to_string(bytes.size()) + " of 24 bytes");
  const uint8_t* p = bytes.data();
  return Header{get_u32(p),      get_u32(p + 4),  get_u32(p + 8),
                get_u32(p + 12), get_u32(p + 16), get_u32(p + 20)};
}

bool is_known_command(uint32_t command) {
  switch (command) {
    case kCnxn:
    case kAuth:
    case kOpen:
    case kOkay:
    case kClse:
    case kWrte:
    case kStls:
      return true;
    default:
      return false;
  }
}

std::string command_name(uint32_t command) {
  if (!is_known_command(command) && command != kSync) return hex32(command);
  std::string name(4, ' ');
  for (int i = 0; i < 4; ++i) name[i] = static_cast<char>((command >> (8 * i)) & 0xFF);
  return name;
}

Status validate_header(const Header& h, uint32_t max_payload) {
  if (h.magic != (h.command ^ 0xFFFFFFFFu))
    return fail(Errc::bad_magic, "bad magic " + hex32(h.magic) + " for command " +
                                     command_name(h.command) + " (expected " +
                                     hex32(h.command ^ 0xFFFFFFFFu) + ")");
  if (!is_known_command(h.command))
    return fail(Errc::malformed, "unknown command " + command_name(h.command));
  if (h.data_length > max_payload)
    return fail(Errc::too_large, command_name(h.command) + " data_length " +
                                     std::to_string(h.data_length) + " beyond limit " +
                                     std::to_string(max_payload));
  return {};
}

Status verify_payload(const Header& h, std::span<const uint8_t> payload, bool zero_allowed) {
  if (payload.size() != h.data_length)
    return fail(Errc::malformed, command_name(h.command) + " payload of " +
                                     std::to_string(payload.size()) + " bytes, header says " +
                                     std::to_string(h.data_length));
  if (h.data_check == 0 && zero_allowed) return {};
  const uint32_t sum = checksum(payload);
  if (sum != h.data_check)
    return fail(Errc::checksum_mismatch, command_name(h.command) + " checksum mismatch: header " +
                                             hex32(h.data_check) + ", payload sums to " +
                                             hex32(sum));
  return {};
}

}  // namespace dfx::android::adb
