// The phone's side of usbmux (see mux_link.hpp).
#include "mux_link.hpp"

#include <algorithm>
#include <random>
#include <string>

#include "usbmux.hpp"

namespace dfx::testing::apple {
namespace {

namespace mux = dfx::apple::usbmux;

std::uint32_t get32(std::span<const std::uint8_t> b) {
  return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 |
         std::uint32_t{b[3]};
}

int header_version(int version) {
  return version == 0 ? 1 : version;
}

}  // namespace

bool MuxLink::on_bytes(std::span<const std::uint8_t> data, const Send& send) {
  rx_.insert(rx_.end(), data.begin(), data.end());
  for (;;) {
    const int v = header_version(version_);
    if (rx_.size() < mux::header_size(v)) return true;
    const auto header = mux::decode_header(v, rx_);
    if (!header) {
      // Nothing to resynchronise on in a byte stream: drop what is buffered.
      rec_.errors.push_back(header.status().message());
      rx_.clear();
      return true;
    }
    if (rx_.size() < header->length) return true;
    const Bytes payload(rx_.begin() + static_cast<std::ptrdiff_t>(mux::header_size(v)),
                        rx_.begin() + header->length);
    rx_.erase(rx_.begin(), rx_.begin() + header->length);
    if (v >= 2) rx_seq_ = header->tx_seq;
    if (!on_packet(header->protocol, payload, send)) return false;
  }
}

bool MuxLink::on_packet(std::uint32_t protocol, std::span<const std::uint8_t> payload,
                        const Send& send) {
  switch (static_cast<mux::Protocol>(protocol)) {
    case mux::Protocol::Version: {
      if (payload.size() < 8) {
        rec_.errors.push_back("usbmux: VERSION request of " + std::to_string(payload.size()) +
                              " bytes");
        return true;
      }
      if (version_ != 0) {
        rec_.errors.push_back("usbmux: a second VERSION request");
        return true;
      }
      if (cfg_.hostile == Hostile::never_answers) return true;
      // The answer goes with a version 1 header: the host parses it before it knows the version.
      const std::uint32_t major = get32(payload) == 1 ? 1 : 2;
      send_packet(0, mux::version_request(major, 0), send);
      version_ = static_cast<int>(major);
      rec_.version_answered = true;
      return true;
    }
    case mux::Protocol::Setup:
      rec_.setup_received = true;
      tx_seq_ = 0;  // the phone numbers its packets from here on
      return true;
    case mux::Protocol::Control:
      return true;
    case mux::Protocol::Tcp:
      if (version_ == 0) {
        rec_.errors.push_back("usbmux: TCP before VERSION");
        return true;
      }
      return on_tcp(payload, send);
  }
  rec_.errors.push_back("usbmux: unknown protocol " + std::to_string(protocol));
  return true;
}

void MuxLink::send_packet(std::uint32_t protocol, std::span<const std::uint8_t> payload,
                          const Send& send) {
  const int v = header_version(version_);
  send(mux::encode(v, static_cast<mux::Protocol>(protocol), payload, tx_seq_, rx_seq_));
  if (v >= 2) ++tx_seq_;
}

void MuxLink::send_tcp(Connection& c, std::uint8_t flags, std::span<const std::uint8_t> data,
                       const Send& send) {
  mux::Tcp t;
  t.source_port = c.phone_port;
  t.destination_port = c.host_port;
  t.sequence = c.snd_nxt;
  t.acknowledgement = c.rcv_nxt;
  t.flags = flags;
  t.window = window_units;
  send_packet(static_cast<std::uint32_t>(mux::Protocol::Tcp), mux::encode_tcp(t, data), send);
}

bool MuxLink::on_tcp(std::span<const std::uint8_t> payload, const Send& send) {
  const auto segment = mux::decode_tcp(payload);
  if (!segment) {
    rec_.errors.push_back(segment.status().message());
    return true;
  }
  const mux::Tcp& in = segment->tcp;
  const auto data = payload.subspan(segment->data_offset);
  auto it = connections_.find(in.source_port);

  if (in.flags & mux::kRst) {  // usbmuxd's way of closing
    if (it != connections_.end()) connections_.erase(it);
    return true;
  }

  if ((in.flags & mux::kSyn) && !(in.flags & mux::kAck)) {
    rec_.syn_ports.push_back(in.destination_port);
    if (in.destination_port != mux::kLockdownPort) {
      // Nobody listens there: refused, as a TCP stack refuses.
      ++rec_.connections_refused;
      Connection refused;
      refused.host_port = in.source_port;
      refused.phone_port = in.destination_port;
      refused.rcv_nxt = in.sequence + 1;
      send_tcp(refused, mux::kRst | mux::kAck, {}, send);
      return true;
    }
    Connection c;
    c.host_port = in.source_port;
    c.phone_port = in.destination_port;
    c.snd_nxt = std::random_device{}();  // the phone's own initial sequence number
    c.rcv_nxt = in.sequence + 1;
    c.lockdown = std::make_unique<LockdownService>(cfg_, rec_);
    send_tcp(c, mux::kSyn | mux::kAck, {}, send);
    c.snd_nxt += 1;
    connections_[in.source_port] = std::move(c);
    return true;
  }

  if (it == connections_.end()) {
    rec_.errors.push_back("TCP: a segment for no connection (port " +
                          std::to_string(in.source_port) + " → " +
                          std::to_string(in.destination_port) + ")");
    Connection none;
    none.host_port = in.source_port;
    none.phone_port = in.destination_port;
    none.snd_nxt = in.acknowledgement;
    none.rcv_nxt = in.sequence + static_cast<std::uint32_t>(data.size());
    send_tcp(none, mux::kRst, {}, send);
    return true;
  }
  Connection& c = it->second;

  if (in.flags & mux::kFin) {
    // usbmuxd never sends FIN; another host closing this way gets the connection reset.
    c.rcv_nxt += static_cast<std::uint32_t>(data.size()) + 1;
    send_tcp(c, mux::kRst | mux::kAck, {}, send);
    connections_.erase(it);
    return true;
  }
  if (data.empty()) return true;  // a bare ACK (the end of the handshake, or of our data)
  if (in.sequence != c.rcv_nxt) {
    rec_.errors.push_back("TCP: data at sequence " + std::to_string(in.sequence) + ", expected " +
                          std::to_string(c.rcv_nxt) + ": dropped");
    send_tcp(c, mux::kAck, {}, send);
    return true;
  }
  c.rcv_nxt += static_cast<std::uint32_t>(data.size());

  Bytes out;
  const StreamAction action = c.lockdown->on_data(data, out);
  if (out.empty()) {
    send_tcp(c, mux::kAck, {}, send);  // acknowledge what did not make a whole request yet
  } else {
    constexpr std::size_t max_data = max_packet - mux::kHeaderV2 - mux::kTcpHeader;
    for (std::size_t at = 0; at < out.size(); at += max_data) {
      const std::size_t n = std::min(max_data, out.size() - at);
      if (cfg_.hostile == Hostile::broken_tcp_seq) c.snd_nxt += 0x10000;  // a hole in the stream
      send_tcp(c, mux::kAck, std::span(out).subspan(at, n), send);
      c.snd_nxt += static_cast<std::uint32_t>(n);
    }
  }
  switch (action) {
    case StreamAction::keep:
      return true;
    case StreamAction::reset:
      send_tcp(c, mux::kRst | mux::kAck, {}, send);
      connections_.erase(it);
      return true;
    case StreamAction::disconnect:
      return false;
  }
  return true;
}

}  // namespace dfx::testing::apple
