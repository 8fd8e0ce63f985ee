// Plugin files (manifests and libraries) opened once, checked on the open descriptor and used
// through it. Whoever can change a plugin file, or a folder on its way from /, can run code as
// the technician (often root): a check of a path that is opened again later can be raced (swap
// the file between the check and dlopen), and a check of a symbolic link's folder says nothing
// about where the link points. So the path is resolved, every folder from its real folder up to /
// is checked, the file is opened without following a link, the open file is checked, and from
// then on only the descriptor is used (dlopen of /proc/self/fd/N).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace dfx::plugin_host {

/// Why a file or folder with this owner and mode could be changed by another user, or nullopt.
/// Refused: writable by others (a folder only with the sticky bit, as /tmp, is safe: others can
/// add entries there but not replace ours), writable by a group other than ours or root's, owned
/// by a user other than root or us. `what` names it in the reason ("folder /opt/x").
std::optional<std::string> unsafe_owner_or_mode(unsigned uid, unsigned gid, unsigned mode,
                                                const std::string& what);

/// Checks `folder` (resolved: no symbolic links) and every folder above it up to /. Returns the
/// first problem, or nullopt.
std::optional<std::string> unsafe_folder_chain(const std::filesystem::path& folder);

/// A plugin file opened for reading after the checks above; closes its descriptor when destroyed.
class TrustedFile {
 public:
  /// Resolves `path`, checks its folders and the open file (a regular file, safe owner and mode)
  /// and keeps it open. Errors name the file and the reason.
  static Result<TrustedFile> open(const std::filesystem::path& path);

  TrustedFile(TrustedFile&& other) noexcept;
  TrustedFile& operator=(TrustedFile&& other) noexcept;
  TrustedFile(const TrustedFile&) = delete;
  TrustedFile& operator=(const TrustedFile&) = delete;
  ~TrustedFile();

  /// The path as it was given.
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  /// The path with every symbolic link resolved, as it was when opened.
  [[nodiscard]] const std::filesystem::path& real_path() const { return real_; }
  /// A path that names the open file itself ("/proc/self/fd/N"), for APIs that take a path.
  [[nodiscard]] std::string descriptor_path() const;
  /// The open descriptor (kept by a sandbox that loads the library through it).
  [[nodiscard]] int descriptor() const { return fd_; }
  /// The whole file, at most `max_bytes`, read from the descriptor; `what` names what it should
  /// be in the error when it is larger ("not a manifest").
  [[nodiscard]] Result<std::string> read(std::size_t max_bytes, std::string_view what) const;

 private:
  TrustedFile(int fd, std::filesystem::path path, std::filesystem::path real)
      : fd_(fd), path_(std::move(path)), real_(std::move(real)) {}
  int fd_ = -1;
  std::filesystem::path path_;
  std::filesystem::path real_;
};

}  // namespace dfx::plugin_host
