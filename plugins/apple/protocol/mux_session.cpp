#include "mux_session.hpp"

#include <algorithm>
#include <string>

namespace dfx::apple {
namespace {

using dfx::sdk::Status;
using namespace std::chrono_literals;

// The most data one TCP segment carries (usbmuxd sends up to 48 KiB; less keeps each transfer
// small and well inside any phone's window).
constexpr std::size_t kMaxSegment = 16384;
// The most bytes waiting in the connection's input: a lockdown frame (1 MiB) and a TLS record.
constexpr std::size_t kMaxBuffered = usbmux::kMaxLockdownMessage + 2 * usbmux::kMaxPacket;

}  // namespace

dfx::sdk::Result<std::chrono::milliseconds> MuxSession::remaining() const {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
  if (left <= 0ms)
    return Status::error(DFX_ERR_TIMEOUT, "usbmux: the phone did not answer in time");
  return left;
}

Status MuxSession::write_packet(usbmux::Protocol protocol, std::span<const uint8_t> payload) {
  const int header_version = version_ >= 2 ? 2 : 1;
  if (protocol == usbmux::Protocol::Setup) {
    tx_seq_ = 0;
    rx_seq_ = 0xFFFF;
  }
  const auto packet = usbmux::encode(header_version, protocol, payload, tx_seq_, rx_seq_);
  if (header_version >= 2) ++tx_seq_;
  ++packets_out_;
  return link_.write(packet);
}

dfx::sdk::Result<usbmux::Packet> MuxSession::read_packet() {
  const int header_version = version_ >= 2 ? 2 : 1;
  const std::size_t header = usbmux::header_size(header_version);
  for (;;) {
    if (in_.size() >= header) {
      auto h = usbmux::decode_header(header_version, in_);
      if (!h) return h.status();
      if (in_.size() >= h->length) {
        auto p =
            usbmux::decode_packet(header_version, std::span<const uint8_t>(in_.data(), h->length));
        in_.erase(in_.begin(), in_.begin() + h->length);
        if (!p) return p.status();
        ++packets_in_;
        return p;
      }
    }
    auto left = remaining();
    if (!left) return left.status();
    auto bytes = link_.read(std::min<std::chrono::milliseconds>(*left, 1000ms));
    if (!bytes) {
      if (bytes.status().code() == DFX_ERR_TIMEOUT) continue;  // until the deadline
      return bytes.status();
    }
    in_.insert(in_.end(), bytes->begin(), bytes->end());
  }
}

Status MuxSession::start(std::chrono::milliseconds limit) {
  const auto whole = deadline_;
  deadline_ = std::min(deadline_, Clock::now() + limit);
  struct Restore {
    Clock::time_point& d;
    Clock::time_point v;
    ~Restore() { d = v; }
  } restore{deadline_, whole};
  if (auto st = write_packet(usbmux::Protocol::Version, usbmux::version_request()); !st)
    return Status::error(st.code(), "usbmux VERSION: " + st.message());
  for (;;) {
    auto p = read_packet();
    if (!p) return Status::error(p.status().code(), "usbmux VERSION: " + p.status().message());
    if (p->header.protocol != static_cast<uint32_t>(usbmux::Protocol::Version))
      continue;  // a phone may send CONTROL messages first; only VERSION starts the session
    auto v = usbmux::decode_version(p->payload);
    if (!v) return v.status();
    if (v->major != 1 && v->major != 2)
      return Status::error(DFX_ERR_IO, "usbmux: the phone speaks version " +
                                           std::to_string(v->major) + "." +
                                           std::to_string(v->minor) + ", not 1 or 2");
    version_ = static_cast<int>(v->major);
    break;
  }
  if (version_ >= 2) {
    static constexpr uint8_t kSetup[] = {0x07};
    if (auto st = write_packet(usbmux::Protocol::Setup, kSetup); !st)
      return Status::error(st.code(), "usbmux SETUP: " + st.message());
  }
  return Status::ok();
}

Status MuxSession::pump() {
  auto p = read_packet();
  if (!p) return p.status();
  if (version_ >= 2) rx_seq_ = p->header.rx_seq;
  switch (static_cast<usbmux::Protocol>(p->header.protocol)) {
    case usbmux::Protocol::Tcp: {
      auto seg = usbmux::decode_tcp(p->payload);
      if (!seg) return seg.status();
      if (!tcp_) return Status::error(DFX_ERR_IO, "usbmux: a TCP segment with no connection open");
      const std::span<const uint8_t> data(p->payload.data() + seg->data_offset,
                                          p->payload.size() - seg->data_offset);
      auto got = tcp_->receive(seg->tcp, data);
      if (!got) return got.status();
      if (stream_.size() + got->size() > kMaxBuffered)
        return Status::error(DFX_ERR_OVERFLOW, "usbmux: the phone sent more than " +
                                                   std::to_string(kMaxBuffered) +
                                                   " bytes nobody asked for");
      stream_.insert(stream_.end(), got->begin(), got->end());
      if (!got->empty()) {
        const auto ack = usbmux::encode_tcp(tcp_->ack());
        return write_packet(usbmux::Protocol::Tcp, ack);
      }
      return Status::ok();
    }
    case usbmux::Protocol::Control:
    case usbmux::Protocol::Version:
    case usbmux::Protocol::Setup:
      return Status::ok();  // informational (CONTROL carries the phone's log lines)
  }
  return Status::error(
      DFX_ERR_IO, "usbmux: a packet of unknown protocol " + std::to_string(p->header.protocol));
}

Status MuxSession::connect(uint16_t port) {
  if (version_ == 0) return Status::error(DFX_ERR_INTERNAL, "usbmux: connect before start");
  tcp_.emplace(next_port_++, port);
  stream_.clear();
  const auto syn = usbmux::encode_tcp(tcp_->syn());
  if (auto st = write_packet(usbmux::Protocol::Tcp, syn); !st) return st;
  while (tcp_->state() == usbmux::TcpConnection::State::Connecting)
    if (auto st = pump(); !st)
      return Status::error(st.code(),
                           "connecting to port " + std::to_string(port) + ": " + st.message());
  const auto ack = usbmux::encode_tcp(tcp_->ack());
  return write_packet(usbmux::Protocol::Tcp, ack);
}

void MuxSession::close() {
  if (!tcp_ || tcp_->state() != usbmux::TcpConnection::State::Connected) return;
  const auto rst = usbmux::encode_tcp(tcp_->reset());
  (void)write_packet(usbmux::Protocol::Tcp, rst);
}

Status MuxSession::send(std::span<const uint8_t> bytes) {
  if (!tcp_ || tcp_->state() != usbmux::TcpConnection::State::Connected)
    return Status::error(DFX_ERR_IO, "usbmux: no open connection to send on");
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), kMaxSegment);
    // Stay inside the phone's window: wait for its ACKs (taking any data that comes with them).
    while (tcp_->unacknowledged() + n > std::max<uint32_t>(tcp_->peer_window(), kMaxSegment))
      if (auto st = pump(); !st) return st;
    const auto header = tcp_->data(n);
    if (auto st = write_packet(usbmux::Protocol::Tcp, usbmux::encode_tcp(header, bytes.first(n)));
        !st)
      return st;
    bytes = bytes.subspan(n);
  }
  return Status::ok();
}

Status MuxSession::receive_exact(std::size_t count, std::vector<uint8_t>& out) {
  if (count > kMaxBuffered)
    return Status::error(DFX_ERR_OVERFLOW,
                         "usbmux: " + std::to_string(count) + " bytes asked for in one read");
  while (stream_.size() < count) {
    if (!tcp_ || tcp_->state() != usbmux::TcpConnection::State::Connected)
      return Status::error(DFX_ERR_IO, "usbmux: the connection is closed");
    if (auto st = pump(); !st) return st;
  }
  out.insert(out.end(), stream_.begin(), stream_.begin() + static_cast<std::ptrdiff_t>(count));
  stream_.erase(stream_.begin(), stream_.begin() + static_cast<std::ptrdiff_t>(count));
  return Status::ok();
}

}  // namespace dfx::apple
