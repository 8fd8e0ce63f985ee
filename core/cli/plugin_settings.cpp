#include "cli/plugin_settings.hpp"

#include <cstdlib>

#include "plugin_host/catalog.hpp"

namespace dfx::cli {
namespace {

std::string known(const std::vector<const plugin_host::Manifest*>& plugins) {
  std::string s;
  for (const auto* m : plugins)
    for (const auto& setting : m->settings)
      s += (s.empty() ? "" : ", ") + ("--" + m->id + "-" + setting.name);
  return s.empty() ? "no plugin declares a setting" : "plugin settings: " + s;
}

bool names_a_path(const plugin_host::Manifest& m, const std::string& variable) {
  for (const auto& p : m.sandbox.paths)
    for (const auto& c : p.candidates)
      if (c == "$" + variable || c.starts_with("$" + variable + "/")) return true;
  return false;
}

}  // namespace

Result<std::map<std::string, std::string>> resolve_plugin_settings(
    const std::vector<std::string>& args,
    const std::vector<const plugin_host::Manifest*>& plugins) {
  std::map<std::string, std::string> env;
  std::map<std::string, bool> given;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i], value;
    bool has_value = false;
    if (const auto eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
      has_value = true;
    }
    const plugin_host::PluginSetting* found = nullptr;
    const plugin_host::Manifest* owner = nullptr;
    if (flag.starts_with("--"))
      for (const auto* m : plugins)
        for (const auto& s : m->settings)
          if (flag == "--" + m->id + "-" + s.name) found = &s, owner = m;
    if (found == nullptr) return fail("unknown option " + args[i] + " (" + known(plugins) + ")");
    if (!has_value) {
      if (i + 1 >= args.size() || args[i + 1].starts_with("--"))
        return fail(flag + " needs a value");
      value = args[++i];
    }
    if (value.empty()) return fail(flag + " needs a value");
    // A value the sandbox opens as a path must be absolute there: made so against the folder
    // dfx runs in, as the examiner typed it.
    if (names_a_path(*owner, found->environment))
      value = std::filesystem::absolute(value).lexically_normal().string();
    if (given[flag] && !found->list) return fail(flag + " is given twice");
    given[flag] = true;
    auto& v = env[found->environment];
    v += (v.empty() ? "" : ":") + value;
  }
  return env;
}

Result<std::vector<std::string>> apply_plugin_settings(
    const std::vector<std::string>& args, const std::vector<std::filesystem::path>& dirs) {
  if (args.empty()) return std::vector<std::string>{};
  const auto catalog = plugin_host::build_catalog(dirs);
  auto env = resolve_plugin_settings(args, catalog.usable(plugin_host::PluginKind::Device));
  if (!env) return tl::unexpected(env.error());
  std::vector<std::string> applied;
  for (const auto& [name, value] : *env) {
    if (::setenv(name.c_str(), value.c_str(), 1) != 0) return fail("cannot set " + name);
    applied.push_back(name + "=" + value);
  }
  return applied;
}

}  // namespace dfx::cli
