#include "fake_peer.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

namespace dfx::android::testing {
namespace {

std::vector<uint8_t> to_bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

uint32_t le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

// Like a real USB read, an empty pipe costs the timeout (capped so tests stay fast); returning
// at once would make the client spin.
Result<std::vector<uint8_t>> timeout_error(std::chrono::milliseconds timeout) {
  std::this_thread::sleep_for(std::min(timeout, std::chrono::milliseconds{100}));
  return fail(Errc::timeout, "fake: nothing to read");
}

}  // namespace

bool verify_adb_signature(const std::array<uint8_t, kAndroidPublicKeySize>& pk,
                          std::span<const uint8_t> token, std::span<const uint8_t> sig) {
  if (le32(&pk[0]) != 64) return false;
  BIGNUM* n = BN_lebin2bn(&pk[8], 256, nullptr);
  BIGNUM* e = BN_new();
  BN_set_word(e, le32(&pk[8 + 512]));
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* fctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* key = nullptr;
  bool ok = fctx && EVP_PKEY_fromdata_init(fctx) > 0 &&
            EVP_PKEY_fromdata(fctx, &key, EVP_PKEY_PUBLIC_KEY, params) > 0;
  if (ok) {
    EVP_PKEY_CTX* v = EVP_PKEY_CTX_new(key, nullptr);
    ok = v && EVP_PKEY_verify_init(v) > 0 &&
         EVP_PKEY_CTX_set_rsa_padding(v, RSA_PKCS1_PADDING) > 0 &&
         EVP_PKEY_CTX_set_signature_md(v, EVP_sha1()) > 0 &&
         EVP_PKEY_verify(v, sig.data(), sig.size(), token.data(), token.size()) == 1;
    EVP_PKEY_CTX_free(v);
  }
  EVP_PKEY_free(key);
  EVP_PKEY_CTX_free(fctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(n);
  BN_free(e);
  return ok;
}

const AdbKey& shared_test_key(int which) {
  static std::optional<AdbKey> keys[2];
  auto& k = keys[which & 1];
  if (!k) {
    const auto path = std::filesystem::path(DFX_ANDROID_TEST_KEYS) /
                      ("test" + std::to_string(which & 1) + ".pem");
    std::ifstream in(path);
    std::stringstream pem;
    pem << in.rdbuf();
    auto key = AdbKey::from_pem(pem.str(), path);
    if (!key) std::abort();  // the fixture is part of the source tree
    k = std::move(*key);
  }
  return *k;
}

// ---------------------------------------------------------------------------------------------
// FakePhone

void FakePhone::send(uint32_t cmd, uint32_t a0, uint32_t a1, std::string_view payload,
                     bool corrupt) {
  const auto bytes = to_bytes(payload);
  auto h = adb::make_header(cmd, a0, a1, bytes);
  if (s_.zero_checksum) h.data_check = 0;
  if (corrupt) {
    switch (s_.hostile) {
      case Hostile::bad_magic:
        h.magic = 0x12345678;
        break;
      case Hostile::bad_checksum:
        h.data_check = adb::checksum(bytes) + 1;
        break;
      case Hostile::huge_length:
        h.data_length = 2 * 1024 * 1024;
        break;
      default:
        break;
    }
  }
  const auto head = adb::encode_header(h);
  outbox_.emplace_back(head.begin(), head.end());
  if (!bytes.empty()) outbox_.push_back(bytes);
}

void FakePhone::send_token() {
  for (auto& b : token_) b = static_cast<uint8_t>(++token_counter_ * 37);
  send(adb::kAuth, adb::kAuthToken, 0,
       std::string_view(reinterpret_cast<const char*>(token_.data()), token_.size()));
}

bool FakePhone::verify(std::span<const uint8_t> sig) const {
  for (const auto& k : s_.authorized)
    if (verify_adb_signature(k, token_, sig)) return true;
  return false;
}

void FakePhone::next_chunk(uint32_t local, uint32_t remote) {
  auto& st = streams_[local];
  if (s_.hostile == Hostile::endless_wrte && s_.hostile_in_stream) {
    send(adb::kWrte, remote, local, std::string(4096, 'x'));
    return;
  }
  if (st.pending.empty()) {
    if (!st.closing) {
      st.closing = true;
      send(adb::kClse, remote, local, {});
    }
    return;
  }
  const auto n = std::min(st.pending.size(), s_.write_chunk);
  const bool corrupt = s_.hostile_in_stream && !hostile_done_ &&
                       (s_.hostile == Hostile::bad_magic || s_.hostile == Hostile::bad_checksum ||
                        s_.hostile == Hostile::huge_length);
  if (corrupt) hostile_done_ = true;
  send(adb::kWrte, remote, local, st.pending.substr(0, n), corrupt);
  st.pending.erase(0, n);
  if (s_.hostile == Hostile::disconnect && s_.hostile_in_stream) gone_ = true;
}

void FakePhone::on_message(const adb::Message& m) {
  received.push_back(m);
  const auto& h = m.header;
  const std::string_view payload(reinterpret_cast<const char*>(m.payload.data()), m.payload.size());
  if (s_.hostile == Hostile::silent) return;

  if (h.command == adb::kCnxn) {
    if (!s_.hostile_in_stream) {
      switch (s_.hostile) {
        case Hostile::garbage:
          outbox_.push_back(to_bytes("this is not an adb msg!!"));
          return;
        case Hostile::huge_banner:
          send(adb::kCnxn, s_.version, s_.max_payload, "device::" + std::string(1024 * 1024, 'A'));
          return;
        case Hostile::bad_magic:
        case Hostile::bad_checksum:
        case Hostile::huge_length:
          if (s_.auth_required) {
            for (auto& b : token_) b = 7;
            send(adb::kAuth, adb::kAuthToken, 0, std::string(20, '\7'), true);
          } else {
            send(adb::kCnxn, s_.version, s_.max_payload, s_.banner, true);
          }
          return;
        case Hostile::disconnect:
          gone_ = true;
          return;
        default:
          break;
      }
    }
    if (!s_.auth_required) {
      connected_ = true;
      send(adb::kCnxn, s_.version, s_.max_payload, s_.banner);
    } else {
      send_token();
    }
    return;
  }
  if (h.command == adb::kAuth) {
    if (h.arg0 == adb::kAuthSignature) {
      if (verify(m.payload)) {
        ++good_signatures;
        connected_ = true;
        send(adb::kCnxn, s_.version, s_.max_payload, s_.banner);
      } else {
        ++bad_signatures;
        send_token();
      }
    } else if (h.arg0 == adb::kAuthRsaPublicKey) {
      offered_key = std::string(payload.substr(0, payload.find('\0')));
      if (s_.user_accepts_offered_key) {
        connected_ = true;
        send(adb::kCnxn, s_.version, s_.max_payload, s_.banner);
      }
    }
    return;
  }
  if (!connected_) return;
  if (h.command == adb::kOpen) {
    std::string dest(payload.substr(0, payload.find('\0')));
    opened.push_back(dest);
    auto it = s_.services.find(dest);
    if (it == s_.services.end()) {
      send(adb::kClse, 0, h.arg0, {});  // failed open
      return;
    }
    const uint32_t remote = next_remote_++;
    remote_of_[h.arg0] = remote;
    streams_[h.arg0] = Stream{it->second, false};
    send(adb::kOkay, remote, h.arg0, {});
    next_chunk(h.arg0, remote);
    return;
  }
  if (h.command == adb::kOkay) {
    if (auto it = remote_of_.find(h.arg0); it != remote_of_.end()) next_chunk(h.arg0, it->second);
    return;
  }
  if (h.command == adb::kClse) {
    streams_.erase(h.arg0);
    remote_of_.erase(h.arg0);
  }
}

Status FakePhone::write(std::span<const uint8_t> data, std::chrono::milliseconds) {
  if (gone_) return fail(Errc::disconnected, "fake: device gone");
  inbox_.insert(inbox_.end(), data.begin(), data.end());
  while (inbox_.size() >= adb::kHeaderSize) {
    auto h = adb::decode_header(inbox_);
    if (inbox_.size() < adb::kHeaderSize + h->data_length) break;
    adb::Message m;
    m.header = *h;
    m.payload.assign(
        inbox_.begin() + adb::kHeaderSize,
        inbox_.begin() + static_cast<std::ptrdiff_t>(adb::kHeaderSize + h->data_length));
    inbox_.erase(inbox_.begin(),
                 inbox_.begin() + static_cast<std::ptrdiff_t>(adb::kHeaderSize + h->data_length));
    on_message(m);
  }
  return {};
}

Result<std::vector<uint8_t>> FakePhone::read(std::size_t max_bytes,
                                             std::chrono::milliseconds timeout) {
  ++reads;
  if (outbox_.empty()) {
    if (gone_) return fail(Errc::disconnected, "fake: device gone");
    return timeout_error(timeout);
  }
  auto& front = outbox_.front();
  if (front.size() > max_bytes) {
    // Like a USB transfer: the client gets what fits now, the rest on the next read.
    std::vector<uint8_t> part(front.begin(),
                              front.begin() + static_cast<std::ptrdiff_t>(max_bytes));
    front.erase(front.begin(), front.begin() + static_cast<std::ptrdiff_t>(max_bytes));
    return part;
  }
  auto out = std::move(front);
  outbox_.pop_front();
  return out;
}

// ---------------------------------------------------------------------------------------------
// FakeBootloader

Status FakeBootloader::write(std::span<const uint8_t> data, std::chrono::milliseconds) {
  if (s_.hostile == BootloaderScript::Hostile::disconnect && !commands.empty())
    return fail(Errc::disconnected, "fake: bootloader gone");
  std::string cmd(data.begin(), data.end());
  commands.push_back(cmd);
  using H = BootloaderScript::Hostile;
  switch (s_.hostile) {
    case H::silent:
      return {};
    case H::oversize:
      outbox_.push_back("OKAY" + std::string(300, 'x'));
      return {};
    case H::bad_prefix:
      outbox_.push_back("WHAT is this");
      return {};
    case H::data:
      outbox_.push_back("DATA00001000");
      return {};
    case H::endless_info:
      endless_ = true;
      return {};
    default:
      break;
  }
  if (cmd == "getvar:all") {
    for (const auto& l : s_.all_lines) outbox_.push_back("INFO" + l);
    outbox_.push_back("OKAY");
    return {};
  }
  if (cmd.rfind("getvar:", 0) == 0) {
    auto it = s_.vars.find(cmd.substr(7));
    outbox_.push_back(it == s_.vars.end() ? "FAILGetVar Variable Not found" : "OKAY" + it->second);
    return {};
  }
  outbox_.push_back("FAILunknown command");
  return {};
}

Result<std::vector<uint8_t>> FakeBootloader::read(std::size_t max_bytes,
                                                  std::chrono::milliseconds timeout) {
  ++reads;
  if (s_.hostile == BootloaderScript::Hostile::disconnect && !commands.empty())
    return fail(Errc::disconnected, "fake: bootloader gone");
  if (endless_) return to_bytes("INFOmore and more");
  if (outbox_.empty()) return timeout_error(timeout);
  std::string r = std::move(outbox_.front());
  outbox_.pop_front();
  if (r.size() > max_bytes) r.resize(max_bytes);
  return to_bytes(r);
}

}  // namespace dfx::android::testing

namespace {

// Every test of this binary runs with HOME and ANDROID_USER_HOME in a private temporary folder
// and without ADB_VENDOR_KEYS, so no workstation key can be read or written by mistake.
class PrivateHome : public ::testing::Environment {
 public:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("dfx-android-test-home-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "android");
    ::setenv("HOME", dir_.c_str(), 1);
    ::setenv("ANDROID_USER_HOME", (dir_ / "android").c_str(), 1);
    ::unsetenv("ADB_VENDOR_KEYS");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

 private:
  std::filesystem::path dir_;
};

[[maybe_unused]] ::testing::Environment* const kPrivateHome =
    ::testing::AddGlobalTestEnvironment(new PrivateHome);

}  // namespace
