// Where the local register lives: an explicit path (register settings or --register-db), else
// $DFX_REGISTER_DB, else $XDG_DATA_HOME/dfx/register.sqlite, else
// ~/.local/share/dfx/register.sqlite. Same rules as the TAC database (base/paths.hpp), another
// file: the register is data from other parties, imported and replaced on its own.
#pragma once

#include <filesystem>
#include <string_view>

#include "base/paths.hpp"
#include "base/result.hpp"

namespace dfx::register_store {

/// The register file to use. Fails only when no rule applies.
Result<std::filesystem::path> resolve_register_path(std::string_view explicit_path,
                                                    const GetEnv& getenv = process_env());

}  // namespace dfx::register_store
