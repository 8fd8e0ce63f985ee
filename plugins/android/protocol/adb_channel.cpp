#include "adb_channel.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "allow_list.hpp"

namespace dfx::android::adb {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds remaining(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(left, std::chrono::milliseconds{1});
}

// Reads are rounded up to whole 512-byte packets so a device that joins header and payload in
// one transfer cannot overflow our buffer; whatever extra arrives is kept in pending_.
constexpr std::size_t kReadQuantum = 512;
constexpr std::size_t kMaxRead = 64 * 1024;
// A peer sending endless zero-length packets must not keep us spinning.
constexpr int kMaxEmptyReads = 64;

}  // namespace

Channel::Channel(Transport& transport, uint32_t receive_limit)
    : transport_(transport), receive_limit_(receive_limit) {}

void Channel::set_peer(uint32_t version, uint32_t max_payload) {
  peer_version_ = version;
  peer_max_payload_ = max_payload;
}

Status Channel::send(uint32_t command, uint32_t arg0, uint32_t arg1,
                     std::span<const uint8_t> payload, std::chrono::milliseconds timeout) {
  switch (command) {
    case kCnxn:
    case kAuth:
    case kOkay:
    case kClse:
      break;
    case kOpen: {
      // The destination is NUL-terminated on the wire; the text before the NUL must be listed,
      // and nothing may follow the NUL.
      std::string_view dest(reinterpret_cast<const char*>(payload.data()), payload.size());
      if (dest.empty() || dest.back() != '\0')
        return fail(Errc::denied, "OPEN destination not NUL-terminated: refused, nothing sent");
      dest.remove_suffix(1);
      if (dest.find('\0') != std::string_view::npos || !is_allowed(android::Channel::adb, dest))
        return fail(Errc::denied,
                    "OPEN '" + std::string(dest.substr(0, 80)) +
                        "' is not on the read-only allow-list: refused, nothing sent");
      break;
    }
    default:
      return fail(Errc::denied, "ADB " + command_name(command) +
                                    " is never sent by this client: refused, nothing sent");
  }
  if (payload.size() > peer_max_payload_)
    return fail(Errc::too_large,
                command_name(command) + " payload of " + std::to_string(payload.size()) +
                    " bytes beyond the peer's limit " + std::to_string(peer_max_payload_));
  const auto header = encode_header(make_header(command, arg0, arg1, payload));
  if (auto st = transport_.write(header, timeout); !st) return st;
  if (!payload.empty())
    if (auto st = transport_.write(payload, timeout); !st) return st;
  ++sent_;
  return {};
}

Status Channel::fill(std::size_t need, Clock::time_point deadline) {
  int empty_reads = 0;
  while (pending_.size() < need) {
    if (transport_.should_stop()) return fail(Errc::cancelled, "stopped by the host");
    if (Clock::now() >= deadline) return fail(Errc::timeout, "no complete message in time");
    const std::size_t want = need - pending_.size();
    const std::size_t ask =
        std::min(kMaxRead, ((want + kReadQuantum - 1) / kReadQuantum) * kReadQuantum);
    auto got = transport_.read(ask, remaining(deadline));
    if (!got) return fail(got.error());
    if (got->empty()) {
      if (++empty_reads > kMaxEmptyReads)
        return fail(Errc::malformed, "peer sends only zero-length packets");
      continue;
    }
    pending_.insert(pending_.end(), got->begin(), got->end());
  }
  return {};
}

Result<Message> Channel::receive(std::chrono::milliseconds timeout) {
  if (broken_) return fail(*broken_);
  const auto deadline = Clock::now() + timeout;
  auto framing_error = [this](Error e) -> Result<Message> {
    broken_ = e;
    return fail(std::move(e));
  };

  if (auto st = fill(kHeaderSize, deadline); !st) {
    // A timeout with nothing pending leaves the stream in step; a partial header does not.
    if (st.error().code == Errc::timeout && pending_.empty()) return fail(st.error());
    return framing_error(st.error());
  }
  auto header = decode_header(std::span(pending_).first(kHeaderSize));
  if (!header) return framing_error(header.error());
  if (auto st = validate_header(*header, receive_limit_); !st) return framing_error(st.error());

  if (auto st = fill(kHeaderSize + header->data_length, deadline); !st)
    return framing_error(st.error());
  Message m;
  m.header = *header;
  m.payload.assign(
      pending_.begin() + kHeaderSize,
      pending_.begin() + static_cast<std::ptrdiff_t>(kHeaderSize + header->data_length));
  pending_.erase(pending_.begin(),
                 pending_.begin() + static_cast<std::ptrdiff_t>(kHeaderSize + header->data_length));

  // Zero checksums are allowed once both sides speak kVersionSkipChecksum. Before the peer's
  // CNXN we only know our own version, which the peer has already seen in our CNXN.
  // A CNXN carries the sender's version itself.
  const uint32_t peer = m.header.command == kCnxn ? m.header.arg0 : peer_version_;
  const uint32_t version = peer == 0 ? kVersionSkipChecksum : std::min(peer, kVersionSkipChecksum);
  if (auto st = verify_payload(m.header, m.payload, version >= kVersionSkipChecksum); !st)
    return framing_error(st.error());
  return m;
}

}  // namespace dfx::android::adb
