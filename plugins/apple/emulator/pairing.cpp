// Test pairings (see pairing.hpp). The certificate profile follows libimobiledevice's
// common/userpref.c, so the records look like those a Linux host writes when it pairs.
#include "pairing.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

#include "plist_value.hpp"

namespace dfx::testing {
namespace {

using apple::Plist;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

constexpr long ten_years = 60L * 60 * 24 * 365 * 10;

bool add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
  if (!ext) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// A certificate for `subject_key` signed by `root_key`, with the extensions in `exts`.
Cert make_cert(EVP_PKEY* subject_key, EVP_PKEY* root_key, X509* issuer,
               const std::vector<std::pair<int, const char*>>& exts) {
  Cert cert(X509_new());
  if (!cert) return nullptr;
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 0);
  X509_set_version(cert.get(), 2);  // v3
  std::time_t now = std::time(nullptr);
  X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, 0, &now);
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), 0, ten_years, &now);
  X509_set_pubkey(cert.get(), subject_key);
  for (const auto& [nid, value] : exts)
    if (!add_ext(cert.get(), issuer ? issuer : cert.get(), nid, value)) return nullptr;
  if (X509_sign(cert.get(), root_key, EVP_sha1()) <= 0) return nullptr;
  return cert;
}

std::string bio_text(BIO* bio) {
  char* p = nullptr;
  const long n = BIO_get_mem_data(bio, &p);
  return std::string(p, static_cast<std::size_t>(n));
}

std::string cert_pem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return bio_text(bio.get());
}

std::string key_pem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(bio.get());
}

Plist pem_data(const std::string& pem) {
  return Plist::data(std::span(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()));
}

std::string made_up_mac(const std::string& udid) {
  // Locally administered (0x02 in the first byte), the rest from the UDID's last hex digits.
  std::string hex;
  for (auto it = udid.rbegin(); it != udid.rend() && hex.size() < 10; ++it)
    if (std::isxdigit(static_cast<unsigned char>(*it)))
      hex.insert(hex.begin(), static_cast<char>(std::tolower(static_cast<unsigned char>(*it))));
  while (hex.size() < 10) hex.insert(hex.begin(), '0');
  std::string mac = "02";
  for (std::size_t i = 0; i < 10; i += 2) mac += ":" + hex.substr(i, 2);
  return mac;
}

}  // namespace

std::string random_uuid() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out,
                "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

tl::expected<TestPairing, std::string> make_test_pairing(const std::string& udid,
                                                         const std::string& wifi_mac) {
  if (udid.empty()) return tl::unexpected(std::string("make_test_pairing: empty UDID"));
  const Key root_key(EVP_RSA_gen(2048));
  const Key host_key(EVP_RSA_gen(2048));
  const Key device_key(EVP_RSA_gen(2048));
  if (!root_key || !host_key || !device_key)
    return tl::unexpected(std::string("make_test_pairing: RSA key generation failed"));

  const Cert root = make_cert(root_key.get(), root_key.get(), nullptr,
                              {{NID_basic_constraints, "critical,CA:TRUE"}});
  if (!root) return tl::unexpected(std::string("make_test_pairing: root certificate failed"));
  const Cert host = make_cert(host_key.get(), root_key.get(), root.get(),
                              {{NID_basic_constraints, "critical,CA:FALSE"},
                               {NID_key_usage, "critical,digitalSignature,keyEncipherment"}});
  const Cert device = make_cert(device_key.get(), root_key.get(), root.get(),
                                {{NID_basic_constraints, "critical,CA:FALSE"},
                                 {NID_subject_key_identifier, "hash"},
                                 {NID_key_usage, "critical,digitalSignature,keyEncipherment"}});
  if (!host || !device)
    return tl::unexpected(std::string("make_test_pairing: host or device certificate failed"));

  TestPairing p;
  p.udid = udid;
  p.host_id = random_uuid();
  p.system_buid = random_uuid();
  p.device_key_pem = key_pem(device_key.get());

  std::vector<std::uint8_t> escrow(64);
  RAND_bytes(escrow.data(), static_cast<int>(escrow.size()));

  // libplist writes dict keys in insertion order; these are in usbmuxd's (sorted) order.
  Plist record = Plist::dict();
  record.set("DeviceCertificate", pem_data(cert_pem(device.get())));
  record.set("EscrowBag", Plist::data(escrow));
  record.set("HostCertificate", pem_data(cert_pem(host.get())));
  record.set("HostID", Plist::string(p.host_id));
  record.set("HostPrivateKey", pem_data(key_pem(host_key.get())));
  record.set("RootCertificate", pem_data(cert_pem(root.get())));
  record.set("RootPrivateKey", pem_data(key_pem(root_key.get())));
  record.set("SystemBUID", Plist::string(p.system_buid));
  record.set("WiFiMACAddress", Plist::string(wifi_mac.empty() ? made_up_mac(udid) : wifi_mac));
  p.pair_record_xml = record.to_xml();
  return p;
}

}  // namespace dfx::testing
