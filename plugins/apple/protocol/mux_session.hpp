// A usbmux session with one phone, and one TCP-like connection over it at a time: what
// usbmuxd does for its clients, reduced to what a reading needs. It runs over a Link (the
// plugin's bulk transfers through the host API; a scripted peer in the tests) and is bounded by a
// deadline: a phone that stops answering ends it with a timeout, never a hang.
//
// Sequence of a reading: VERSION {2, 0, 0} in a version 1 header; the phone answers VERSION
// (version 1 header too); for version 2, SETUP {0x07} with tx_seq 0 and rx_seq 0xFFFF, then
// every packet has the 16-byte header, its tx_seq counting up and its rx_seq echoing the
// phone's last one (as usbmuxd does; the meaning of the phone's own numbers is not documented,
// so they are not held against it). TCP: SYN to the port, SYN|ACK, then data with ACK.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "byte_stream.hpp"
#include "tcp_connection.hpp"

namespace dfx::apple {

/// The bulk endpoints of the phone's usbmux interface.
class Link {
 public:
  virtual ~Link() = default;
  /// Sends one usbmux packet (the link ends it with a zero-length packet when its size is a
  /// multiple of the endpoint's packet size).
  virtual dfx::sdk::Status write(std::span<const uint8_t> packet) = 0;
  /// One bulk IN transfer within `timeout`: what the phone sent (possibly part of a packet, or
  /// several). DFX_ERR_TIMEOUT when nothing came.
  virtual dfx::sdk::Result<std::vector<uint8_t>> read(std::chrono::milliseconds timeout) = 0;
};

class MuxSession final : public ByteStream {
 public:
  using Clock = std::chrono::steady_clock;
  MuxSession(Link& link, Clock::time_point deadline) : link_(link), deadline_(deadline) {}

  /// VERSION (and SETUP for version 2). The protocol version the phone chose is version(). A
  /// phone answers VERSION at once; one silent for `limit` (or until the deadline) does not
  /// speak usbmux, and the rest of the budget is not spent waiting for it.
  dfx::sdk::Status start(std::chrono::milliseconds limit = std::chrono::milliseconds(3000));
  [[nodiscard]] int version() const { return version_; }

  /// Opens a connection to `port` on the phone (lockdownd: usbmux::kLockdownPort).
  dfx::sdk::Status connect(uint16_t port);
  /// Ends the connection with an RST, as usbmuxd does; best effort.
  void close();

  dfx::sdk::Status send(std::span<const uint8_t> bytes) override;
  dfx::sdk::Status receive_exact(std::size_t count, std::vector<uint8_t>& out) override;

  /// Packets read from and written to the phone, for the log.
  [[nodiscard]] std::size_t packets_in() const { return packets_in_; }
  [[nodiscard]] std::size_t packets_out() const { return packets_out_; }

 private:
  dfx::sdk::Status write_packet(usbmux::Protocol protocol, std::span<const uint8_t> payload);
  dfx::sdk::Result<usbmux::Packet> read_packet();
  // Takes the next packet from the phone into the connection (TCP) or refuses it.
  dfx::sdk::Status pump();
  dfx::sdk::Result<std::chrono::milliseconds> remaining() const;

  Link& link_;
  Clock::time_point deadline_;
  int version_ = 0;  // 0: before the VERSION answer (version 1 headers)
  uint16_t tx_seq_ = 0, rx_seq_ = 0xFFFF;
  std::vector<uint8_t> in_;      // bytes read and not yet taken as packets
  std::vector<uint8_t> stream_;  // connection data received and not yet consumed
  std::optional<usbmux::TcpConnection> tcp_;
  uint16_t next_port_ = 1;
  std::size_t packets_in_ = 0, packets_out_ = 0;
};

}  // namespace dfx::apple
