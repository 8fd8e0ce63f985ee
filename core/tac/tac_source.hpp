// Where brand and model names come from: the TAC list imported into the local dfx database, else
// the list dfx ships (data/osmocom-tacdb.csv, CC-BY-SA 3.0), so that names work out of the box
// without anything being written (a reading command never creates files). `dfx tac import` puts a
// list of the user's choice in the local database, which then takes precedence.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "base/result.hpp"
#include "tac/tac_cache.hpp"

namespace dfx::tac {

/// Where the shipped list is: <data dir>/osmocom-tacdb.csv (base/paths.hpp, data_dir()).
std::filesystem::path shipped_list_path();

/// The shipped list in memory, parsed as `dfx tac import --skip-invalid` would (its one
/// conflicting row left out); nullopt when dfx was installed without it.
Result<std::optional<TacCache>> load_shipped_list(
    const std::filesystem::path& path = shipped_list_path());

/// The TAC names to use: the database named by `db_option` (--db, else $DFX_DB, else the XDG
/// default) when it exists; else, at the default location, the shipped list; else (a named
/// database that is missing: a warning) an empty cache.
Result<TacCache> load_tac_cache(std::string_view db_option);

}  // namespace dfx::tac
