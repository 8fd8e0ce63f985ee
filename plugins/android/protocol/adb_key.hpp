// One adb RSA key pair, compatible with adb's own (AOSP adb/client/auth.cpp,
// libcrypto_utils/android_pubkey.cpp), built on the OpenSSL 3 EVP API:
//   - the private key is a PEM file (adb writes PKCS#8 "BEGIN PRIVATE KEY"; the older
//     "BEGIN RSA PRIVATE KEY" form is read too), RSA-2048, exponent 65537;
//   - AUTH tokens (20 bytes) are signed as RSA_sign(NID_sha1, token, 20) does: PKCS#1 v1.5 over
//     the SHA-1 DigestInfo with the token taken as the digest, not hashed again;
//   - the public key is sent (and stored in adbkey.pub) as base64 of Android's 524-byte
//     RSAPublicKey struct followed by " user@host".
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

typedef struct evp_pkey_st EVP_PKEY;  // NOLINT: OpenSSL's own forward declaration

namespace dfx::android {

/// Size of Android's RSAPublicKey struct: u32 words, u32 n0inv, modulus[256], rr[256], u32 e.
inline constexpr std::size_t kAndroidPublicKeySize = 524;
/// Modulus size of adb keys in bytes (RSA-2048).
inline constexpr std::size_t kAdbModulusSize = 256;

/// An RSA-2048 key pair usable for adb authentication.
class AdbKey {
 public:
  /// Reads a PEM private key. Fails (crypto) when it is not an RSA-2048 private key.
  static Result<AdbKey> from_pem(std::string_view pem, std::string origin);

  /// Generates a fresh RSA-2048 key pair (exponent 65537).
  static Result<AdbKey> generate(std::string origin);

  /// Signs a 20-byte AUTH token (see the file comment). Fails (malformed) for another size.
  [[nodiscard]] Result<std::vector<uint8_t>> sign_token(std::span<const uint8_t> token) const;

  /// Android's 524-byte RSAPublicKey encoding of the public half.
  [[nodiscard]] Result<std::array<uint8_t, kAndroidPublicKeySize>> android_public_key() const;

  /// "<base64 of android_public_key()> <user_host>": what adbkey.pub holds and AUTH
  /// RSAPUBLICKEY carries (the sender adds the NUL).
  [[nodiscard]] Result<std::string> public_key_line(std::string_view user_host) const;

  /// MD5 of android_public_key() as upper-case hex pairs joined by ':', the fingerprint Android
  /// shows in its "Allow USB debugging?" dialog.
  [[nodiscard]] Result<std::string> fingerprint() const;

  /// The private key as PEM (PKCS#8), as adb writes adbkey.
  [[nodiscard]] Result<std::string> private_pem() const;

  /// Where the key came from (a file path, or "generated").
  [[nodiscard]] const std::string& origin() const { return origin_; }

  /// The OpenSSL key (owned by this object).
  [[nodiscard]] EVP_PKEY* raw() const { return key_.get(); }

 private:
  struct Free {
    void operator()(EVP_PKEY* k) const;
  };
  AdbKey(EVP_PKEY* key, std::string origin) : key_(key, Free{}), origin_(std::move(origin)) {}
  std::shared_ptr<EVP_PKEY> key_;
  std::string origin_;
};

/// Encodes Android's RSAPublicKey from a big-endian modulus and an exponent (exposed for tests
/// and for peers that want to compare). Fails (crypto) unless the modulus is 256 bytes, odd.
Result<std::array<uint8_t, kAndroidPublicKeySize>> encode_android_public_key(
    std::span<const uint8_t> modulus_be, uint32_t exponent);

/// Standard base64 (with padding, no line breaks).
std::string base64_encode(std::span<const uint8_t> data);

/// Inverse of base64_encode; fails (malformed) on bad input.
Result<std::vector<uint8_t>> base64_decode(std::string_view text);

}  // namespace dfx::android
