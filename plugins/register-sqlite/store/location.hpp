// Where the local register lives: an explicit path (plugin settings or --register-db), else
// $DFX_REGISTER_DB, else the XDG data folder. Same rules as the TAC database (tac/db_path.hpp),
// another file: the register is data from other parties, imported and replaced on its own.
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include "common/result.hpp"

namespace dfx::reg {

/// Reads an environment variable; nullptr when unset. Injectable for tests.
using GetEnv = std::function<const char*(const char*)>;

/// The register file to use:
///  1. `explicit_path` when not empty;
///  2. $DFX_REGISTER_DB when set and not empty;
///  3. $XDG_DATA_HOME/dfx/register.sqlite when $XDG_DATA_HOME is absolute (a relative one is
///     ignored, as the XDG Base Directory spec says);
///  4. $HOME/.local/share/dfx/register.sqlite.
/// Fails only when none applies.
Result<std::filesystem::path> resolve_register_path(std::string_view explicit_path,
                                                    const GetEnv& getenv);

/// resolve_register_path() with the process environment.
Result<std::filesystem::path> resolve_register_path(std::string_view explicit_path);

}  // namespace dfx::reg
