// dfx plugins list: which plugins the host found, and whether each one loads.
#include <spdlog/spdlog.h>

#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/table.hpp"
#include "probe/inspect.hpp"

namespace dfx::cli {
namespace {

// What a plugin may send and see, as its manifest declares it, so that an examiner can read it
// before running the plugin.
nlohmann::json surface_json(const probe::PluginStatus& s) {
  nlohmann::json control = nlohmann::json::array(), interfaces = nlohmann::json::array();
  for (const auto& c : s.usb.control)
    control.push_back({{"request_type", "0x" + usb::hex(c.request_type, 2)},
                       {"request", "0x" + usb::hex(c.request, 2)},
                       {"description", usb::describe_control(c.request_type, c.request)},
                       {"why", c.why}});
  const auto byte = [](const std::optional<uint8_t>& v) {
    return v ? nlohmann::json("0x" + usb::hex(*v, 2)) : nlohmann::json(nullptr);
  };
  for (const auto& i : s.usb.interfaces)
    interfaces.push_back({{"interface_class", byte(i.interface_class)},
                          {"interface_subclass", byte(i.interface_subclass)},
                          {"interface_protocol", byte(i.interface_protocol)},
                          {"bulk_out", i.bulk_out},
                          {"why", i.why}});
  nlohmann::json configurations = nlohmann::json::array();
  for (const auto& i : s.usb.configurations)
    configurations.push_back({{"interface_class", byte(i.interface_class)},
                              {"interface_subclass", byte(i.interface_subclass)},
                              {"interface_protocol", byte(i.interface_protocol)},
                              {"why", i.why}});
  return {{"control", control}, {"interfaces", interfaces}, {"configurations", configurations}};
}

nlohmann::json sandbox_json(const probe::PluginStatus& s) {
  nlohmann::json paths = nlohmann::json::array();
  for (const auto& p : s.sandbox.paths)
    paths.push_back({{"path", p.candidates},
                     {"access", p.writable ? "read-write" : "read-only"},
                     {"list", p.list},
                     {"why", p.why}});
  return {{"environment", s.sandbox.environment}, {"paths", paths}};
}

nlohmann::json settings_json(const probe::PluginStatus& s) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& x : s.settings)
    out.push_back({{"option", "--" + s.id + "-" + x.name},
                   {"environment", x.environment},
                   {"list", x.list},
                   {"help", x.help}});
  return out;
}

nlohmann::json status_json(const probe::PluginStatus& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"kind", s.kind},
          {"version", s.version},
          {"abi", s.abi},
          {"path", s.path},
          {"manifest", s.manifest},
          {"status", s.loaded ? "loaded" : "refused"},
          {"reason", s.loaded ? nlohmann::json(nullptr) : nlohmann::json(s.reason)},
          {"usb", surface_json(s)},
          {"sandbox", sandbox_json(s)},
          {"settings", settings_json(s)}};
}

// Prints the statuses and returns the exit status: 0 when every plugin loads, 3 when any is
// refused (a script must not take a half-working installation for a working one).
int print_statuses(const std::vector<probe::PluginStatus>& statuses, const std::string& format) {
  // One clear line per refusal on stderr, whatever the format, so that a person sees it.
  for (const auto& s : statuses)
    if (!s.loaded) spdlog::warn("plugin {} refused: {}", s.id, s.reason);
  if (format == "json") {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& s : statuses) arr.push_back(status_json(s));
    std::cout << nlohmann::json{{"schema", "dfx.plugins/1"}, {"plugins", arr}}.dump(2) << '\n';
  } else if (statuses.empty()) {
    std::cout << "no plugins found\n";
  } else {
    Table t({"ID", "KIND", "VERSION", "ABI", "STATUS", "PATH / REASON"});
    for (const auto& s : statuses)
      t.add({s.id, s.kind, s.version, s.abi, s.loaded ? "loaded" : "refused",
             s.loaded ? s.path : s.reason});
    t.print(std::cout);
  }
  for (const auto& s : statuses)
    if (!s.loaded) return kExitDeviceErrors;
  return kExitOk;
}

int run_list(const GlobalOptions& g, const std::string& format) {
  const auto catalog = plugin_host::build_catalog(g.plugin_folders());
  for (const auto& w : catalog.warnings) spdlog::warn("{}", w);
  return print_statuses(probe::inspect_plugins(catalog, g.supervisor()), format);
}

// The folders as the loader will see them, alone: every manifest is read, every library loaded in
// a worker and checked against its manifest (ABI, id, version, name, kind, accepted kinds).
int run_validate(const GlobalOptions& g, const std::vector<std::string>& dirs,
                 const std::string& format) {
  const auto catalog = plugin_host::build_catalog({dirs.begin(), dirs.end()});
  for (const auto& w : catalog.warnings) spdlog::error("{}", w);
  if (catalog.entries.empty()) {
    std::cerr << "dfx plugins validate: no plugin manifest (*.json) in " << dirs.front()
              << (dirs.size() > 1 ? " and the other folders" : "") << '\n';
    return kExitInvalidInput;
  }
  return print_statuses(probe::inspect_plugins(catalog, g.supervisor()), format);
}

}  // namespace

std::vector<Command> add_plugins_command(CLI::App& app, const GlobalOptions& global) {
  auto* plugins =
      app.add_subcommand("plugins", "Inspect the installed plugins, or check a plugin folder");
  plugins->require_subcommand(1);
  auto format = std::make_shared<std::string>("table");
  auto* list =
      plugins->add_subcommand("list", "List every plugin manifest found and whether it loads");
  list->add_option("--format", *format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  list->footer(
      "Exit status: 0 every plugin loads, 3 some plugin is refused (each reason on stderr).");
  auto dirs = std::make_shared<std::vector<std::string>>();
  auto* validate = plugins->add_subcommand(
      "validate",
      "Check plugin folders as the loader will: manifests, permissions, libraries, ABI, ids");
  validate
      ->add_option("dir", *dirs,
                   "Plugin folder (a manifest and its library), e.g. a build's plugins folder")
      ->required();
  validate->add_option("--format", *format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  validate->footer(
      "Only the folders given are read (not the installed plugins). Each library is loaded in a "
      "worker process, never in dfx itself.\n"
      "Exit status: 0 every plugin would load, 3 some plugin would be refused (each reason on "
      "stderr), 4 no manifest found.");
  return {{list, [&global, format] { return run_list(global, *format); }},
          {validate, [&global, format, dirs] { return run_validate(global, *dirs, *format); }}};
}

}  // namespace dfx::cli
