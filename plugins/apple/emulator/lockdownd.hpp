// lockdownd, the service an iPhone runs on TCP port 62078: 4-byte big-endian length + plist
// frames (hosts send XML, the phone answers XML), switching to TLS inside a paired session.
//
// One LockdownService per TCP connection, fed with the connection's bytes in order; it answers
// the way a phone does (facts from libimobiledevice src/lockdown.c and the handset notes):
//   QueryType     → {Request, Type: "com.apple.mobile.lockdown"}
//   GetValue      → {Request, [Domain], [Key], Value} or {..., Error}: MissingValue for a key the
//                   phone does not have, GetProhibited for one that needs a paired session;
//                   without Key (and Domain) the whole dictionary readable in that state
//   StartSession  → with the pairing's HostID {Request, SessionID, EnableSessionSSL: true}, then
//                   TLS on the same stream (phone = server); other HostID: InvalidHostID
//   StopSession   → {Request} inside TLS; the host then ends TLS (close_notify) or just goes on
//                   in plain text, as libimobiledevice's property_list_service_disable_ssl does
//   Goodbye       → {Request, Result: "Success"}
//   anything else → an Error, recorded as refused (Pair, SetValue, StartService...).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "emulator.hpp"
#include "tls_server.hpp"
#include "usbmux_config.hpp"

namespace dfx::testing::apple {

/// What the connection does after a chunk of input.
enum class StreamAction {
  keep,        ///< Stay open.
  reset,       ///< Reset the TCP connection (RST), as lockdownd closing its socket.
  disconnect,  ///< Pull the cable (hostile reset_mid_session).
};

class LockdownService {
 public:
  using Bytes = std::vector<std::uint8_t>;

  /// `config` and `record` outlive the service; calls are serialised by the caller.
  LockdownService(const UsbmuxConfig& config, UsbmuxRecord& record) : cfg_(config), rec_(record) {}

  /// Bytes the host sent on the connection; appends what the phone sends back to `out`.
  StreamAction on_data(std::span<const std::uint8_t> in, Bytes& out);

 private:
  enum class Tls { off, on, ending };

  StreamAction take_plain(Bytes& out);
  StreamAction feed_tls(std::span<const std::uint8_t> in, Bytes& out);
  StreamAction answer(Plist request, Bytes& out);
  Plist get_value(const std::string& key, const std::string& domain, bool has_key,
                  bool has_domain) const;
  Plist start_session(const Plist& request);
  void send(const Plist& answer, Bytes& out);
  bool in_session() const { return tls_ && tls_->established() && tls_state_ == Tls::on; }
  StreamAction fail(const std::string& why);

  const UsbmuxConfig& cfg_;
  UsbmuxRecord& rec_;
  Bytes plain_;  ///< Lockdown bytes received and not yet a whole frame.
  std::unique_ptr<TlsServer> tls_;
  std::unique_ptr<TlsServer> pending_tls_;  ///< Made by StartSession, used once it is answered.
  Tls tls_state_ = Tls::off;
  std::string session_id_;
  bool query_type_answered_ = false;
  bool starting_tls_ = false;  ///< StartSession answered: the next bytes are the ClientHello.
};

}  // namespace dfx::testing::apple
