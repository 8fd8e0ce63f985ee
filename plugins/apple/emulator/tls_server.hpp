// The phone's side of a lockdown TLS session, over memory buffers: lockdownd switches its TCP
// stream to TLS right after answering StartSession with EnableSessionSSL, with the phone as the
// TLS server presenting its DeviceCertificate. The host must present a certificate of the
// pairing (libimobiledevice 1.3.0's OpenSSL backend sends the RootCertificate, its GnuTLS backend
// the HostCertificate; both are signed by the pairing's root key), and nothing else is accepted.
//
// Bytes move through memory BIOs because the emulator runs inside USB hooks that must never
// block: the host's TLS records are fed in as they arrive, and what OpenSSL wants to send is
// taken out and carried as TCP data.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "pair_record.hpp"

// OpenSSL's types, by their struct names, so that this header needs no OpenSSL header.
struct ssl_st;
struct ssl_ctx_st;
struct evp_pkey_st;
struct bio_st;
struct x509_st;
struct x509_store_ctx_st;

namespace dfx::testing::apple {

class TlsServer {
 public:
  using Bytes = std::vector<std::uint8_t>;

  /// A server for one session of `pairing`, with the phone's private key.
  static tl::expected<std::unique_ptr<TlsServer>, std::string> create(
      const dfx::apple::PairRecord& pairing, const std::string& device_key_pem);
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  /// TLS records from the host. False on a fatal error (error() says which); the session is
  /// then dead.
  bool feed(std::span<const std::uint8_t> records);
  /// True once the handshake completed with the paired host's certificate.
  bool established() const { return established_; }
  /// True once the host sent close_notify.
  bool closed_by_peer() const { return peer_closed_; }
  /// Application data received so far (and not taken yet).
  Bytes take_plaintext();
  /// Encrypts `data` as application data. False on a fatal error.
  bool write(std::span<const std::uint8_t> data);
  /// Bytes OpenSSL wants sent to the host (handshake messages, records, alerts).
  Bytes take_output();
  /// Bytes the host sent after its close_notify: plain lockdown frames again.
  Bytes take_unread_input();
  const std::string& error() const { return error_; }

 private:
  TlsServer() = default;
  static int verify_peer(int preverify_ok, x509_store_ctx_st* store);
  bool peer_is_paired_host(x509_st* cert) const;
  bool fail(const std::string& what);

  ssl_ctx_st* ctx_ = nullptr;
  ssl_st* ssl_ = nullptr;
  evp_pkey_st* root_key_ = nullptr;  // the pairing's root public key
  bio_st* in_ = nullptr;             // host → OpenSSL (owned by ssl_)
  bio_st* out_ = nullptr;            // OpenSSL → host (owned by ssl_)
  bool established_ = false;
  bool peer_closed_ = false;
  Bytes plaintext_;
  std::string error_;
};

}  // namespace dfx::testing::apple
