#include "key_store.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace dfx::android {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxKeys = 64;
constexpr std::uintmax_t kMaxKeyFile = 64 * 1024;

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

Result<std::string> read_small_file(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return fail(Errc::io, path.string() + ": " + ec.message());
  if (size > kMaxKeyFile) return fail(Errc::too_large, path.string() + ": too large for a key");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::io, path.string() + ": cannot open: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status write_file_0600(const fs::path& path, std::string_view data, bool exclusive) {
  const int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
  const int fd = ::open(path.c_str(), flags, 0600);
  if (fd < 0) return fail(Errc::io, path.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      return fail(Errc::io, path.string() + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  ::fchmod(fd, 0600);  // in case the file existed with wider permissions (O_TRUNC path)
  if (::close(fd) != 0) return fail(Errc::io, path.string() + ": " + std::strerror(errno));
  return {};
}

void load_file(KeyRing& ring, const fs::path& path) {
  if (ring.keys.size() >= kMaxKeys) {
    ring.notes.push_back("skipped " + path.string() + ": more than 64 keys");
    return;
  }
  auto pem = read_small_file(path);
  if (!pem) {
    ring.notes.push_back("skipped key " + pem.error().message);
    return;
  }
  auto key = AdbKey::from_pem(*pem, path.string());
  if (!key) {
    ring.notes.push_back("skipped key " + key.error().message);
    return;
  }
  if (!ring.add(std::move(*key))) ring.notes.push_back("ignored duplicate key " + path.string());
}

void load_vendor_path(KeyRing& ring, const fs::path& path) {
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (ec || st.type() == fs::file_type::not_found) {
    ring.notes.push_back("ADB_VENDOR_KEYS entry " + path.string() + " does not exist");
    return;
  }
  if (fs::is_regular_file(st)) return load_file(ring, path);
  if (!fs::is_directory(st)) {
    ring.notes.push_back("ADB_VENDOR_KEYS entry " + path.string() + " is not a file or folder");
    return;
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    const bool key_name =
        name == "adbkey" || (name.size() > 8 && name.compare(name.size() - 8, 8, ".adb_key") == 0);
    if (key_name && it->is_regular_file(ec)) files.push_back(it->path());
    if (files.size() > kMaxKeys) break;
  }
  std::sort(files.begin(), files.end());  // a stable order makes runs reproducible
  for (const auto& f : files) load_file(ring, f);
}

}  // namespace

KeyEnvironment KeyEnvironment::from_process() {
  KeyEnvironment env;
  env.android_user_home = env_or_empty("ANDROID_USER_HOME");
  env.home = env_or_empty("HOME");
  env.vendor_keys = env_or_empty("ADB_VENDOR_KEYS");
  std::string user = env_or_empty("LOGNAME");
  if (user.empty())
    if (const char* l = ::getlogin()) user = l;
  if (user.empty()) user = "unknown";
  std::string host = env_or_empty("HOSTNAME");
  if (host.empty()) {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) == 0) host = buf;
  }
  if (host.empty()) host = "unknown";
  env.user_host = user + "@" + host;
  return env;
}

Result<fs::path> adb_key_dir(const KeyEnvironment& env) {
  if (!env.android_user_home.empty()) return fs::path(env.android_user_home);
  if (!env.home.empty()) return fs::path(env.home) / ".android";
  return fail(Errc::not_found, "neither ANDROID_USER_HOME nor HOME is set");
}

Result<std::vector<uint8_t>> KeyRing::sign(std::size_t index,
                                           std::span<const uint8_t> token) const {
  if (index >= keys.size()) return fail(Errc::not_found, "no key " + std::to_string(index));
  return keys[index].sign_token(token);
}

Result<std::string> KeyRing::public_key() const {
  if (keys.empty()) return fail(Errc::not_found, "no adb key to offer");
  return keys.front().public_key_line(user_host);
}

bool KeyRing::add(AdbKey key) {
  auto blob = key.android_public_key();
  if (!blob) {
    notes.push_back("skipped key " + key.origin() + ": " + blob.error().message);
    return true;
  }
  for (const auto& k : keys)
    if (auto other = k.android_public_key(); other && *other == *blob) return false;
  keys.push_back(std::move(key));
  return true;
}

Status write_key_pair(const AdbKey& key, const fs::path& path, std::string_view user_host) {
  auto pem = key.private_pem();
  if (!pem) return fail(pem.error());
  auto pub = key.public_key_line(user_host);
  if (!pub) return fail(pub.error());

  // Write under a private temporary name, then link() it into place: link fails if adbkey
  // appeared meanwhile (another probe won), and adbkey is never seen half-written.
  // Random, not the pid: probes in their own PID namespaces all have small, equal pids.
  unsigned char salt[8] = {};
  if (::getrandom(salt, sizeof salt, 0) != static_cast<ssize_t>(sizeof salt))
    return fail(Errc::io,
                "no random bytes for a temporary name: " + std::string(std::strerror(errno)));
  std::string suffix;
  for (const unsigned char b : salt)
    suffix += "0123456789abcdef"[b >> 4], suffix += "0123456789abcdef"[b & 15];
  const fs::path tmp = path.string() + ".tmp." + suffix;
  ::unlink(tmp.c_str());
  if (auto st = write_file_0600(tmp, *pem, true); !st) return st;
  if (::link(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return fail(Errc::io, path.string() + ": " + why);
  }
  ::unlink(tmp.c_str());
  return write_file_0600(path.string() + ".pub", *pub + "\n", false);
}

KeyRing load_key_ring(const KeyEnvironment& env, bool generate_if_missing) {
  KeyRing ring;
  ring.user_host = env.user_host;

  if (auto dir = adb_key_dir(env); !dir) {
    ring.notes.push_back("no user key: " + dir.error().message);
  } else {
    const fs::path user_key = *dir / "adbkey";
    std::error_code ec;
    const bool exists = fs::exists(fs::symlink_status(user_key, ec));
    if (!exists && generate_if_missing) {
      fs::create_directories(*dir, ec);
      if (!ec)
        fs::permissions(*dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec,
                        ec);
      auto key = AdbKey::generate("generated");
      if (!key) {
        ring.notes.push_back("could not generate an adb key: " + key.error().message);
      } else if (auto st = write_key_pair(*key, user_key, env.user_host); st) {
        ring.generated = user_key;
        ring.notes.push_back("generated a new adb key pair at " + user_key.string() + " and " +
                             user_key.string() + ".pub");
      } else if (!fs::exists(user_key, ec)) {
        // Could not save it: still usable for this probe, but the phone cannot remember it.
        ring.notes.push_back("could not save the new adb key (" + st.error().message +
                             "); using it for this probe only");
        ring.add(std::move(*key));
      }
    }
    if (fs::exists(fs::symlink_status(user_key, ec))) load_file(ring, user_key);
  }

  std::string_view list = env.vendor_keys;
  while (!list.empty()) {
    const auto colon = list.find(':');
    const auto entry = list.substr(0, colon);
    list = colon == std::string_view::npos ? std::string_view{} : list.substr(colon + 1);
    if (!entry.empty()) load_vendor_path(ring, fs::path(std::string(entry)));
  }
  return ring;
}

}  // namespace dfx::android
