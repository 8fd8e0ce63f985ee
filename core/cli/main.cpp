// dfx: the command-line host. See docs/cli.md.
#include <dfx/plugin.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "base/log.hpp"
#include "base/version.hpp"
#include "cli/command.hpp"
#include "cli/plugin_settings.hpp"
#include "plugin_host/catalog.hpp"

namespace dfx::cli {

std::vector<std::filesystem::path> GlobalOptions::plugin_folders() const {
  return plugin_host::plugin_dirs({plugin_dirs.begin(), plugin_dirs.end()}, !no_default_plugins);
}

probe::SupervisorOptions GlobalOptions::supervisor() const {
  probe::SupervisorOptions s;
  s.timeout = std::chrono::milliseconds(probe_timeout_ms);
  s.parallel = jobs;
  s.in_process = in_process;
  if (in_process)
    spdlog::warn(
        "--in-process: plugins run inside dfx, without their sandbox (no namespaces, no "
        "system-call filter, no crash isolation, no hard timeout); for debugging only");
  s.on_log = [](std::size_t job, const probe::LogLine& l) {
    const auto level = l.level == "debug"  ? spdlog::level::debug
                       : l.level == "info" ? spdlog::level::info
                       : l.level == "warn" ? spdlog::level::warn
                                           : spdlog::level::err;
    spdlog::log(level, "[probe {}] {}", job, l.message);
  };
  return s;
}

bool GlobalOptions::apply_plugin_settings(const std::vector<std::string>& extras,
                                          const char* command) const {
  auto applied = cli::apply_plugin_settings(extras, plugin_folders());
  if (!applied) {
    std::cerr << "dfx " << command << ": " << applied.error().message << '\n';
    return false;
  }
  for (const auto& line : *applied) spdlog::info("plugin setting: {}", line);
  return true;
}

}  // namespace dfx::cli

int main(int argc, char** argv) {
  using namespace dfx::cli;
  CLI::App app{
      "dfx: read phone identifiers over USB and check them against stolen-device registers"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand: dfx scan --probe-timeout 500
  app.set_version_flag("--version", std::string("dfx ") + dfx::kVersion + " (plugin ABI " +
                                        std::to_string(DFX_ABI_MAJOR) + "." +
                                        std::to_string(DFX_ABI_MINOR) + ")");
  GlobalOptions global;
  app.add_flag("-v,--verbose", global.verbosity, "More log output on stderr (-v info, -vv debug)");
  app.add_option("--log-file", global.log_file, "Also write the full debug log to this file");
  app.add_option("--plugin-dir", global.plugin_dirs,
                 "Also search this plugin folder (repeatable), before $DFX_PLUGIN_PATH and "
                 "<prefix>/lib/dfx/plugins");
  app.add_flag(
      "--no-default-plugins", global.no_default_plugins,
      "Search only the --plugin-dir folders (not $DFX_PLUGIN_PATH nor <prefix>/lib/dfx/plugins)");
  app.add_option("--probe-timeout", global.probe_timeout_ms,
                 "Milliseconds one plugin may spend on one device before its worker is killed")
      ->check(CLI::Range(50u, 600000u))
      ->capture_default_str();
  app.add_option("-j,--jobs", global.jobs, "Probe workers running at once")
      ->check(CLI::Range(1u, 256u))
      ->capture_default_str();
  app.add_flag("--in-process", global.in_process,
               "Debug: run plugins on threads of this process, without their sandbox (no crash "
               "isolation, no hard timeout); logged as a warning");

  std::vector<Command> commands;
  for (auto&& add :
       {add_scan_command, add_watch_command, add_plugins_command, add_normalize_command,
        add_tac_command, add_check_command, add_register_command, add_case_command})
    for (auto& c : add(app, global)) commands.push_back(std::move(c));

  // Arguments no option takes are kept for the commands that take plugin settings
  // (--<plugin>-<setting> VALUE, declared by manifests: cli/plugin_settings.hpp); any other
  // command refuses them below, as CLI11 would.
  app.allow_extras();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  global.extras = app.remaining();
  for (const auto& c : commands)
    if (c.app->parsed()) {
      auto more = c.app->remaining();
      global.extras.insert(global.extras.end(), more.begin(), more.end());
      if (!c.plugin_settings && !global.extras.empty()) {
        std::string list;
        for (const auto& e : global.extras) list += " " + e;
        std::cerr << "dfx: arguments not expected:" << list
                  << "\nRun with --help for more information.\n";
        return kExitUsage;
      }
    }
  try {
    dfx::setup_logging(global.verbosity, global.log_file);
    for (const auto& c : commands)
      if (c.app->parsed()) return c.run();
  } catch (const std::exception& e) {
    std::cerr << "dfx: " << e.what() << '\n';
    return kExitRuntimeError;
  }
  std::cerr << "dfx: no command given; see dfx --help\n";
  return kExitUsage;
}
