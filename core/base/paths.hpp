// Where things are: the folders the host derives from where it runs (so that a build tree and an
// install both work without flags), and the user's files under the XDG Base Directory rules.
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include "base/result.hpp"

namespace dfx {

/// The folder of the running executable (from /proc/self/exe).
std::filesystem::path executable_dir();

/// The probe worker: $DFX_PROBE if set, else dfx-probe beside the running executable.
std::filesystem::path probe_worker_path();

/// The project's read-only data folder (<prefix>/share/dfx, or the source tree's data when run
/// from a build): $DFX_DATA_DIR if set, else <exe dir>/../share/dfx.
std::filesystem::path data_dir();

/// Reads an environment variable; nullptr when unset. Injectable for tests.
using GetEnv = std::function<const char*(const char*)>;

/// getenv(3) as a GetEnv.
const GetEnv& process_env();

/// The XDG base folders dfx keeps user files in.
enum class XdgBase {
  Data,    ///< $XDG_DATA_HOME, else ~/.local/share
  Config,  ///< $XDG_CONFIG_HOME, else ~/.config
};

/// A user file's location and what chose it: a missing file is worth a warning (or an error)
/// only when the user named it.
struct UserFile {
  enum class Source { Option, Environment, Default };
  std::filesystem::path path;
  Source source = Source::Default;
  /// True when the user named the file (option or environment), false for the XDG default.
  [[nodiscard]] bool named() const { return source != Source::Default; }
};

/// Where the user file `file_name` is:
///  1. `option` (a command-line value) when not empty;
///  2. the environment variable `env_var` when set and not empty;
///  3. <base>/dfx/<file_name>, where <base> is $XDG_DATA_HOME / $XDG_CONFIG_HOME when it is an
///     absolute path (the XDG spec says to ignore a relative one), else ~/.local/share / ~/.config.
/// Fails only when none applies (no option, no variable, no usable XDG folder, no $HOME).
Result<UserFile> locate_user_file(std::string_view option, const char* env_var, XdgBase base,
                                  std::string_view file_name, const GetEnv& getenv = process_env());

}  // namespace dfx
