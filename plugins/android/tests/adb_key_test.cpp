#include "adb_key.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <gtest/gtest.h>

#include "fake_peer.hpp"

namespace dfx::android {
namespace {

using testing::shared_test_key;

uint32_t le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

std::array<uint8_t, 20> token() {
  std::array<uint8_t, 20> t{};
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = static_cast<uint8_t>(i * 13 + 1);
  return t;
}

TEST(AdbKey, PublicKeyStructLayout) {
  const auto& key = shared_test_key();
  auto blob = key.android_public_key();
  ASSERT_TRUE(blob) << blob.error().message;
  EXPECT_EQ(blob->size(), 524u);
  EXPECT_EQ(le32(&(*blob)[0]), 64u);       // modulus size in words
  EXPECT_EQ(le32(&(*blob)[520]), 65537u);  // exponent

  // Modulus little-endian equals the key's n.
  BIGNUM* n = nullptr;
  ASSERT_GT(EVP_PKEY_get_bn_param(key.raw(), OSSL_PKEY_PARAM_RSA_N, &n), 0);
  std::array<uint8_t, 256> le{};
  BN_bn2lebinpad(n, le.data(), 256);
  EXPECT_TRUE(std::equal(le.begin(), le.end(), blob->begin() + 8));

  // n0inv * n[0] == -1 mod 2^32.
  const uint32_t n0 = le32(&(*blob)[8]);
  const uint32_t n0inv = le32(&(*blob)[4]);
  EXPECT_EQ(static_cast<uint32_t>(n0 * n0inv), 0xFFFFFFFFu);

  // rr == 2^4096 mod n, computed another way (modular exponentiation).
  BN_CTX* ctx = BN_CTX_new();
  BIGNUM* two = BN_new();
  BIGNUM* exp = BN_new();
  BIGNUM* rr = BN_new();
  BN_set_word(two, 2);
  BN_set_word(exp, 4096);
  BN_mod_exp(rr, two, exp, n, ctx);
  std::array<uint8_t, 256> rr_le{};
  BN_bn2lebinpad(rr, rr_le.data(), 256);
  EXPECT_TRUE(std::equal(rr_le.begin(), rr_le.end(), blob->begin() + 8 + 256));
  BN_free(rr);
  BN_free(exp);
  BN_free(two);
  BN_CTX_free(ctx);
  BN_free(n);
}

TEST(AdbKey, SignatureIsPkcs1Sha1DigestInfoOverTheRawToken) {
  const auto& key = shared_test_key();
  const auto t = token();
  auto sig = key.sign_token(t);
  ASSERT_TRUE(sig) << sig.error().message;
  ASSERT_EQ(sig->size(), 256u);

  // Recover the encoded block with the public key and no padding: it must be
  // 00 01 FF..FF 00 || DigestInfo(SHA-1) || token, exactly what RSA_sign(NID_sha1, ...) makes.
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key.raw(), nullptr);
  ASSERT_GT(EVP_PKEY_verify_recover_init(ctx), 0);
  ASSERT_GT(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING), 0);
  std::array<uint8_t, 256> block{};
  std::size_t len = block.size();
  ASSERT_GT(EVP_PKEY_verify_recover(ctx, block.data(), &len, sig->data(), sig->size()), 0);
  EVP_PKEY_CTX_free(ctx);
  ASSERT_EQ(len, 256u);
  static const uint8_t kSha1DigestInfo[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                            0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
  const std::size_t tail = sizeof kSha1DigestInfo + 20;
  EXPECT_EQ(block[0], 0x00);
  EXPECT_EQ(block[1], 0x01);
  for (std::size_t i = 2; i < 256 - tail - 1; ++i) ASSERT_EQ(block[i], 0xFF) << i;
  EXPECT_EQ(block[256 - tail - 1], 0x00);
  EXPECT_TRUE(std::equal(std::begin(kSha1DigestInfo), std::end(kSha1DigestInfo),
                         block.begin() + (256 - tail)));
  EXPECT_TRUE(std::equal(t.begin(), t.end(), block.begin() + (256 - 20)));
}

TEST(AdbKey, VerifiesThroughTheAndroidPublicKey) {
  const auto& key = shared_test_key();
  const auto t = token();
  auto sig = key.sign_token(t);
  auto blob = key.android_public_key();
  ASSERT_TRUE(sig && blob);
  EXPECT_TRUE(testing::verify_adb_signature(*blob, t, *sig));
  auto other = shared_test_key(1).android_public_key();
  EXPECT_FALSE(testing::verify_adb_signature(*other, t, *sig));
}

TEST(AdbKey, RefusesTokensOfAnotherSize) {
  std::array<uint8_t, 19> t{};
  EXPECT_EQ(shared_test_key().sign_token(t).error().code, Errc::malformed);
}

TEST(AdbKey, PublicKeyLineIsBase64AndUserHost) {
  auto line = shared_test_key().public_key_line("tech@bench");
  ASSERT_TRUE(line);
  const auto space = line->find(' ');
  ASSERT_NE(space, std::string::npos);
  EXPECT_EQ(space, 700u);  // 4 * ceil(524 / 3)
  EXPECT_EQ(line->substr(space), " tech@bench");
  auto decoded = base64_decode(line->substr(0, space));
  ASSERT_TRUE(decoded);
  auto blob = shared_test_key().android_public_key();
  EXPECT_TRUE(std::equal(decoded->begin(), decoded->end(), blob->begin(), blob->end()));
}

TEST(AdbKey, PemRoundTripAndFingerprint) {
  auto pem = shared_test_key().private_pem();
  ASSERT_TRUE(pem);
  EXPECT_NE(pem->find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  auto again = AdbKey::from_pem(*pem, "copy");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again->android_public_key(), *shared_test_key().android_public_key());
  auto fp = shared_test_key().fingerprint();
  ASSERT_TRUE(fp);
  EXPECT_EQ(fp->size(), 16u * 3 - 1);  // MD5 as XX:XX:...
}

TEST(AdbKey, RefusesNonKeysAndOtherSizes) {
  EXPECT_EQ(AdbKey::from_pem("not a key", "x").error().code, Errc::crypto);
  EVP_PKEY* small = EVP_RSA_gen(1024);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, small, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  auto k = AdbKey::from_pem(std::string_view(data, static_cast<std::size_t>(n)), "small");
  ASSERT_FALSE(k);
  EXPECT_NE(k.error().message.find("1024 bits"), std::string::npos);
  BIO_free(bio);
  EVP_PKEY_free(small);
}

TEST(AdbKey, Base64) {
  const std::string s = "hello!";
  EXPECT_EQ(base64_encode({reinterpret_cast<const uint8_t*>(s.data()), s.size()}), "aGVsbG8h");
  EXPECT_EQ(base64_encode({reinterpret_cast<const uint8_t*>(s.data()), 4}), "aGVsbA==");
  auto d = base64_decode("aGVsbA==");
  ASSERT_TRUE(d);
  EXPECT_EQ(std::string(d->begin(), d->end()), "hell");
  EXPECT_FALSE(base64_decode("abc"));
}

}  // namespace
}  // namespace dfx::android
