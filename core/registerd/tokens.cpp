#include "registerd/tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include "base/hex.hpp"
#include "base/json_file.hpp"
#include "base/sha256.hpp"

namespace dfx::registerd {

Result<Tokens> Tokens::load(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail(path.string() + ": cannot read the tokens file");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    return fail(path.string() + ": others may read or change it (chmod 600 it): refused");
  auto text = read_small_file(path, 1 << 20, "not a tokens file");
  if (!text) return tl::unexpected(text.error());
  return parse(*text, path.string());
}

Result<Tokens> Tokens::parse(std::string_view text, std::string_view origin) {
  Tokens t;
  std::size_t line_no = 0;
  for (std::size_t at = 0; at <= text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (const auto hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) continue;
    const std::string where = std::string(origin) + ", line " + std::to_string(line_no) + ": ";
    const auto space = line.find(' ');
    if (space == std::string_view::npos) return fail(where + "not \"<name> <sha256 hex>\"");
    const std::string name(line.substr(0, space));
    const std::string sum(line.substr(line.find_first_not_of(' ', space)));
    if (sum.size() != 64 || sum.find_first_not_of("0123456789abcdef") != std::string::npos)
      return fail(where + "the hash is not 64 lower-case hex digits");
    for (const auto& e : t.entries_)
      if (e.name == name) return fail(where + "token name \"" + name + "\" given twice");
    t.entries_.push_back({name, sum});
  }
  if (t.entries_.empty()) return fail(std::string(origin) + ": no token");
  return t;
}

std::optional<std::string> Tokens::name_of(std::string_view token) const {
  const std::string sum = sha256_hex(token);
  std::optional<std::string> found;
  for (const auto& e : entries_)
    if (CRYPTO_memcmp(e.sha256.data(), sum.data(), sum.size()) == 0) found = e.name;
  return found;
}

std::pair<std::string, std::string> Tokens::make(const std::string& name) {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return {};
  const std::string token = to_hex(std::span<const unsigned char>(bytes, sizeof bytes));
  return {token, name + " " + sha256_hex(token)};
}

}  // namespace dfx::registerd
