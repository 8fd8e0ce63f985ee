// Where the local dfx database lives: --db, else $DFX_DB, else the XDG data folder.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace dfx::tac {

/// A database location and what chose it (a missing file is worth a warning only when the user
/// named it).
struct DbLocation {
  enum class Source { Option, Environment, Default };
  std::filesystem::path path;
  Source source = Source::Default;
};

/// Reads an environment variable; nullptr when unset. Injectable for tests.
using GetEnv = std::function<const char*(const char*)>;

/// The database file to use:
///  1. `option` (the --db value) when not empty;
///  2. $DFX_DB when set and not empty;
///  3. $XDG_DATA_HOME/dfx/dfx.sqlite when $XDG_DATA_HOME is an absolute path (the XDG Base
///     Directory spec says to ignore a relative one);
///  4. $HOME/.local/share/dfx/dfx.sqlite.
/// Fails only when none applies (no --db, no $DFX_DB, no usable $XDG_DATA_HOME, no $HOME).
Result<DbLocation> resolve_db_location(std::string_view option, const GetEnv& getenv);

/// resolve_db_location() with the process environment.
Result<DbLocation> resolve_db_location(std::string_view option);

}  // namespace dfx::tac
