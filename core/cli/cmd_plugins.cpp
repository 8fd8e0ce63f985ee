// dfx plugins list: which plugins the host found, and whether each one loads.
#include <spdlog/spdlog.h>

#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/table.hpp"
#include "probe/inspect.hpp"

namespace dfx::cli {
namespace {

int run_list(const GlobalOptions& g, const std::string& format) {
  const auto catalog = plugin_host::build_catalog(g.plugin_folders());
  for (const auto& w : catalog.warnings) spdlog::warn("{}", w);
  const auto statuses = probe::inspect_plugins(catalog, g.supervisor());
  // One clear line per refusal on stderr, whatever the format, so that a person sees it.
  for (const auto& s : statuses)
    if (!s.loaded) spdlog::warn("plugin {} refused: {}", s.id, s.reason);
  if (format == "json") {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& s : statuses)
      arr.push_back({{"id", s.id}, {"name", s.name}, {"kind", s.kind}, {"version", s.version},
                     {"abi", s.abi}, {"path", s.path}, {"manifest", s.manifest},
                     {"status", s.loaded ? "loaded" : "refused"},
                     {"reason", s.loaded ? nlohmann::json(nullptr) : nlohmann::json(s.reason)}});
    std::cout << nlohmann::json{{"schema", "dfx.plugins/1"}, {"plugins", arr}}.dump(2) << '\n';
  } else {
    if (statuses.empty()) {
      std::cout << "no plugins found\n";
      return kExitOk;
    }
    Table t({"ID", "KIND", "VERSION", "ABI", "STATUS", "PATH / REASON"});
    for (const auto& s : statuses)
      t.add({s.id, s.kind, s.version, s.abi, s.loaded ? "loaded" : "refused", s.loaded ? s.path : s.reason});
    t.print(std::cout);
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> add_plugins_command(CLI::App& app, const GlobalOptions& global) {
  auto* plugins = app.add_subcommand("plugins", "Inspect the installed plugins");
  plugins->require_subcommand(1);
  auto format = std::make_shared<std::string>("table");
  auto* list = plugins->add_subcommand("list", "List every plugin manifest found and whether it loads");
  list->add_option("--format", *format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  return {{list, [&global, format] { return run_list(global, *format); }}};
}

}  // namespace dfx::cli
