#include "probe/sandbox_plan.hpp"

#include <sys/stat.h>

#include <optional>
#include <string>

namespace dfx::probe {
namespace {

namespace fs = std::filesystem;

// "$VAR/rest" with VAR's value, an absolute path as it is, or nullopt when VAR is unset or empty.
std::optional<std::string> expand(const std::string& candidate, const GetEnv& env) {
  if (candidate.empty() || candidate[0] != '$') return candidate;
  const auto slash = candidate.find('/');
  const std::string var = candidate.substr(1, slash == std::string::npos ? slash : slash - 1);
  const char* value = env(var.c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value) + (slash == std::string::npos ? "" : candidate.substr(slash));
}

Result<void> add(SandboxPlan& plan, const std::string& text, const plugin_host::DataPath& d,
                 const std::string& plugin) {
  const fs::path p(text);
  if (!p.is_absolute())
    return fail("plugin " + plugin + ": data path \"" + text + "\" is not absolute");
  std::error_code ec;
  if (d.writable && !fs::exists(p, ec)) {
    // The plugin's own state (such as its key): a private folder, created once.
    fs::create_directories(p, ec);
    if (ec) return fail("plugin " + plugin + ": creating " + text + ": " + ec.message());
    ::chmod(p.c_str(), 0700);
  }
  if (!fs::exists(p, ec)) return {};  // read-only and absent: nothing to show
  const auto real = fs::canonical(p, ec);
  if (ec) return fail("plugin " + plugin + ": " + text + ": " + ec.message());
  if (real == real.root_path())
    return fail("plugin " + plugin + ": data path " + text + " is the whole file system");
  plan.paths.push_back({real, d.writable});
  return {};
}

}  // namespace

Result<SandboxPlan> plan_for(const plugin_host::Manifest& manifest, const GetEnv& env,
                             std::chrono::seconds cpu_time) {
  SandboxPlan plan;
  plan.cpu_time = cpu_time;
  const fs::path own = (manifest.real_path.empty() ? manifest.path : manifest.real_path);
  plan.paths.push_back({own.parent_path(), false});
  for (const auto& d : manifest.sandbox.paths) {
    for (const auto& candidate : d.candidates) {
      const auto value = expand(candidate, env);
      if (!value) continue;
      if (d.list) {
        std::size_t start = 0;
        while (start <= value->size()) {
          const auto colon = value->find(':', start);
          const auto item =
              value->substr(start, colon == std::string::npos ? colon : colon - start);
          if (!item.empty())
            if (auto r = add(plan, item, d, manifest.id); !r) return tl::unexpected(r.error());
          if (colon == std::string::npos) break;
          start = colon + 1;
        }
      } else if (auto r = add(plan, *value, d, manifest.id); !r) {
        return tl::unexpected(r.error());
      }
      break;  // the first candidate that is set is the one meant
    }
  }
  for (const auto& name : manifest.sandbox.environment)
    if (const char* v = env(name.c_str())) plan.environment.push_back(name + "=" + v);
  return plan;
}

Result<void> add_grants(SandboxPlan& plan, const std::vector<std::string>& environment,
                        const std::vector<std::filesystem::path>& files, const GetEnv& env) {
  for (const auto& name : environment)
    if (const char* v = env(name.c_str())) plan.environment.push_back(name + "=" + v);
  for (const auto& f : files) {
    std::error_code ec;
    const auto real = fs::canonical(f, ec);
    if (ec)
      return fail("the configuration grants " + f.string() +
                  " to the register plugin: " + ec.message());
    if (real == real.root_path())
      return fail("the configuration grants " + f.string() + ", the whole file system");
    plan.paths.push_back({real, false});
  }
  return {};
}

}  // namespace dfx::probe
