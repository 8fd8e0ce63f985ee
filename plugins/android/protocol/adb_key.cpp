#include "adb_key.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdio>

namespace dfx::android {
namespace {

std::string openssl_error(const std::string& what) {
  std::string msg = what;
  if (unsigned long e = ERR_get_error(); e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    msg += ": ";
    msg += buf;
  }
  ERR_clear_error();
  return msg;
}

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct BnCtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

void put_u32(uint8_t* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}

Status check_rsa_2048(EVP_PKEY* key) {
  if (EVP_PKEY_base_id(key) != EVP_PKEY_RSA) return fail(Errc::crypto, "not an RSA key");
  if (EVP_PKEY_get_bits(key) != 2048)
    return fail(Errc::crypto, "RSA key of " + std::to_string(EVP_PKEY_get_bits(key)) +
                                  " bits; adb keys are 2048 bits");
  return {};
}

}  // namespace

void AdbKey::Free::operator()(EVP_PKEY* k) const {
  EVP_PKEY_free(k);
}

Result<AdbKey> AdbKey::from_pem(std::string_view pem, std::string origin) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return fail(Errc::crypto, openssl_error("BIO_new_mem_buf"));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!key) return fail(Errc::crypto, openssl_error(origin + ": not a PEM private key"));
  AdbKey k(key, std::move(origin));
  if (auto st = check_rsa_2048(key); !st) return fail(st.error(), k.origin_);
  return k;
}

Result<AdbKey> AdbKey::generate(std::string origin) {
  EVP_PKEY* key = EVP_RSA_gen(2048);  // exponent 65537 (RSA_F4), as adb uses
  if (!key) return fail(Errc::crypto, openssl_error("generating an RSA-2048 key"));
  AdbKey k(key, std::move(origin));
  return k;
}

Result<std::vector<uint8_t>> AdbKey::sign_token(std::span<const uint8_t> token) const {
  if (token.size() != 20)
    return fail(Errc::malformed,
                "AUTH token of " + std::to_string(token.size()) + " bytes (expected 20)");
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new(key_.get(), nullptr));
  // PKCS#1 v1.5 with md = SHA-1: OpenSSL wraps the 20 input bytes in SHA-1's DigestInfo and
  // does not hash them, which is exactly RSA_sign(NID_sha1, token, 20, ...).
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha1()) <= 0)
    return fail(Errc::crypto, openssl_error("preparing the signature"));
  std::size_t len = 0;
  if (EVP_PKEY_sign(ctx.get(), nullptr, &len, token.data(), token.size()) <= 0)
    return fail(Errc::crypto, openssl_error("sizing the signature"));
  std::vector<uint8_t> sig(len);
  if (EVP_PKEY_sign(ctx.get(), sig.data(), &len, token.data(), token.size()) <= 0)
    return fail(Errc::crypto, openssl_error("signing the AUTH token"));
  sig.resize(len);
  return sig;
}

Result<std::array<uint8_t, kAndroidPublicKeySize>> encode_android_public_key(
    std::span<const uint8_t> modulus_be, uint32_t exponent) {
  if (modulus_be.size() != kAdbModulusSize || (modulus_be.back() & 1) == 0)
    return fail(Errc::crypto, "modulus must be 256 bytes and odd");
  Bn n(BN_bin2bn(modulus_be.data(), static_cast<int>(modulus_be.size()), nullptr));
  Bn r32(BN_new()), n0inv(BN_new()), rr(BN_new());
  std::unique_ptr<BN_CTX, BnCtxFree> ctx(BN_CTX_new());
  if (!n || !r32 || !n0inv || !rr || !ctx) return fail(Errc::crypto, "out of memory");

  std::array<uint8_t, kAndroidPublicKeySize> out{};
  put_u32(&out[0], kAdbModulusSize / 4);  // modulus size in 32-bit words: 64
  // n0inv = -1 / n mod 2^32, the Montgomery constant for 32-bit words.
  if (!BN_set_bit(r32.get(), 32) || !BN_nnmod(n0inv.get(), n.get(), r32.get(), ctx.get()) ||
      !BN_mod_inverse(n0inv.get(), n0inv.get(), r32.get(), ctx.get()) ||
      !BN_sub(n0inv.get(), r32.get(), n0inv.get()))
    return fail(Errc::crypto, openssl_error("computing n0inv"));
  put_u32(&out[4], static_cast<uint32_t>(BN_get_word(n0inv.get())));
  // Modulus, little-endian.
  if (BN_bn2lebinpad(n.get(), &out[8], kAdbModulusSize) != static_cast<int>(kAdbModulusSize))
    return fail(Errc::crypto, openssl_error("writing the modulus"));
  // rr = (2^2048)^2 mod n, little-endian.
  if (!BN_set_bit(rr.get(), kAdbModulusSize * 8) ||
      !BN_mod_sqr(rr.get(), rr.get(), n.get(), ctx.get()) ||
      BN_bn2lebinpad(rr.get(), &out[8 + kAdbModulusSize], kAdbModulusSize) !=
          static_cast<int>(kAdbModulusSize))
    return fail(Errc::crypto, openssl_error("computing rr"));
  put_u32(&out[8 + 2 * kAdbModulusSize], exponent);
  return out;
}

Result<std::array<uint8_t, kAndroidPublicKeySize>> AdbKey::android_public_key() const {
  BIGNUM* n_raw = nullptr;
  BIGNUM* e_raw = nullptr;
  if (EVP_PKEY_get_bn_param(key_.get(), OSSL_PKEY_PARAM_RSA_N, &n_raw) <= 0 ||
      EVP_PKEY_get_bn_param(key_.get(), OSSL_PKEY_PARAM_RSA_E, &e_raw) <= 0) {
    BN_free(n_raw);
    return fail(Errc::crypto, openssl_error("reading the public key"));
  }
  Bn n(n_raw), e(e_raw);
  std::array<uint8_t, kAdbModulusSize> modulus{};
  if (BN_bn2binpad(n.get(), modulus.data(), modulus.size()) != static_cast<int>(modulus.size()))
    return fail(Errc::crypto, "modulus is not 256 bytes");
  if (BN_num_bits(e.get()) > 32) return fail(Errc::crypto, "public exponent does not fit 32 bits");
  return encode_android_public_key(modulus, static_cast<uint32_t>(BN_get_word(e.get())));
}

Result<std::string> AdbKey::public_key_line(std::string_view user_host) const {
  auto blob = android_public_key();
  if (!blob) return fail(blob.error());
  return base64_encode(*blob) + " " + std::string(user_host);
}

Result<std::string> AdbKey::fingerprint() const {
  auto blob = android_public_key();
  if (!blob) return fail(blob.error());
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(blob->data(), blob->size(), md, &len, EVP_md5(), nullptr) <= 0)
    return fail(Errc::crypto, openssl_error("MD5 of the public key"));
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02X", md[i]);
    if (i) out += ':';
    out += buf;
  }
  return out;
}

Result<std::string> AdbKey::private_pem() const {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      !PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr))
    return fail(Errc::crypto, openssl_error("writing the private key"));
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string base64_encode(std::span<const uint8_t> data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(),
                                static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Result<std::vector<uint8_t>> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return fail(Errc::malformed, "base64 length not a multiple of 4");
  std::vector<uint8_t> out(text.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return fail(Errc::malformed, "not base64");
  std::size_t len = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts padding as zero bytes: drop them.
  if (!text.empty() && text.back() == '=') --len;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

}  // namespace dfx::android
