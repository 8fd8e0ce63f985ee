#include "base/sha256.hpp"

#include <openssl/evp.h>

#include <span>

#include "base/hex.hpp"

namespace dfx {

struct Sha256::State {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1;
  ~State() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::string_view bytes) {
  if (state_->ok && EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size()) != 1)
    state_->ok = false;
}

std::string Sha256::hex() const {
  if (!state_->ok) return {};
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* copy = EVP_MD_CTX_new();  // finalizing a copy keeps the running digest usable
  const bool ok = copy != nullptr && EVP_MD_CTX_copy_ex(copy, state_->ctx) == 1 &&
                  EVP_DigestFinal_ex(copy, md, &len) == 1;
  EVP_MD_CTX_free(copy);
  return ok ? to_hex(std::span<const unsigned char>(md, len)) : std::string();
}

bool Sha256::finish_and_reset(std::array<unsigned char, 32>& out) {
  unsigned int len = 0;
  const bool ok =
      state_->ok && EVP_DigestFinal_ex(state_->ctx, out.data(), &len) == 1 && len == out.size();
  state_->ok = EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) == 1;
  return ok && state_->ok;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 digest;
  digest.update(bytes);
  return digest.hex();
}

}  // namespace dfx
