// The phone's side of usbmux on its bulk endpoints: the VERSION/SETUP exchange, version 2
// headers with their sequence numbers, and the small TCP that carries lockdownd. Facts from
// usbmuxd src/device.c (the host side):
//   * the host sends VERSION {2, 0, 0} with an 8-byte (version 1) header and reads the answer
//     with an 8-byte header too (its dev->version is still 0); it needs a 12-byte payload
//     {major, minor, padding};
//   * with version 2 the host sends SETUP (payload 0x07) and from then on every packet has a
//     16-byte header: magic 0xFEEDFACE, tx_seq counting the sender's packets from 0, rx_seq the
//     last tx_seq received from the other side;
//   * TCP: the host's SYN → the phone's SYN|ACK (own initial sequence number, ack = seq + 1);
//     data travels with exactly the ACK flag (usbmuxd takes any other flag on an open connection
//     as a reset); th_win counts 256-byte units; a SYN to a port nobody listens on gets RST;
//     usbmuxd ends a connection with RST, never FIN;
//   * usbmuxd reads with 16 KiB transfers and reassembles packets of up to 64 KiB.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "emulator.hpp"
#include "lockdownd.hpp"
#include "usbmux_config.hpp"

namespace dfx::testing::apple {

class MuxLink {
 public:
  using Bytes = std::vector<std::uint8_t>;
  /// Sends one usbmux packet to the host (one device-side message on the bulk IN endpoint).
  using Send = std::function<void(Bytes)>;

  /// The largest packet the phone sends: usbmuxd's own USB_MTU (3 × 16 KiB) for its packets to
  /// the phone. UNCONFIRMED what iOS uses; usbmuxd accepts up to 64 KiB.
  static constexpr std::size_t max_packet = 3 * 16384;
  /// The receive window the phone announces, in th_win units of 256 bytes (128 KiB).
  /// UNCONFIRMED what iOS announces.
  static constexpr std::uint16_t window_units = 0x0200;

  /// `config` and `record` outlive the link; calls are serialised by the caller.
  MuxLink(const UsbmuxConfig& config, UsbmuxRecord& record) : cfg_(config), rec_(record) {}

  /// Bytes the host wrote to the bulk OUT endpoint. False when the phone must disconnect
  /// (hostile reset_mid_session).
  bool on_bytes(std::span<const std::uint8_t> data, const Send& send);

 private:
  struct Connection {
    std::uint16_t host_port = 0;
    std::uint16_t phone_port = 0;
    std::uint32_t snd_nxt = 0;  ///< The phone's next sequence number.
    std::uint32_t rcv_nxt = 0;  ///< The next host sequence number expected.
    std::unique_ptr<LockdownService> lockdown;
  };

  bool on_packet(std::uint32_t protocol, std::span<const std::uint8_t> payload, const Send& send);
  bool on_tcp(std::span<const std::uint8_t> payload, const Send& send);
  void send_packet(std::uint32_t protocol, std::span<const std::uint8_t> payload, const Send& send);
  void send_tcp(Connection& c, std::uint8_t flags, std::span<const std::uint8_t> data,
                const Send& send);

  const UsbmuxConfig& cfg_;
  UsbmuxRecord& rec_;
  int version_ = 0;                ///< Header version in use: 0 before VERSION is answered.
  std::uint16_t tx_seq_ = 0;       ///< The phone's next packet number.
  std::uint16_t rx_seq_ = 0xFFFF;  ///< The last host packet number received.
  Bytes rx_;                       ///< Host bytes not yet a whole packet.
  std::map<std::uint16_t, Connection> connections_;  ///< By host port.
};

}  // namespace dfx::testing::apple
