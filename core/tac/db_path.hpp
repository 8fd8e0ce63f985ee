// Where the local dfx database (the TAC list) lives: --db, else $DFX_DB, else
// $XDG_DATA_HOME/dfx/dfx.sqlite, else ~/.local/share/dfx/dfx.sqlite (base/paths.hpp).
#pragma once

#include <string_view>

#include "base/paths.hpp"
#include "base/result.hpp"

namespace dfx::tac {

/// The database file to use; `option` is the --db value ("" when not given).
Result<UserFile> resolve_db_location(std::string_view option, const GetEnv& getenv = process_env());

}  // namespace dfx::tac
