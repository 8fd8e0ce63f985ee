// A small ADB host for the emulator's tests: RSA keys in adb's format and a
// message-level client driving the virtual phone through libusb.
//
// The key encoder is written independently of the emulator's decoder (from
// the struct layout in the handset notes), so the two check each other; the
// fidelity test checks both against the real adb.
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <optional>
#include <string>

#include <dfx/testing/libusb_test.hpp>
#include "emulator.hpp"

namespace dfx::testing::test {

constexpr std::uint32_t kCnxn = 0x4e584e43, kAuth = 0x48545541, kOpen = 0x4e45504f,
                        kOkay = 0x59414b4f, kWrte = 0x45545257, kClse = 0x45534c43;

/// An RSA-2048 key pair as adb keeps it.
class AdbKey {
 public:
  AdbKey() : key_(EVP_RSA_gen(2048), &EVP_PKEY_free) {}

  /// adbkey.pub: base64 of the 524-byte RSAPublicKey struct + " user@host".
  std::string public_line(const std::string& comment = "tester@dfx-lab") const {
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    EVP_PKEY_get_bn_param(key_.get(), OSSL_PKEY_PARAM_RSA_N, &n);
    EVP_PKEY_get_bn_param(key_.get(), OSSL_PKEY_PARAM_RSA_E, &e);
    BN_CTX* ctx = BN_CTX_new();
    BIGNUM* r32 = BN_new();
    BIGNUM* n0inv = BN_new();
    BIGNUM* rr = BN_new();
    BN_set_bit(r32, 32);
    BN_mod_inverse(n0inv, n, r32, ctx);
    BN_sub(n0inv, r32, n0inv);  // -1/n mod 2^32
    BN_one(rr);
    BN_lshift(rr, rr, 4096);
    BN_mod(rr, rr, n, ctx);  // R^2 mod n, R = 2^2048
    std::vector<unsigned char> s(524);
    auto put32 = [&](std::size_t at, std::uint32_t v) {
      for (int i = 0; i < 4; ++i) s[at + i] = static_cast<unsigned char>(v >> (8 * i));
    };
    put32(0, 64);
    put32(4, static_cast<std::uint32_t>(BN_get_word(n0inv)));
    BN_bn2lebinpad(n, s.data() + 8, 256);
    BN_bn2lebinpad(rr, s.data() + 264, 256);
    put32(520, static_cast<std::uint32_t>(BN_get_word(e)));
    std::string b64(4 * ((s.size() + 2) / 3) + 1, '\0');
    const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), s.data(),
                                    static_cast<int>(s.size()));
    b64.resize(static_cast<std::size_t>(len));
    BN_free(r32), BN_free(n0inv), BN_free(rr), BN_free(n), BN_free(e), BN_CTX_free(ctx);
    return b64 + " " + comment;
  }

  /// RSA PKCS#1 v1.5 signature of the token taken as a SHA-1 digest.
  Bytes sign(const Bytes& token) const {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key_.get(), nullptr);
    EVP_PKEY_sign_init(ctx);
    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING);
    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha1());
    std::size_t len = 0;
    EVP_PKEY_sign(ctx, nullptr, &len, token.data(), token.size());
    Bytes sig(len);
    EVP_PKEY_sign(ctx, sig.data(), &len, token.data(), token.size());
    sig.resize(len);
    EVP_PKEY_CTX_free(ctx);
    return sig;
  }

 private:
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
};

struct AdbMessage {
  std::uint32_t command = 0, arg0 = 0, arg1 = 0, data_length = 0, data_check = 0, magic = 0;
  Bytes payload;
  std::string text() const { return std::string(payload.begin(), payload.end()); }
};

/// Message-level ADB host over libusb bulk transfers, reading the way adb
/// does: the header with one packet-sized transfer, the payload rounded up
/// to whole packets.
class AdbHost {
 public:
  AdbHost(libusb_device_handle* h, std::uint8_t in, std::uint8_t out) : h_(h), in_(in), out_(out) {}

  int send(std::uint32_t cmd, std::uint32_t a0, std::uint32_t a1, const Bytes& payload = {},
           bool checksum = false, std::uint32_t magic_xor = 0) {
    Bytes hdr;
    std::uint32_t sum = 0;
    if (checksum || checksums_)
      for (auto b : payload) sum += b;
    for (std::uint32_t v : {cmd, a0, a1, static_cast<std::uint32_t>(payload.size()), sum,
                            (cmd ^ 0xFFFFFFFFu) ^ magic_xor})
      for (int i = 0; i < 4; ++i) hdr.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    int done = 0;
    int r = libusb_bulk_transfer(h_, out_, hdr.data(), static_cast<int>(hdr.size()), &done, 1000);
    if (r == 0 && !payload.empty())
      r = libusb_bulk_transfer(h_, out_, const_cast<unsigned char*>(payload.data()),
                               static_cast<int>(payload.size()), &done, 1000);
    return r;
  }
  int send(std::uint32_t cmd, std::uint32_t a0, std::uint32_t a1, const std::string& payload) {
    return send(cmd, a0, a1, Bytes(payload.begin(), payload.end()));
  }

  /// The next message; nullopt on timeout or error (last_error() says which).
  /// `max_payload` bounds what is read after the header.
  std::optional<AdbMessage> read(unsigned timeout_ms = 1000,
                                 std::uint32_t max_payload = 1024 * 1024) {
    unsigned char buf[512];
    int got = 0;
    last_error_ = libusb_bulk_transfer(h_, in_, buf, sizeof buf, &got, timeout_ms);
    if (last_error_ != 0) return std::nullopt;
    if (got != 24) {
      last_error_ = LIBUSB_ERROR_OTHER;
      return std::nullopt;
    }
    auto u32 = [&](int at) {
      return static_cast<std::uint32_t>(buf[at]) | static_cast<std::uint32_t>(buf[at + 1]) << 8 |
             static_cast<std::uint32_t>(buf[at + 2]) << 16 |
             static_cast<std::uint32_t>(buf[at + 3]) << 24;
    };
    AdbMessage m{u32(0), u32(4), u32(8), u32(12), u32(16), u32(20), {}};
    if (m.data_length == 0 || m.data_length > max_payload)
      return m;  // the caller judges the header
    m.payload.resize((m.data_length + 511) / 512 * 512);
    last_error_ = libusb_bulk_transfer(h_, in_, m.payload.data(),
                                       static_cast<int>(m.payload.size()), &got, timeout_ms);
    if (last_error_ != 0) return std::nullopt;
    m.payload.resize(static_cast<std::size_t>(got));
    return m;
  }
  int last_error() const { return last_error_; }

  /// CNXN as adb 29 sends it.
  int connect(std::uint32_t version = 0x01000001, std::uint32_t max_payload = 1024 * 1024) {
    checksums_ = version < 0x01000001;  // an old host checksums everything it sends
    return send(kCnxn, version, max_payload, std::string("host::features=shell_v2,cmd,stat_v2"));
  }

  /// CNXN, then signs tokens with `key` until the banner comes (nullopt if it does not).
  std::optional<AdbMessage> connect_with(const AdbKey& key) {
    if (connect() != 0) return std::nullopt;
    auto m = read();
    if (m && m->command == kCnxn) return m;
    if (!m || m->command != kAuth || m->arg0 != 1) return std::nullopt;
    if (send(kAuth, 2, 0, key.sign(m->payload)) != 0) return std::nullopt;
    m = read();
    if (m && m->command == kCnxn) return m;
    return std::nullopt;
  }

  /// Opens a service and collects its output until CLSE, answering WRTE with OKAY.
  /// Returns nullopt when the device refuses (CLSE right away) or stops talking.
  std::optional<std::string> run(const std::string& service, std::uint32_t local_id = 7,
                                 std::vector<std::size_t>* write_sizes = nullptr) {
    if (send(kOpen, local_id, 0, service + std::string(1, '\0')) != 0) return std::nullopt;
    auto m = read();
    if (!m || m->command != kOkay || m->arg1 != local_id) return std::nullopt;
    const std::uint32_t remote = m->arg0;
    std::string out;
    for (;;) {
      m = read();
      if (!m) return std::nullopt;
      if (m->command == kClse) break;
      if (m->command != kWrte) return std::nullopt;
      out += m->text();
      if (write_sizes) write_sizes->push_back(m->payload.size());
      if (send(kOkay, local_id, remote) != 0) return std::nullopt;
    }
    send(kClse, local_id, remote);
    return out;
  }

 private:
  libusb_device_handle* h_;
  std::uint8_t in_, out_;
  int last_error_ = 0;
  bool checksums_ = false;
};

/// The kit's modules plus the Android emulators ("adbd", "fastboot"), as dfx-lab has them.
inline const BehaviorRegistry& android_registry() {
  static const BehaviorRegistry r = [] {
    auto reg = BehaviorRegistry::builtin();
    if (auto added = register_android_emulators(reg); !added) ADD_FAILURE() << added.error();
    return reg;
  }();
  return r;
}

}  // namespace dfx::testing::test
