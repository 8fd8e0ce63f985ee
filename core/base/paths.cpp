#include "base/paths.hpp"

#include <cstdlib>
#include <string>
#include <system_error>

namespace dfx {
namespace fs = std::filesystem;

fs::path executable_dir() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fs::current_path();
  return exe.parent_path();
}

fs::path probe_worker_path() {
  if (const char* env = std::getenv("DFX_PROBE"); env && *env) return env;
  return executable_dir() / "dfx-probe";
}

fs::path data_dir() {
  if (const char* env = std::getenv("DFX_DATA_DIR"); env && *env) return env;
  return (executable_dir() / ".." / "share" / "dfx").lexically_normal();
}

const GetEnv& process_env() {
  static const GetEnv env = [](const char* name) { return std::getenv(name); };
  return env;
}

Result<UserFile> locate_user_file(std::string_view option, const char* env_var, XdgBase base,
                                  std::string_view file_name, const GetEnv& getenv) {
  using Source = UserFile::Source;
  if (!option.empty()) return UserFile{fs::path(option), Source::Option};
  const auto env = [&](const char* name) -> std::string {
    const char* v = getenv(name);
    return v ? v : "";
  };
  if (const auto v = env(env_var); !v.empty()) return UserFile{v, Source::Environment};
  const bool data = base == XdgBase::Data;
  if (const fs::path xdg = env(data ? "XDG_DATA_HOME" : "XDG_CONFIG_HOME"); xdg.is_absolute())
    return UserFile{xdg / "dfx" / file_name, Source::Default};
  if (const auto home = env("HOME"); !home.empty())
    return UserFile{data ? fs::path(home) / ".local" / "share" / "dfx" / file_name
                         : fs::path(home) / ".config" / "dfx" / file_name,
                    Source::Default};
  return fail("cannot tell where " + std::string(file_name) + " is: set $" + env_var + " ($XDG_" +
              (data ? "DATA" : "CONFIG") + "_HOME and $HOME are not set)");
}

}  // namespace dfx
