#include "tac/import.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <cstdint>

namespace dfx::tac {
namespace {

// Far above any real list (the GSMA's full TAC database is a few tens of MiB); stops a mistaken
// `dfx tac import /dev/zero` from eating the memory.
constexpr std::uintmax_t kMaxFileSize = 1ull << 30;

Result<std::string> read_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) return fail(file.string() + " is a folder");
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot read " + file.string() + ": " + std::strerror(errno));
  std::string data;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<std::size_t>(in.gcount()));
    if (data.size() > kMaxFileSize)
      return fail(file.string() + " is larger than 1 GiB; that is not a TAC list");
  }
  if (in.bad()) return fail("error reading " + file.string());
  return data;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xF]);
  }
  return out;
}

Result<ImportReport> import_osmocom_file(TacDatabase& db, const std::filesystem::path& file,
                                         const OsmocomOptions& options) {
  auto data = read_file(file);
  if (!data) return tl::unexpected(std::move(data.error()));
  // Everything is checked before the database is touched: a bad row costs nothing.
  auto list = parse_osmocom_tac_list(*data, file.string(), options);
  if (!list) return tl::unexpected(std::move(list.error()));
  const std::string digest = sha256_hex(*data);
  if (digest.empty()) return fail("computing the SHA-256 of " + file.string() + " failed");
  std::error_code ec;
  auto absolute = std::filesystem::absolute(file, ec);
  if (ec) absolute = file;
  auto rec = db.replace_all(*list, absolute.lexically_normal().string(), digest);
  if (!rec) return tl::unexpected(std::move(rec.error()));
  return ImportReport{std::move(*rec), std::move(list->skipped), list->repeated};
}

}  // namespace dfx::tac
