// The phone's side of a lockdown TLS session (see tls_server.hpp).
#include "tls_server.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <utility>

namespace dfx::testing::apple {
namespace {

std::string openssl_errors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out.empty() ? "no OpenSSL detail" : out;
}

X509* read_cert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}

EVP_PKEY* read_key(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return key;
}

}  // namespace

tl::expected<std::unique_ptr<TlsServer>, std::string> TlsServer::create(
    const dfx::apple::PairRecord& pairing, const std::string& device_key_pem) {
  std::unique_ptr<TlsServer> s(new TlsServer);
  X509* root = read_cert(pairing.root_certificate);
  X509* device = read_cert(pairing.device_certificate);
  EVP_PKEY* key = read_key(device_key_pem);
  auto cleanup = [&] {
    X509_free(root);
    X509_free(device);
    EVP_PKEY_free(key);
  };
  if (!root || !device || !key) {
    cleanup();
    return tl::unexpected("TLS: unreadable RootCertificate, DeviceCertificate or device key (" +
                          openssl_errors() + ")");
  }
  s->root_key_ = X509_get_pubkey(root);
  s->ctx_ = SSL_CTX_new(TLS_server_method());
  SSL_CTX* ctx = s->ctx_;
  // Pairing certificates are SHA-1 signed with empty names (libimobiledevice's userpref.c);
  // libimobiledevice sets security level 0 on its side for the same reason.
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
  // UNCONFIRMED: which TLS versions lockdownd offers. TLS 1.2 keeps the stream plain (no
  // post-handshake session tickets) for hosts under test.
  SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  const bool loaded = SSL_CTX_use_certificate(ctx, device) == 1 &&
                      SSL_CTX_use_PrivateKey(ctx, key) == 1 && SSL_CTX_check_private_key(ctx) == 1;
  cleanup();
  if (!loaded)
    return tl::unexpected("TLS: the device key does not match the DeviceCertificate (" +
                          openssl_errors() + ")");
  // The host must show a certificate, and only the paired host's is good enough.
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                     [](int ok, X509_STORE_CTX* store) { return verify_peer(ok, store); });
  s->ssl_ = SSL_new(ctx);
  SSL_set_app_data(s->ssl_, s.get());
  s->in_ = BIO_new(BIO_s_mem());
  s->out_ = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(s->in_, -1);  // empty input means "wait", not end of stream
  SSL_set_bio(s->ssl_, s->in_, s->out_);
  SSL_set_accept_state(s->ssl_);
  return s;
}

TlsServer::~TlsServer() {
  SSL_free(ssl_);  // frees both BIOs
  SSL_CTX_free(ctx_);
  EVP_PKEY_free(root_key_);
}

// The chain is not built against a trust store (the pairing's root is not a CA anyone trusts):
// the leaf the host sent decides, checked against the pairing's root key.
int TlsServer::verify_peer(int, X509_STORE_CTX* store) {
  SSL* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* self = static_cast<TlsServer*>(SSL_get_app_data(ssl));
  if (X509_STORE_CTX_get_error_depth(store) != 0) return 1;
  if (!self->peer_is_paired_host(X509_STORE_CTX_get_current_cert(store))) {
    self->error_ = "TLS: the host's certificate is not signed by the paired host's root";
    return 0;
  }
  X509_STORE_CTX_set_error(store, X509_V_OK);
  return 1;
}

bool TlsServer::peer_is_paired_host(X509* cert) const {
  return cert && X509_verify(cert, root_key_) == 1;
}

bool TlsServer::fail(const std::string& what) {
  if (error_.empty()) error_ = "TLS: " + what + " (" + openssl_errors() + ")";
  ERR_clear_error();
  return false;
}

bool TlsServer::feed(std::span<const std::uint8_t> records) {
  if (!error_.empty()) return false;
  if (!records.empty()) BIO_write(in_, records.data(), static_cast<int>(records.size()));
  if (!established_) {
    const int r = SSL_do_handshake(ssl_);
    if (r != 1) {
      const int e = SSL_get_error(ssl_, r);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return true;
      return fail("handshake failed");
    }
    // Checked again here: the verify callback is not the only way into an established session.
    X509* peer = SSL_get1_peer_certificate(ssl_);
    const bool ok = peer_is_paired_host(peer);
    X509_free(peer);
    if (!ok) return fail("the host showed no certificate of the pairing");
    established_ = true;
  }
  while (!peer_closed_) {
    std::uint8_t buf[16384];
    const int n = SSL_read(ssl_, buf, sizeof buf);
    if (n > 0) {
      plaintext_.insert(plaintext_.end(), buf, buf + n);
      continue;
    }
    const int e = SSL_get_error(ssl_, n);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) break;
    if (e == SSL_ERROR_ZERO_RETURN) {
      peer_closed_ = true;
      break;
    }
    return fail("reading a record failed");
  }
  return true;
}

TlsServer::Bytes TlsServer::take_plaintext() {
  return std::exchange(plaintext_, {});
}

bool TlsServer::write(std::span<const std::uint8_t> data) {
  if (!established_ || !error_.empty()) return false;
  std::size_t done = 0;
  while (done < data.size()) {
    const int n = SSL_write(ssl_, data.data() + done, static_cast<int>(data.size() - done));
    if (n <= 0) return fail("writing a record failed");
    done += static_cast<std::size_t>(n);
  }
  return true;
}

TlsServer::Bytes TlsServer::take_output() {
  Bytes out(static_cast<std::size_t>(BIO_ctrl_pending(out_)));
  if (!out.empty()) BIO_read(out_, out.data(), static_cast<int>(out.size()));
  return out;
}

TlsServer::Bytes TlsServer::take_unread_input() {
  Bytes out(static_cast<std::size_t>(BIO_ctrl_pending(in_)));
  if (!out.empty()) BIO_read(in_, out.data(), static_cast<int>(out.size()));
  return out;
}

}  // namespace dfx::testing::apple
