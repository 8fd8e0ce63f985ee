#include "plugin_host/trusted_file.hpp"

#include "base/json_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace dfx::plugin_host {

std::optional<std::string> unsafe_owner_or_mode(unsigned uid, unsigned gid, unsigned mode,
                                                const std::string& what) {
  // A sticky folder (as /tmp) lets others add entries but not rename or remove ours.
  const bool sticky_folder = S_ISDIR(mode) && (mode & S_ISVTX);
  if ((mode & S_IWOTH) && !sticky_folder)
    return what + " is writable by other users (chmod o-w it)";
  // Group-writable is fine only for the caller's own group (Debian's user-private groups).
  if ((mode & S_IWGRP) && !sticky_folder && gid != ::getegid() && gid != 0)
    return what + " is writable by group " + std::to_string(gid) + " (chmod g-w it)";
  if (uid != 0 && uid != ::geteuid())
    return what + " is owned by another user (uid " + std::to_string(uid) + ")";
  return std::nullopt;
}

std::optional<std::string> unsafe_folder_chain(const std::filesystem::path& folder) {
  std::filesystem::path p = folder;
  for (;;) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return "folder " + p.string() + ": " + std::strerror(errno);
    if (!S_ISDIR(st.st_mode)) return p.string() + " is not a folder";
    if (auto why = unsafe_owner_or_mode(st.st_uid, st.st_gid, st.st_mode, "folder " + p.string()))
      return why;
    if (!p.has_relative_path()) return std::nullopt;  // reached /
    p = p.parent_path();
  }
}

Result<TrustedFile> TrustedFile::open(const std::filesystem::path& path) {
  std::error_code ec;
  const auto real = std::filesystem::canonical(path, ec);
  if (ec) return fail(path.string() + ": " + ec.message());
  if (auto why = unsafe_folder_chain(real.parent_path())) {
    if (real != std::filesystem::absolute(path))
      return fail(path.string() + " leads to " + real.string() + ", but " + *why);
    return fail(*why);
  }
  // O_NOFOLLOW: the resolved name must still be the file itself; O_NONBLOCK: a FIFO put there
  // does not make us wait (it is refused below).
  const int fd = ::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return fail(real.string() + ": cannot open: " + std::strerror(errno));
  TrustedFile file(fd, path, real);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail(real.string() + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return fail(real.string() + ": not a regular file");
  if (auto why = unsafe_owner_or_mode(st.st_uid, st.st_gid, st.st_mode, "file " + real.string()))
    return fail(*why);
  return file;
}

TrustedFile::TrustedFile(TrustedFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      real_(std::move(other.real_)) {}

TrustedFile& TrustedFile::operator=(TrustedFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    real_ = std::move(other.real_);
  }
  return *this;
}

TrustedFile::~TrustedFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::string TrustedFile::descriptor_path() const {
  return "/proc/self/fd/" + std::to_string(fd_);
}

Result<std::string> TrustedFile::read(std::size_t max_bytes, std::string_view what) const {
  auto text = read_at_most(fd_, max_bytes + 1);
  if (!text) return fail(path_.string() + ": cannot read: " + text.error().message);
  const std::size_t got = text->size();
  if (got > max_bytes)
    return fail(path_.string() + ": larger than " +
                (max_bytes >= 1024 ? std::to_string(max_bytes >> 10) + " KiB"
                                   : std::to_string(max_bytes) + " bytes") +
                ", " + std::string(what));
  return text;
}

}  // namespace dfx::plugin_host
