#include "tls_stream.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>

namespace dfx::apple {
namespace {

using dfx::sdk::Status;

// A TLS record: 5-byte header, at most 2^14 bytes of data plus expansion.
constexpr std::size_t kMaxRecord = 16384 + 2048;
constexpr std::size_t kMaxPlain = 2u << 20;

std::string openssl_error(const std::string& what) {
  std::string s = what;
  for (unsigned long e; (e = ERR_get_error()) != 0;) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    s += std::string(s == what ? ": " : "; ") + buf;
  }
  return s;
}

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

BioPtr memory_of(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

}  // namespace

struct TlsStream::Impl {
  explicit Impl(ByteStream& l) : lower(l) {}
  ~Impl() {
    if (ssl) SSL_free(ssl);  // frees both BIOs
    if (ctx) SSL_CTX_free(ctx);
  }
  ByteStream& lower;
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  BIO* network_in = nullptr;   // bytes from the phone, for OpenSSL to read
  BIO* network_out = nullptr;  // bytes OpenSSL wrote, for the phone
  std::vector<uint8_t> plain;

  Status flush() {
    uint8_t buf[16384];
    while (BIO_ctrl_pending(network_out) > 0) {
      const int n = BIO_read(network_out, buf, sizeof buf);
      if (n <= 0) break;
      if (auto st = lower.send({buf, static_cast<std::size_t>(n)}); !st) return st;
    }
    return Status::ok();
  }

  // One whole TLS record from the phone into OpenSSL's input.
  Status feed_record() {
    std::vector<uint8_t> record;
    if (auto st = lower.receive_exact(5, record); !st) return st;
    const std::size_t length = std::size_t{record[3]} << 8 | record[4];
    if (record[0] < 20 || record[0] > 24 || length > kMaxRecord)
      return Status::error(DFX_ERR_IO, "TLS: the phone sent a record of type " +
                                           std::to_string(record[0]) + " and length " +
                                           std::to_string(length) + ", not a TLS record");
    if (auto st = lower.receive_exact(length, record); !st) return st;
    if (BIO_write(network_in, record.data(), static_cast<int>(record.size())) !=
        static_cast<int>(record.size()))
      return Status::error(DFX_ERR_INTERNAL, "TLS: memory BIO write failed");
    return Status::ok();
  }
};

TlsStream::TlsStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsStream::~TlsStream() = default;

dfx::sdk::Result<std::unique_ptr<TlsStream>> TlsStream::handshake(ByteStream& lower,
                                                                  const PairRecord& record) {
  ERR_clear_error();
  auto impl = std::make_unique<Impl>(lower);
  impl->ctx = SSL_CTX_new(TLS_client_method());
  if (impl->ctx == nullptr)
    return Status::error(DFX_ERR_INTERNAL, openssl_error("TLS: no context"));
  // Level 0: pair records made by older tools carry SHA-1 signed certificates, and iOS before
  // 11 speaks no TLS 1.2. Trust does not come from the chain but from the comparison of the
  // phone's key with the pair record's below; the link is a USB cable.
  SSL_CTX_set_security_level(impl->ctx, 0);
  SSL_CTX_set_min_proto_version(impl->ctx, TLS1_VERSION);
  SSL_CTX_set_verify(impl->ctx, SSL_VERIFY_NONE, nullptr);

  auto cert_bio = memory_of(record.host_certificate);
  X509Ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  auto key_bio = memory_of(record.host_private_key);
  KeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!cert || !key)
    return Status::error(
        DFX_ERR_IO, openssl_error("pair record: HostCertificate or HostPrivateKey is not PEM"));
  auto device_bio = memory_of(record.device_certificate);
  X509Ptr device(PEM_read_bio_X509(device_bio.get(), nullptr, nullptr, nullptr));
  if (!device)
    return Status::error(DFX_ERR_IO, openssl_error("pair record: DeviceCertificate is not PEM"));
  if (SSL_CTX_use_certificate(impl->ctx, cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(impl->ctx, key.get()) != 1 ||
      SSL_CTX_check_private_key(impl->ctx) != 1)
    return Status::error(DFX_ERR_IO,
                         openssl_error("pair record: the host key does not fit its certificate"));

  impl->ssl = SSL_new(impl->ctx);
  impl->network_in = BIO_new(BIO_s_mem());
  impl->network_out = BIO_new(BIO_s_mem());
  if (!impl->ssl || !impl->network_in || !impl->network_out)
    return Status::error(DFX_ERR_INTERNAL, openssl_error("TLS: out of memory"));
  SSL_set_bio(impl->ssl, impl->network_in, impl->network_out);
  SSL_set_connect_state(impl->ssl);

  for (;;) {
    const int r = SSL_do_handshake(impl->ssl);
    if (auto st = impl->flush(); !st)
      return Status::error(st.code(), "TLS handshake: " + st.message());
    if (r == 1) break;
    if (SSL_get_error(impl->ssl, r) != SSL_ERROR_WANT_READ)
      return Status::error(DFX_ERR_IO, openssl_error("TLS handshake with the phone failed"));
    if (auto st = impl->feed_record(); !st)
      return Status::error(st.code(), "TLS handshake: " + st.message());
  }
  X509Ptr peer(SSL_get1_peer_certificate(impl->ssl));
  if (!peer) return Status::error(DFX_ERR_IO, "TLS: the phone presented no certificate");
  if (EVP_PKEY_eq(X509_get0_pubkey(peer.get()), X509_get0_pubkey(device.get())) != 1)
    return Status::error(DFX_ERR_DENIED,
                         "TLS: the phone's key is not the one in the pair record's "
                         "DeviceCertificate: this is not the paired phone, nothing read in the "
                         "session would be its own");
  return std::unique_ptr<TlsStream>(new TlsStream(std::move(impl)));
}

Status TlsStream::send(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return Status::ok();
  const int n = SSL_write(impl_->ssl, bytes.data(), static_cast<int>(bytes.size()));
  if (n != static_cast<int>(bytes.size()))
    return Status::error(DFX_ERR_IO, openssl_error("TLS: write failed"));
  return impl_->flush();
}

Status TlsStream::receive_exact(std::size_t count, std::vector<uint8_t>& out) {
  if (count > kMaxPlain)
    return Status::error(DFX_ERR_OVERFLOW, "TLS: " + std::to_string(count) + " bytes asked for");
  uint8_t buf[16384];
  while (impl_->plain.size() < count) {
    const int n = SSL_read(impl_->ssl, buf, sizeof buf);
    if (n > 0) {
      impl_->plain.insert(impl_->plain.end(), buf, buf + n);
      continue;
    }
    const int e = SSL_get_error(impl_->ssl, n);
    if (e == SSL_ERROR_ZERO_RETURN)
      return Status::error(DFX_ERR_IO, "TLS: the phone closed the session");
    if (e != SSL_ERROR_WANT_READ)
      return Status::error(DFX_ERR_IO, openssl_error("TLS: read failed"));
    if (auto st = impl_->flush(); !st) return st;
    if (auto st = impl_->feed_record(); !st) return st;
  }
  out.insert(out.end(), impl_->plain.begin(),
             impl_->plain.begin() + static_cast<std::ptrdiff_t>(count));
  impl_->plain.erase(impl_->plain.begin(),
                     impl_->plain.begin() + static_cast<std::ptrdiff_t>(count));
  return Status::ok();
}

std::string TlsStream::protocol() const {
  return SSL_get_version(impl_->ssl);
}

}  // namespace dfx::apple
