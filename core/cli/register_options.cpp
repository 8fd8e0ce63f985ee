#include "cli/register_options.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

#include "registers/config.hpp"

namespace dfx::cli {

void add_register_options(CLI::App& command, RegisterOptions& options) {
  command.add_option("--config", options.config, kConfigHelp);
  command.add_option("--register-db", options.register_db, kRegisterDbOptionHelp);
}

tl::expected<registers::RegisterSet, int> open_registers(const RegisterOptions& options,
                                                         const GlobalOptions& global,
                                                         std::string_view command) {
  auto config = registers::load_config(options.config);
  if (!config) {
    std::cerr << "dfx " << command << ": " << config.error().message << '\n';
    return tl::unexpected(static_cast<int>(kExitRuntimeError));
  }
  if (!options.register_db.empty()) {
    if (auto r = registers::override_sqlite_path(*config, options.register_db); !r) {
      std::cerr << "dfx " << command << ": " << r.error().message << '\n';
      return tl::unexpected(static_cast<int>(kExitUsage));
    }
  }
  if (auto distinct = registers::check_distinct_files(*config); !distinct) {
    std::cerr << "dfx " << command << ": " << distinct.error().message << '\n';
    return tl::unexpected(static_cast<int>(kExitUsage));
  }
  auto set =
      registers::RegisterSet::open(*config, plugin_host::build_catalog(global.plugin_folders()));
  for (const auto& reg : set.status())
    if (!reg.error.empty()) spdlog::error("{}", reg.error);
  return set;
}

}  // namespace dfx::cli
