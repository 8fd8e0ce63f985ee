#include "secret.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace dfx::register_http {
namespace {

using dfx::sdk::Status;

Status bad(const std::string& why) {
  return Status::error(DFX_ERR_INVALID_ARGUMENT, why);
}

}  // namespace

dfx::sdk::Result<std::string> read_secret(const Auth& auth) {
  if (auth.type == AuthType::None) return std::string();
  std::string secret;
  if (!auth.secret_env.empty()) {
    const char* v = std::getenv(auth.secret_env.c_str());
    if (v == nullptr)
      return bad("the secret's variable " + auth.secret_env +
                 " is not set in the register's sandbox (set it, and grant it in the register's "
                 "\"environment\")");
    secret = v;
  } else {
    const auto& path = auth.secret_file;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
      return bad("the secret file " + path.string() + " cannot be opened: " + std::strerror(errno) +
                 " (grant it in the register's \"files\")");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return bad("the secret file " + path.string() + " is not a regular file");
    }
    if ((st.st_mode & 077) != 0) {
      ::close(fd);
      return bad("the secret file " + path.string() +
                 " can be read by others than its owner "
                 "(chmod 600 it)");
    }
    char buf[4096];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    ::close(fd);
    if (n < 0 || n == sizeof buf)
      return bad("the secret file " + path.string() + " cannot be read or is over 4 KiB");
    secret.assign(buf, static_cast<std::size_t>(n));
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  }
  const std::string where =
      auth.secret_env.empty() ? "file " + auth.secret_file.string() : "variable " + auth.secret_env;
  if (secret.empty()) return bad("the secret in " + where + " is empty");
  if (secret.find_first_of("\r\n", 0) != std::string::npos ||
      secret.find('\0') != std::string::npos)
    return bad("the secret in " + where + " holds a line break or a NUL");
  return secret;
}

std::string basic_credential(const std::string& username, const std::string& secret) {
  const std::string plain = username + ":" + secret;
  std::string out(4 * ((plain.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(plain.data()),
                                static_cast<int>(plain.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string redact(std::string text, const std::string& secret) {
  if (secret.size() < 4) return text;  // too short to tell from ordinary words
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 8))
    text.replace(at, secret.size(), "[secret]");
  return text;
}

}  // namespace dfx::register_http
