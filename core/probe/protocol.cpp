#include "probe/protocol.hpp"

#include <cstdio>

namespace dfx::probe {
namespace {

constexpr char kMagic[4] = {'D', 'F', 'X', 'P'};

void put_u16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>(v >> 8));
}
void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
uint32_t get_le(const char* p, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

bool known_type(uint16_t t) {
  return t >= 1 && t <= 10;
}

std::string hex_bytes(const char* p, std::size_t n) {
  std::string s;
  char b[4];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(b, sizeof b, "%02x", static_cast<unsigned char>(p[i]));
    s += b;
  }
  return s;
}

}  // namespace

std::string encode_frame(FrameType type, std::string_view payload) {
  std::string out;
  out.reserve(kHeaderSize + payload.size());
  out.append(kMagic, 4);
  put_u16(out, kProtocolVersion);
  put_u16(out, static_cast<uint16_t>(type));
  put_u32(out, static_cast<uint32_t>(payload.size()));
  out.append(payload);
  return out;
}

void FrameDecoder::feed(std::string_view bytes) {
  if (error_) return;
  // Drop consumed bytes before growing, so a long stream does not keep everything it ever read.
  if (offset_ > 0 && offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  } else if (offset_ > (1u << 16)) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  buffer_.append(bytes);
}

Result<std::optional<Frame>> FrameDecoder::next() {
  if (error_) return tl::unexpected(*error_);
  const std::size_t avail = buffer_.size() - offset_;
  if (avail < kHeaderSize) {
    // Check the magic as soon as its bytes arrive: junk is reported without waiting for more.
    const std::size_t n = avail < 4 ? avail : 4;
    if (std::string_view(buffer_.data() + offset_, n) != std::string_view(kMagic, n)) {
      error_ = Error{"bad magic 0x" + hex_bytes(buffer_.data() + offset_, n) +
                     " (not a dfx-probe frame)"};
      return tl::unexpected(*error_);
    }
    return std::optional<Frame>{};
  }
  const char* h = buffer_.data() + offset_;
  if (std::string_view(h, 4) != std::string_view(kMagic, 4))
    error_ = Error{"bad magic 0x" + hex_bytes(h, 4) + " (not a dfx-probe frame)"};
  else if (const auto version = get_le(h + 4, 2); version != kProtocolVersion)
    error_ = Error{"peer speaks probe protocol " + std::to_string(version) + ", this side " +
                   std::to_string(kProtocolVersion)};
  else if (const auto type = get_le(h + 6, 2); !known_type(static_cast<uint16_t>(type)))
    error_ = Error{"unknown frame type " + std::to_string(type)};
  else if (const auto len = get_le(h + 8, 4); len > max_payload_)
    error_ = Error{"frame payload of " + std::to_string(len) + " bytes exceeds the " +
                   std::to_string(max_payload_) + "-byte limit"};
  if (error_) return tl::unexpected(*error_);

  const uint32_t len = get_le(h + 8, 4);
  if (avail < kHeaderSize + len) return std::optional<Frame>{};
  Frame f{static_cast<FrameType>(get_le(h + 6, 2)), std::string(h + kHeaderSize, len)};
  offset_ += kHeaderSize + len;
  return std::optional<Frame>{std::move(f)};
}

}  // namespace dfx::probe
