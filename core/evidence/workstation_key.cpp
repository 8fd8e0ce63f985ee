#include "evidence/workstation_key.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

#include "base/hex.hpp"
#include "base/paths.hpp"

namespace dfx::evidence {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

std::string public_hex_of(EVP_PKEY* key) {
  unsigned char raw[32];
  size_t n = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(key, raw, &n) != 1 || n != sizeof raw) return {};
  return to_hex(std::span<const unsigned char>(raw, n));
}

std::vector<unsigned char> from_hex(const std::string& hex) {
  std::vector<unsigned char> out;
  if (hex.size() % 2) return {};
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int v = 0;
    for (int k = 0; k < 2; ++k) {
      const char c = hex[i + k];
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) return {};
      v = v * 16 + d;
    }
    out.push_back(static_cast<unsigned char>(v));
  }
  return out;
}

Result<KeyPtr> read_key(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return fail("cannot open the workstation key " + path.string());
  struct stat st {};
  if (::fstat(fd, &st) != 0 || (st.st_mode & 077) != 0 || st.st_uid != ::geteuid()) {
    ::close(fd);
    return fail("the workstation key " + path.string() +
                " is readable by others or not this user's: refused (chmod 600, and it may "
                "have been copied)");
  }
  FILE* f = ::fdopen(fd, "r");
  if (f == nullptr) {
    ::close(fd);
    return fail("cannot read the workstation key " + path.string());
  }
  KeyPtr key(PEM_read_PrivateKey(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519)
    return fail("the workstation key " + path.string() + " is not an Ed25519 private key");
  return key;
}

Result<KeyPtr> create_key(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  ::chmod(path.parent_path().c_str(), 0700);
  EVP_PKEY* raw = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  const bool made = ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &raw) == 1;
  EVP_PKEY_CTX_free(ctx);
  KeyPtr key(raw);
  if (!made) return fail("OpenSSL could not make an Ed25519 key");
  // O_EXCL: two first uses at once must not both write; the loser reads the winner's key.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return read_key(path);
    return fail("cannot create the workstation key " + path.string());
  }
  FILE* f = ::fdopen(fd, "w");
  const bool written =
      f && PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1 &&
      std::fflush(f) == 0 && ::fsync(fd) == 0;
  if (f) std::fclose(f);
  if (!written) {
    ::unlink(path.c_str());
    return fail("cannot write the workstation key " + path.string());
  }
  return key;
}

}  // namespace

struct WorkstationKey::Key {
  KeyPtr key;
};

WorkstationKey::WorkstationKey(std::unique_ptr<Key> key, std::string public_hex)
    : key_(std::move(key)), public_hex_(std::move(public_hex)) {}
WorkstationKey::~WorkstationKey() = default;
WorkstationKey::WorkstationKey(WorkstationKey&&) noexcept = default;
WorkstationKey& WorkstationKey::operator=(WorkstationKey&&) noexcept = default;

Result<std::filesystem::path> WorkstationKey::default_path() {
  auto f = locate_user_file("", "DFX_WORKSTATION_KEY", XdgBase::Data, "workstation-ed25519.pem");
  if (!f) return tl::unexpected(f.error());
  return f->path;
}

Result<WorkstationKey> WorkstationKey::load_or_create(const std::filesystem::path& path) {
  auto key = std::filesystem::exists(path) ? read_key(path) : create_key(path);
  if (!key) return tl::unexpected(key.error());
  std::string pub = public_hex_of(key->get());
  if (pub.empty()) return fail("cannot read the workstation key's public half");
  return WorkstationKey(std::make_unique<Key>(Key{std::move(*key)}), std::move(pub));
}

Result<std::string> WorkstationKey::sign(const std::string& message) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char sig[64];
  size_t n = sizeof sig;
  const bool ok =
      ctx && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key_->key.get()) == 1 &&
      EVP_DigestSign(ctx, sig, &n, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || n != sizeof sig) return fail("OpenSSL could not sign with the workstation key");
  return to_hex(std::span<const unsigned char>(sig, n));
}

bool verify_signature(const std::string& public_hex, const std::string& message,
                      const std::string& signature_hex) {
  const auto pub = from_hex(public_hex);
  const auto sig = from_hex(signature_hex);
  if (pub.size() != 32 || sig.size() != 64) return false;
  KeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pub.data(), pub.size()));
  if (!key) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key.get()) == 1 &&
      EVP_DigestVerify(ctx, sig.data(), sig.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace dfx::evidence
