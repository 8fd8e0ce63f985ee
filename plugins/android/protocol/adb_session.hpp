// An ADB client over a Transport, as adb's host side does it, but bounded everywhere and
// read-only:
//   connect():  CNXN -> AUTH TOKEN -> AUTH SIGNATURE (one per key) -> [still refused] AUTH
//               RSAPUBLICKEY, then report "unauthorized" after a short grace instead of waiting
//               for the user -> CNXN banner.
//   shell(s):   OPEN(local, 0, s) -> OKAY -> WRTE... (each answered with OKAY) -> CLSE, where s
//               must be on the allow-list; output capped per stream, time capped per stream.
// Any framing error (bad magic, checksum, oversized data_length, disconnect) ends the session
// with that error; the scripted-peer tests cover each case.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adb_banner.hpp"
#include "adb_channel.hpp"
#include "error.hpp"
#include "transport.hpp"

namespace dfx::android::adb {

/// The keys the session may use to answer AUTH, without tying the protocol code to OpenSSL
/// (adb_key.hpp implements it).
class AuthKeys {
 public:
  virtual ~AuthKeys() = default;
  /// Number of private keys available for signing, in the order to try them.
  [[nodiscard]] virtual std::size_t count() const = 0;
  /// Signs a 20-byte AUTH token with key `index` (RSA PKCS#1 v1.5, SHA-1 DigestInfo).
  [[nodiscard]] virtual Result<std::vector<uint8_t>> sign(std::size_t index,
                                                          std::span<const uint8_t> token) const = 0;
  /// The public key to offer when every signature was refused: "<base64> user@host" (no NUL).
  [[nodiscard]] virtual Result<std::string> public_key() const = 0;
};

/// Time and size bounds of a session. Defaults suit a real phone; tests shorten them.
struct SessionLimits {
  std::chrono::milliseconds io_timeout{2000};          ///< one packet
  std::chrono::milliseconds connect_timeout{5000};     ///< the whole CNXN/AUTH exchange
  std::chrono::milliseconds unauthorized_grace{1000};  ///< wait after offering our public key
  std::chrono::milliseconds stream_timeout{5000};      ///< one OPEN..CLSE
  std::size_t max_stream_bytes = 64 * 1024;            ///< output kept per stream
  std::size_t max_stream_packets = 4096;               ///< packets accepted per stream
  uint32_t max_payload = 256 * 1024;                   ///< maxdata announced in our CNXN
  std::size_t max_ignored = 64;                        ///< stray packets tolerated per phase
};

/// What connect() found.
struct Connection {
  bool authorized = false;          ///< false: the phone refused every key (state unauthorized)
  Banner banner;                    ///< the CNXN banner (authorized only)
  uint32_t peer_version = 0;        ///< CNXN arg0 (authorized only)
  uint32_t peer_max_payload = 0;    ///< CNXN arg1 (authorized only)
  std::size_t signatures_sent = 0;  ///< keys tried
  bool public_key_offered = false;  ///< AUTH RSAPUBLICKEY sent: the phone now asks its user
  bool auth_required = false;       ///< the phone asked for AUTH at all
};

/// One ADB connection to one device.
class Session {
 public:
  /// `keys` must outlive the session.
  Session(Transport& transport, const AuthKeys& keys, SessionLimits limits = {});

  /// Connects and authenticates. An unauthorised phone is a successful result with
  /// authorized == false; errors are transport failures, timeouts and protocol violations.
  Result<Connection> connect();

  /// Runs one allow-listed service (e.g. "shell:getprop ro.serialno") and returns its output.
  /// Errors: denied (not on the allow-list; nothing sent), refused (the device closed the
  /// stream without opening it), too_large (output beyond max_stream_bytes), timeout, and any
  /// framing error.
  Result<std::string> shell(std::string_view service);

  /// False before connect() succeeds and after a transport or framing error (the byte stream
  /// can no longer be trusted); further shell() calls then fail at once.
  [[nodiscard]] bool connected() const { return connected_; }

  /// ADB messages sent so far.
  [[nodiscard]] std::size_t sent_count() const { return channel_.sent_count(); }

 private:
  Transport& transport_;
  const AuthKeys& keys_;
  SessionLimits limits_;
  Channel channel_;
  bool connected_ = false;
  uint32_t next_local_id_ = 1;
};

}  // namespace dfx::android::adb
