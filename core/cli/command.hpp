// What every `dfx` subcommand shares: global options and exit codes (documented in docs/cli.md).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "probe/supervisor.hpp"

namespace dfx::cli {

enum ExitCode : int {
  kExitOk = 0,            ///< the command did what was asked
  kExitRuntimeError = 1,  ///< it could not (I/O, USB, configuration)
  kExitUsage = 2,         ///< bad command line
  kExitDeviceErrors = 3,  ///< scan: some device could not be read completely; plugins: some refused
  kExitInvalidInput = 4,  ///< normalize / tac lookup: some value was invalid or not found
  kExitFlagged = 5,       ///< check: some identifier is flagged by a register
  kExitNotClear = 6,      ///< check, scan: nothing flagged, but something not clear
};

/// What a check or a scan found, for its exit status.
struct Findings {
  bool flagged = false;     ///< some identifier or device is flagged
  bool incomplete = false;  ///< scan: some device could not be read completely
  bool not_clear = false;   ///< some identifier or device is unknown or invalid
};

/// The one rule `dfx check` and `dfx scan` end with, so that a script can trust it: 5 when
/// anything is flagged; else 3 when a device could not be read completely; else 6 when anything
/// is not clear (unknown, invalid, or a register that did not answer); 0 only when everything
/// checked is clear.
inline int exit_status(const Findings& f) {
  if (f.flagged) return kExitFlagged;
  if (f.incomplete) return kExitDeviceErrors;
  if (f.not_clear) return kExitNotClear;
  return kExitOk;
}

struct GlobalOptions {
  int verbosity = 0;
  std::string log_file;
  std::vector<std::string> plugin_dirs;
  bool no_default_plugins = false;
  unsigned probe_timeout_ms = 30000;
  unsigned jobs = 16;
  bool in_process = false;
  /// Arguments no option took, for a command that takes plugin settings (see Command).
  std::vector<std::string> extras;

  /// The plugin folders to use: --plugin-dir, then the defaults (unless --no-default-plugins).
  [[nodiscard]] std::vector<std::filesystem::path> plugin_folders() const;
  /// Supervisor settings from the options, with log lines forwarded to spdlog.
  [[nodiscard]] probe::SupervisorOptions supervisor() const;
  /// Applies the plugin settings among `extras` (the arguments the command's own options left,
  /// see cli/plugin_settings.hpp). False, after saying why on stderr, when one is not a setting.
  [[nodiscard]] bool apply_plugin_settings(const std::vector<std::string>& extras,
                                           const char* command) const;
};

/// A runnable leaf command: runs when `app` was the subcommand given, returns the exit code.
struct Command {
  CLI::App* app;
  std::function<int()> run;
  /// Takes plugin settings (--<plugin>-<setting> VALUE) among its arguments: they are in
  /// GlobalOptions::extras when it runs. Other commands refuse arguments they do not know.
  bool plugin_settings = false;
};

/// Each command module adds its subcommands to the app and returns the leaves it can run.
std::vector<Command> add_scan_command(CLI::App& app, const GlobalOptions& global);
std::vector<Command> add_plugins_command(CLI::App& app, const GlobalOptions& global);
std::vector<Command> add_normalize_command(CLI::App& app, const GlobalOptions& global);
std::vector<Command> add_tac_command(CLI::App& app, const GlobalOptions& global);
std::vector<Command> add_register_command(CLI::App& app, const GlobalOptions& global);
std::vector<Command> add_watch_command(CLI::App& app, const GlobalOptions& global);
std::vector<Command> add_check_command(CLI::App& app, const GlobalOptions& global);
std::vector<Command> add_case_command(CLI::App& app, const GlobalOptions& global);

}  // namespace dfx::cli
