// SHA-1 via OpenSSL 3 EVP. The algorithm is fetched once per process and each thread keeps one
// digest context, so that normalizing many MEIDs does not re-fetch the algorithm every time.
#include "sha1.hpp"

#include <memory>

#include <openssl/evp.h>

namespace dfx::ident::detail {
namespace {

struct MdFree {
  void operator()(EVP_MD* md) const noexcept { EVP_MD_free(md); }
};
struct CtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

const EVP_MD* sha1_algorithm() {
  // Thread-safe one-time fetch (C++ static initialisation); nullptr when unavailable.
  static const std::unique_ptr<EVP_MD, MdFree> md(EVP_MD_fetch(nullptr, "SHA1", nullptr));
  return md.get();
}

}  // namespace

std::optional<std::array<unsigned char, 20>> sha1(const unsigned char* data, std::size_t size) {
  const EVP_MD* md = sha1_algorithm();
  if (md == nullptr) return std::nullopt;
  thread_local const std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx) return std::nullopt;
  std::array<unsigned char, 20> out{};
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data, size) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1 || len != out.size()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace dfx::ident::detail
