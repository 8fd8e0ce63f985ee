#include "adb_session.hpp"

#include <algorithm>

#include "allow_list.hpp"

namespace dfx::android::adb {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

milliseconds left(Clock::time_point deadline) {
  return std::max(std::chrono::duration_cast<milliseconds>(deadline - Clock::now()),
                  milliseconds{0});
}

std::span<const uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

constexpr std::size_t kTokenSize = 20;
// Our identity: "host" with no serial and no banner; adbd only needs the "host" system type.
constexpr std::string_view kHostBanner{"host::\0", 7};

}  // namespace

Session::Session(Transport& transport, const AuthKeys& keys, SessionLimits limits)
    : transport_(transport),
      keys_(keys),
      limits_(limits),
      channel_(transport, limits.max_payload) {}

Result<Connection> Session::connect() {
  Connection c;
  if (auto st = channel_.send(kCnxn, kVersionSkipChecksum, limits_.max_payload, bytes(kHostBanner),
                              limits_.io_timeout);
      !st)
    return fail(st.error(), "sending CNXN");

  const auto deadline = Clock::now() + limits_.connect_timeout;
  Clock::time_point grace_end = Clock::time_point::max();
  std::size_t ignored = 0;

  while (true) {
    if (transport_.should_stop()) return fail(Errc::cancelled, "stopped by the host during AUTH");
    const auto now = Clock::now();
    if (c.public_key_offered && now >= grace_end) return c;  // the user has not accepted (yet)
    if (now >= deadline) {
      if (c.auth_required) return c;  // kept asking for AUTH: treat as unauthorised
      return fail(Errc::timeout, "no CNXN or AUTH from the device within " +
                                     std::to_string(limits_.connect_timeout.count()) + " ms");
    }
    auto wait = std::min({limits_.io_timeout, left(deadline), left(grace_end)});
    auto msg = channel_.receive(std::max(wait, milliseconds{1}));
    if (!msg) {
      if (msg.error().code == Errc::timeout) continue;  // deadlines are checked at the top
      return fail(msg.error(), "connecting");
    }

    const auto& h = msg->header;
    if (h.command == kCnxn) {
      auto banner = parse_banner(std::string_view(
          reinterpret_cast<const char*>(msg->payload.data()), msg->payload.size()));
      if (!banner) return fail(banner.error(), "CNXN banner");
      if (h.arg1 < 256)
        return fail(Errc::malformed,
                    "device's CNXN maxdata " + std::to_string(h.arg1) + " is too small");
      channel_.set_peer(h.arg0, h.arg1);
      c.authorized = true;
      c.banner = std::move(*banner);
      c.peer_version = h.arg0;
      c.peer_max_payload = h.arg1;
      connected_ = true;
      return c;
    }
    if (h.command == kStls)
      return fail(Errc::unsupported, "the device asks for TLS (wireless debugging), not supported");
    if (h.command != kAuth || h.arg0 != kAuthToken) {
      // The protocol says to ignore anything before CNXN; a flood of it is still an error.
      if (++ignored > limits_.max_ignored)
        return fail(Errc::unexpected, "too many messages other than AUTH/CNXN while connecting");
      continue;
    }

    c.auth_required = true;
    if (msg->payload.size() != kTokenSize)
      return fail(Errc::malformed,
                  "AUTH token of " + std::to_string(msg->payload.size()) + " bytes (expected 20)");
    if (c.public_key_offered) return c;  // asked again after the key offer: not accepted

    bool answered = false;
    while (c.signatures_sent < keys_.count() && !answered) {
      auto sig = keys_.sign(c.signatures_sent++, msg->payload);
      if (!sig) continue;  // an unusable key: try the next one on the same token
      if (auto st = channel_.send(kAuth, kAuthSignature, 0, *sig, limits_.io_timeout); !st)
        return fail(st.error(), "sending AUTH SIGNATURE");
      answered = true;
    }
    if (answered) continue;

    auto key = keys_.public_key();
    if (!key) return c;  // nothing to offer: unauthorised, and the phone cannot even ask
    std::string payload = *key;
    payload.push_back('\0');  // adbd expects a NUL-terminated string
    if (payload.size() > kMaxPayloadV1)
      return fail(Errc::too_large, "public key of " + std::to_string(payload.size()) +
                                       " bytes does not fit an AUTH packet");
    if (auto st = channel_.send(kAuth, kAuthRsaPublicKey, 0, bytes(payload), limits_.io_timeout);
        !st)
      return fail(st.error(), "sending AUTH RSAPUBLICKEY");
    c.public_key_offered = true;
    grace_end = Clock::now() + limits_.unauthorized_grace;
  }
}

Result<std::string> Session::shell(std::string_view service) {
  if (!is_allowed(android::Channel::adb, service))
    return fail(Errc::denied, "'" + std::string(service.substr(0, 80)) +
                                  "' is not on the read-only allow-list: refused, nothing sent");
  if (!connected_) return fail(Errc::unexpected, "not connected");

  const uint32_t local = next_local_id_++;
  std::string open(service);
  open.push_back('\0');
  if (auto st = channel_.send(kOpen, local, 0, bytes(open), limits_.io_timeout); !st)
    return fail(st.error(), "OPEN " + std::string(service));

  const auto deadline = Clock::now() + limits_.stream_timeout;
  uint32_t remote = 0;
  std::string out;
  std::size_t packets = 0, ignored = 0;
  auto close_quietly = [&] {
    if (remote != 0) (void)channel_.send(kClse, local, remote, {}, limits_.io_timeout);
  };

  while (true) {
    if (transport_.should_stop()) {
      close_quietly();
      return fail(Errc::cancelled, "stopped by the host during " + std::string(service));
    }
    if (Clock::now() >= deadline) {
      close_quietly();
      return fail(Errc::timeout, "'" + std::string(service) + "' did not finish within " +
                                     std::to_string(limits_.stream_timeout.count()) + " ms");
    }
    auto msg =
        channel_.receive(std::max(std::min(limits_.io_timeout, left(deadline)), milliseconds{1}));
    if (!msg) {
      if (msg.error().code == Errc::timeout) continue;
      connected_ = false;  // a framing or transport error: the connection is unusable
      return fail(msg.error(), std::string(service));
    }
    if (++packets > limits_.max_stream_packets) {
      close_quietly();
      return fail(Errc::too_large, "'" + std::string(service) + "': more than " +
                                       std::to_string(limits_.max_stream_packets) + " packets");
    }
    const auto& h = msg->header;
    const bool ours = h.arg1 == local;
    switch (h.command) {
      case kOkay:
        if (!ours) break;
        if (remote == 0) remote = h.arg0;
        continue;
      case kWrte:
        if (!ours) break;
        if (remote == 0) remote = h.arg0;
        if (out.size() + msg->payload.size() > limits_.max_stream_bytes) {
          close_quietly();
          return fail(Errc::too_large, "output of '" + std::string(service) + "' beyond " +
                                           std::to_string(limits_.max_stream_bytes) + " bytes");
        }
        out.append(reinterpret_cast<const char*>(msg->payload.data()), msg->payload.size());
        if (auto st = channel_.send(kOkay, local, remote, {}, limits_.io_timeout); !st)
          return fail(st.error(), "acknowledging WRTE of " + std::string(service));
        continue;
      case kClse:
        if (!ours) break;
        if (remote == 0)
          return fail(Errc::refused, "the device refused to open '" + std::string(service) + "'");
        return out;
      case kCnxn:
      case kAuth:
        connected_ = false;
        return fail(Errc::unexpected, "the device restarted the connection (" +
                                          command_name(h.command) + ") during " +
                                          std::string(service));
      default:
        break;
    }
    // Late packets of an earlier stream, or an OPEN from the device: ignored, within bounds.
    if (++ignored > limits_.max_ignored) {
      close_quietly();
      return fail(Errc::unexpected, "too many stray messages during " + std::string(service));
    }
  }
}

}  // namespace dfx::android::adb
