#include "store/location.hpp"

#include <cstdlib>
#include <string>

namespace dfx::reg {

Result<std::filesystem::path> resolve_register_path(std::string_view explicit_path,
                                                    const GetEnv& getenv) {
  namespace fs = std::filesystem;
  if (!explicit_path.empty()) return fs::path(explicit_path);
  const auto env = [&](const char* name) -> std::string {
    const char* v = getenv(name);
    return v ? v : "";
  };
  if (const auto v = env("DFX_REGISTER_DB"); !v.empty()) return fs::path(v);
  if (const fs::path xdg = env("XDG_DATA_HOME"); xdg.is_absolute())
    return xdg / "dfx" / "register.sqlite";
  if (const auto home = env("HOME"); !home.empty())
    return fs::path(home) / ".local" / "share" / "dfx" / "register.sqlite";
  return fail("cannot tell where the register is: give --register-db FILE or set "
              "$DFX_REGISTER_DB ($XDG_DATA_HOME and $HOME are not set)");
}

Result<std::filesystem::path> resolve_register_path(std::string_view explicit_path) {
  return resolve_register_path(explicit_path, [](const char* name) { return std::getenv(name); });
}

}  // namespace dfx::reg
