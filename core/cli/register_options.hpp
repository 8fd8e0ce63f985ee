// What every command that asks registers shares (check, scan): the --config and --register-db
// options and opening the configured registers; and the --db option of the TAC list.
#pragma once

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <tl/expected.hpp>

#include "cli/command.hpp"
#include "registers/register_set.hpp"

namespace dfx::cli {

/// Help of the options naming the local files, said once for every command.
inline constexpr const char* kTacDbHelp =
    "dfx database with the TAC list (default $DFX_DB, else $XDG_DATA_HOME/dfx/dfx.sqlite, else "
    "~/.local/share/dfx/dfx.sqlite; none: the TAC list dfx ships)";
inline constexpr const char* kRegisterDbHelp =
    "File of the built-in SQLite register (default $DFX_REGISTER_DB, else "
    "$XDG_DATA_HOME/dfx/register.sqlite, else ~/.local/share/dfx/register.sqlite)";
inline constexpr const char* kRegisterDbOptionHelp =
    "File of the configuration's built-in SQLite register; ID=FILE when it has several (default: "
    "its settings, else $DFX_REGISTER_DB, else $XDG_DATA_HOME/dfx/register.sqlite)";
inline constexpr const char* kConfigHelp =
    "Configuration file listing the registers (default $DFX_CONFIG, else "
    "$XDG_CONFIG_HOME/dfx/config.json; none: the built-in SQLite register)";

/// --config and --register-db.
struct RegisterOptions {
  std::string config;
  std::string register_db;
};

/// Adds --config and --register-db to `command`.
void add_register_options(CLI::App& command, RegisterOptions& options);

/// Loads the configuration, applies --register-db and opens every register (each one that
/// cannot answer is logged). On failure, says why on stderr ("dfx <command>: ...") and returns the
/// exit status to end with.
tl::expected<registers::RegisterSet, int> open_registers(const RegisterOptions& options,
                                                         const GlobalOptions& global,
                                                         std::string_view command);

}  // namespace dfx::cli
