#include "tcp_connection.hpp"

#include <string>

namespace dfx::apple::usbmux {
namespace {

using dfx::sdk::Status;

std::string flags_text(uint8_t f) {
  std::string s;
  for (auto [bit, name] : {std::pair{kSyn, "SYN"}, {kAck, "ACK"}, {kRst, "RST"}, {kFin, "FIN"}})
    if (f & bit) s += (s.empty() ? "" : "|") + std::string(name);
  return s.empty() ? "none" : s;
}

}  // namespace

Tcp TcpConnection::syn() {
  state_ = State::Connecting;
  tx_seq_ = 0;
  peer_acked_ = 0;
  Tcp t{source_, destination_, tx_seq_, 0, kSyn, kWindow};
  return t;
}

Tcp TcpConnection::data(std::size_t length) {
  Tcp t{source_, destination_, tx_seq_, rx_next_, kAck, kWindow};
  tx_seq_ += static_cast<uint32_t>(length);
  return t;
}

Tcp TcpConnection::ack() const {
  return {source_, destination_, tx_seq_, rx_next_, kAck, kWindow};
}

Tcp TcpConnection::reset() {
  state_ = State::Reset;
  return {source_, destination_, tx_seq_, rx_next_, kRst, kWindow};
}

dfx::sdk::Result<std::vector<uint8_t>> TcpConnection::receive(const Tcp& tcp,
                                                              std::span<const uint8_t> data) {
  const std::string where = "TCP " + std::to_string(source_) + "->" + std::to_string(destination_);
  if (tcp.source_port != destination_ || tcp.destination_port != source_)
    return Status::error(DFX_ERR_IO, where + ": a segment for ports " +
                                         std::to_string(tcp.source_port) + "->" +
                                         std::to_string(tcp.destination_port));
  if (tcp.flags & kRst) {
    const bool refused = state_ == State::Connecting;
    state_ = State::Reset;
    return Status::error(DFX_ERR_IO, where + (refused ? ": the phone refused the connection (RST)"
                                                      : ": the phone reset the connection (RST)"));
  }
  switch (state_) {
    case State::Connecting:
      if (tcp.flags != (kSyn | kAck))
        return Status::error(DFX_ERR_IO,
                             where + ": expected SYN|ACK, got " + flags_text(tcp.flags));
      if (!data.empty()) return Status::error(DFX_ERR_IO, where + ": SYN|ACK carries data");
      // The acknowledgement of our SYN is not checked, as usbmuxd does not: what matters is the
      // phone's own sequence, from which every later segment must follow without a gap.
      ++tx_seq_;  // the SYN counts as one
      peer_acked_ = tx_seq_;
      rx_next_ = tcp.sequence + 1;
      peer_window_ = uint32_t{tcp.window} << 8;
      state_ = State::Connected;
      return std::vector<uint8_t>{};
    case State::Connected: {
      if (tcp.flags != kAck)
        return Status::error(DFX_ERR_IO, where + ": expected ACK, got " + flags_text(tcp.flags));
      if (tcp.sequence != rx_next_)
        return Status::error(
            DFX_ERR_IO, where + ": sequence broken: the phone's segment starts at " +
                            std::to_string(tcp.sequence) + ", the next byte is " +
                            std::to_string(rx_next_) + " (a hole or an overlap in the stream)");
      if (tcp.acknowledgement - peer_acked_ > tx_seq_ - peer_acked_)
        return Status::error(DFX_ERR_IO, where + ": the phone acknowledges " +
                                             std::to_string(tcp.acknowledgement) + ", beyond the " +
                                             std::to_string(tx_seq_) + " bytes sent");
      peer_acked_ = tcp.acknowledgement;
      peer_window_ = uint32_t{tcp.window} << 8;
      rx_next_ += static_cast<uint32_t>(data.size());
      return std::vector<uint8_t>(data.begin(), data.end());
    }
    case State::Closed:
    case State::Reset:
      break;
  }
  return Status::error(DFX_ERR_IO, where + ": a segment on a connection that is not open");
}

}  // namespace dfx::apple::usbmux
