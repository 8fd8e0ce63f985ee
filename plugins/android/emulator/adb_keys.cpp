// Android adb public keys and AUTH signature verification (OpenSSL 3 EVP API).
#include "adb_keys.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace dfx::testing::adb {
namespace {

constexpr std::size_t modulus_bytes = 256;                               // RSA-2048
constexpr std::size_t key_struct_bytes = 4 + 4 + 2 * modulus_bytes + 4;  // 524

std::uint32_t le32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

tl::expected<std::vector<unsigned char>, std::string> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0)
    return tl::unexpected(std::string("base64 length is not a multiple of 4"));
  std::vector<unsigned char> out(text.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return tl::unexpected(std::string("invalid base64"));
  // EVP_DecodeBlock counts the bytes the '=' padding stands for; drop them.
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --size;
  out.resize(size);
  return out;
}

}  // namespace

tl::expected<PublicKey, std::string> parse_public_key(std::string_view line) {
  while (!line.empty() &&
         (line.back() == '\0' || line.back() == '\n' || line.back() == '\r' || line.back() == ' '))
    line.remove_suffix(1);
  const auto space = line.find(' ');
  const std::string_view b64 = line.substr(0, space);
  PublicKey key;
  if (space != std::string_view::npos) key.comment = std::string(line.substr(space + 1));
  auto raw = base64_decode(b64);
  if (!raw) return tl::unexpected("adb public key: " + raw.error());
  if (raw->size() != key_struct_bytes)
    return tl::unexpected("adb public key: decoded " + std::to_string(raw->size()) +
                          " bytes, expected " + std::to_string(key_struct_bytes) +
                          " (Android RSAPublicKey struct, RSA-2048)");
  const unsigned char* p = raw->data();
  if (le32(p) != modulus_bytes / 4)
    return tl::unexpected("adb public key: word count " + std::to_string(le32(p)) +
                          ", expected 64");
  const std::uint32_t exponent = le32(p + 8 + 2 * modulus_bytes);

  std::unique_ptr<BIGNUM, decltype(&BN_free)> n(BN_lebin2bn(p + 8, modulus_bytes, nullptr),
                                                &BN_free);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> e(BN_new(), &BN_free);
  if (!n || !e || !BN_set_word(e.get(), exponent))
    return tl::unexpected(std::string("adb public key: out of memory"));
  // n0inv must agree with the modulus: a cheap check that the struct is not garbage.
  std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> bnctx(BN_CTX_new(), &BN_CTX_free);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> r32(BN_new(), &BN_free), inv(BN_new(), &BN_free);
  BN_set_bit(r32.get(), 32);
  if (!BN_mod_inverse(inv.get(), n.get(), r32.get(), bnctx.get()))
    return tl::unexpected(std::string("adb public key: modulus is even"));
  const std::uint32_t n0inv =
      static_cast<std::uint32_t>(0u - static_cast<std::uint32_t>(BN_get_word(inv.get())));
  if (n0inv != le32(p + 4))
    return tl::unexpected(std::string("adb public key: n0inv does not match the modulus"));

  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(),
                                                                      &OSSL_PARAM_BLD_free);
  if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()))
    return tl::unexpected(std::string("adb public key: cannot build OpenSSL parameters"));
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()),
                                                                 &OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), &EVP_PKEY_CTX_free);
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
    return tl::unexpected(std::string("adb public key: OpenSSL rejected the RSA key"));
  key.key.reset(pkey, &EVP_PKEY_free);
  return key;
}

bool verify_token_signature(const PublicKey& key, std::span<const std::uint8_t> token,
                            std::span<const std::uint8_t> signature) {
  if (!key.key) return false;
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new(key.key.get(), nullptr), &EVP_PKEY_CTX_free);
  // With a signature digest set, EVP_PKEY_verify takes `token` as the digest
  // and checks the PKCS#1 v1.5 DigestInfo for SHA-1 around it.
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha1()) <= 0)
    return false;
  return EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), token.data(),
                         token.size()) == 1;
}

tl::expected<std::string, std::string> expand_path(std::string_view path) {
  std::string out;
  std::size_t i = 0;
  if (!path.empty() && path[0] == '~' && (path.size() == 1 || path[1] == '/')) {
    const char* home = std::getenv("HOME");
    if (!home)
      return tl::unexpected("\"" + std::string(path) + "\": ~ needs HOME, which is not set");
    out = home;
    i = 1;
  }
  while (i < path.size()) {
    if (path[i] == '$' && i + 1 < path.size() && path[i + 1] == '{') {
      const auto close = path.find('}', i + 2);
      if (close == std::string_view::npos)
        return tl::unexpected("\"" + std::string(path) + "\": unterminated ${");
      const std::string name(path.substr(i + 2, close - i - 2));
      const char* value = std::getenv(name.c_str());
      if (!value)
        return tl::unexpected("\"" + std::string(path) + "\": environment variable " + name +
                              " is not set");
      out += value;
      i = close + 1;
    } else {
      out += path[i++];
    }
  }
  return out;
}

tl::expected<std::vector<PublicKey>, std::string> read_key_file(const std::string& path) {
  std::vector<PublicKey> keys;
  std::ifstream in(path);
  if (!in) return keys;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r\n") == std::string::npos || line[0] == '\0') continue;
    auto key = parse_public_key(line);
    if (!key) return tl::unexpected(path + ":" + std::to_string(number) + ": " + key.error());
    keys.push_back(std::move(*key));
  }
  return keys;
}

}  // namespace dfx::testing::adb
