#include "tac/db_path.hpp"

#include <cstdlib>

namespace dfx::tac {

Result<DbLocation> resolve_db_location(std::string_view option, const GetEnv& getenv) {
  using Source = DbLocation::Source;
  if (!option.empty()) return DbLocation{std::filesystem::path(option), Source::Option};
  const auto env = [&](const char* name) -> std::string {
    const char* v = getenv(name);
    return v ? v : "";
  };
  if (const auto v = env("DFX_DB"); !v.empty()) return DbLocation{v, Source::Environment};
  if (const std::filesystem::path xdg = env("XDG_DATA_HOME"); xdg.is_absolute())
    return DbLocation{xdg / "dfx" / "dfx.sqlite", Source::Default};
  if (const auto home = env("HOME"); !home.empty())
    return DbLocation{std::filesystem::path(home) / ".local" / "share" / "dfx" / "dfx.sqlite",
                      Source::Default};
  return fail("cannot tell where the dfx database is: give --db FILE or set $DFX_DB "
              "($XDG_DATA_HOME and $HOME are not set)");
}

Result<DbLocation> resolve_db_location(std::string_view option) {
  return resolve_db_location(option, [](const char* name) { return std::getenv(name); });
}

}  // namespace dfx::tac
