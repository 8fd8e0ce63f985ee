// The dfx configuration file: which registers to ask and with what settings.
//
//   {
//     "registers": [
//       { "id": "local", "builtin": "sqlite", "settings": { "path": "/srv/reg.sqlite" } },
//       { "id": "national", "plugin": "register-http", "timeout_ms": 3000, "network": true,
//         "environment": ["NATIONAL_API_KEY"], "files": ["/etc/dfx/national-ca.pem"],
//         "settings": { "url": "https://..." } }
//     ]
//   }
//
// Found at --config, else $DFX_CONFIG, else $XDG_CONFIG_HOME/dfx/config.json (absolute
// XDG_CONFIG_HOME only), else ~/.config/dfx/config.json. When the file is missing at a default
// location, dfx uses the embedded default: one register "local" on the built-in SQLite backend with
// its default database. A register is served either by a backend built into dfx ("builtin") or by
// a register plugin ("plugin"). A file named by --config or $DFX_CONFIG must exist.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/paths.hpp"
#include "base/result.hpp"

namespace dfx::registers {

/// The built-in backend: the local SQLite register (core/register_store).
inline constexpr std::string_view kBuiltinSqlite = "sqlite";

/// One register to ask.
struct RegisterConfig {
  std::string id;                    ///< unique, [a-z0-9][a-z0-9-]*: names the register in results
  std::string builtin;               ///< the built-in backend that serves it ("sqlite"), or ""
  std::string plugin;                ///< id of the register plugin that serves it, or ""
  std::string settings_json = "{}";  ///< the "settings" object as JSON text
  std::chrono::milliseconds timeout{10000};  ///< per call of `batch` lookups (and for opening)
  /// Lookups per call of a register plugin: large for a fast service asked in batches (fewer
  /// round trips), small for a slow or rate-limited one (each call must end within `timeout`).
  std::size_t batch = 256;
  bool network = false;  ///< a register plugin may reach the network (a remote register service)
  /// Environment variables the register plugin's sandbox receives besides its manifest's (the
  /// name of the one holding a service's API key): granted by whoever writes the configuration.
  std::vector<std::string> environment{};
  /// Files or folders shown read-only in the register plugin's sandbox (a secret file, a CA).
  std::vector<std::filesystem::path> files{};

  /// What serves it, for messages and results: "builtin:sqlite", or the plugin's id.
  [[nodiscard]] std::string backend() const {
    return builtin.empty() ? plugin : "builtin:" + builtin;
  }
};

/// The whole configuration.
struct Config {
  std::vector<RegisterConfig> registers;
  std::filesystem::path source;  ///< file it came from; empty for the embedded default
};

/// The embedded default: register "local" on the built-in sqlite backend with default settings.
Config default_config();

/// Parses configuration text. `origin` only names the file in errors, which give the JSON
/// line/column or the field at fault ("registers[1].timeout_ms: expected 1 to 600000").
Result<Config> parse_config(std::string_view text, const std::filesystem::path& origin);

/// Reads an environment variable; nullptr when unset. Injectable for tests.
using GetEnv = dfx::GetEnv;

/// Finds and reads the configuration as described at the top of this file. `option` is the
/// --config value ("" when not given).
Result<Config> load_config(std::string_view option, const GetEnv& getenv = process_env());

/// The --register-db option: "FILE" sets the "path" of the configuration's one built-in sqlite
/// register (an error when it has none or several: pointing two registers at one file would make
/// one report look like two registers' answers); "ID=FILE" sets that register's.
Result<void> override_sqlite_path(Config& config, std::string_view option);

/// Refuses a configuration in which two built-in sqlite registers use one file (after their
/// default paths are resolved): one set of reports would be shown as two registers' answers.
Result<void> check_distinct_files(const Config& config, const GetEnv& getenv = process_env());

}  // namespace dfx::registers
