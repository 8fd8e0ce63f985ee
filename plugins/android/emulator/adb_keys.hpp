// Android adb public keys (adbkey.pub) and the AUTH signature check.
//
// adbkey.pub is base64 of Android's 524-byte RSAPublicKey struct followed by
// " user@host": u32 word count (64), u32 n0inv (-1/n mod 2^32), modulus
// (256 bytes, little-endian), rr (R^2 mod n, little-endian), u32 exponent.
// The host signs the 20-byte AUTH token as if it were a SHA-1 digest:
// RSA PKCS#1 v1.5 with the SHA-1 DigestInfo, which is what
// RSA_verify(NID_sha1, token, 20, sig, ...) checks.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

typedef struct evp_pkey_st EVP_PKEY;

namespace dfx::testing::adb {

struct PublicKey {
  std::shared_ptr<EVP_PKEY> key;
  std::string comment;  ///< "user@host" after the base64, if any.
};

/// Parses one adbkey.pub line (trailing NUL/newline tolerated).
tl::expected<PublicKey, std::string> parse_public_key(std::string_view line);

/// True if `signature` is the key's PKCS#1 v1.5 SHA-1 signature of the 20-byte `token`.
bool verify_token_signature(const PublicKey& key, std::span<const std::uint8_t> token,
                            std::span<const std::uint8_t> signature);

/// Expands a leading "~" (HOME) and every ${VAR}; an unset variable is an error.
tl::expected<std::string, std::string> expand_path(std::string_view path);

/// The keys of an adbkey.pub-style file (one per non-empty line). A missing
/// file yields no keys: like a phone that never saw this workstation.
tl::expected<std::vector<PublicKey>, std::string> read_key_file(const std::string& path);

}  // namespace dfx::testing::adb
