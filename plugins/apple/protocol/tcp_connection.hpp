// The TCP-like connection usbmux carries: one connection from the host to a port on the phone.
// Pure state: what to send next and what a segment from the phone means. There is no loss or
// reordering on a USB cable, so a segment whose sequence number is not exactly the next byte
// expected is not a retransmission to tolerate: the stream would have a hole or an overlap, and
// the connection is broken (fail closed, never guess which bytes belong where).
#pragma once

#include <dfx/sdk/result.hpp>

#include <cstdint>
#include <span>
#include <vector>

#include "usbmux.hpp"

namespace dfx::apple::usbmux {

class TcpConnection {
 public:
  enum class State { Closed, Connecting, Connected, Reset };

  /// A connection from host port `source` to phone port `destination`.
  TcpConnection(uint16_t source, uint16_t destination)
      : source_(source), destination_(destination) {}

  /// The SYN that opens the connection (state becomes Connecting).
  Tcp syn();
  /// The header of a data segment carrying `length` bytes (ACK flag, our sequence, what we
  /// received so far); the sequence advances by `length`.
  Tcp data(std::size_t length);
  /// A bare ACK of everything received so far.
  [[nodiscard]] Tcp ack() const;
  /// The RST that ends the connection, as usbmuxd ends its own.
  Tcp reset();

  /// Takes one segment from the phone. Connecting: a SYN|ACK connects; an
  /// RST means the phone refused the port. Connected: an ACK segment's data must start exactly
  /// at the next byte expected; an RST means the phone closed the connection. Anything else is
  /// an error naming what was wrong. Returns the segment's data (possibly empty).
  dfx::sdk::Result<std::vector<uint8_t>> receive(const Tcp& tcp, std::span<const uint8_t> data);

  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] uint16_t source() const { return source_; }
  [[nodiscard]] uint16_t destination() const { return destination_; }
  /// The phone's window in bytes (its header field counts units of 256, as usbmuxd reads it).
  [[nodiscard]] uint32_t peer_window() const { return peer_window_; }
  /// Bytes sent and not yet acknowledged by the phone.
  [[nodiscard]] uint32_t unacknowledged() const { return tx_seq_ - peer_acked_; }

 private:
  uint16_t source_, destination_;
  State state_ = State::Closed;
  uint32_t tx_seq_ = 0;      // our next sequence number
  uint32_t peer_acked_ = 0;  // the highest of ours the phone acknowledged
  uint32_t rx_next_ = 0;     // the phone's next sequence number we expect
  uint32_t peer_window_ = 0;
  static constexpr uint16_t kWindow = 131072 >> 8;  // ours, in units of 256: 128 KiB
};

}  // namespace dfx::apple::usbmux
