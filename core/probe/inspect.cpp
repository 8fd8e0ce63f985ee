#include "probe/inspect.hpp"

namespace dfx::probe {

std::vector<PluginStatus> inspect_plugins(const plugin_host::Catalog& catalog,
                                          const SupervisorOptions& options) {
  std::vector<PluginStatus> out;
  std::vector<ProbeJob> jobs;
  std::vector<std::size_t> job_entry;
  for (const auto& e : catalog.entries) {
    PluginStatus s;
    s.manifest = e.manifest_path.string();
    if (e.manifest) {
      const auto& m = *e.manifest;
      s.id = m.id;
      s.name = m.name;
      s.kind = std::string(plugin_host::to_string(m.kind));
      s.version = m.version;
      s.abi = m.abi.str();
      s.path = m.library_path().string();
      s.usb = m.usb;
      s.sandbox = m.sandbox;
      s.settings = m.settings;
    } else {
      s.id = e.manifest_path.stem().string();
      s.path = e.manifest_path.string();
    }
    s.reason = e.reason;
    if (!e.refused) {
      job_entry.push_back(out.size());
      // Refused entries stay here; a usable one has a manifest, checked at its resolved path.
      jobs.push_back({Mode::Inspect, s.id, e.manifest->real_path, std::nullopt, ""});
    }
    out.push_back(std::move(s));
  }
  const auto outcomes = run_probes(jobs, options);
  for (std::size_t j = 0; j < outcomes.size(); ++j) {
    PluginStatus& s = out[job_entry[j]];
    s.loaded = outcomes[j].ok;
    if (!s.loaded) s.reason = outcomes[j].error;
  }
  return out;
}

}  // namespace dfx::probe
