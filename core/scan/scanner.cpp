#include "scan/scanner.hpp"

#include <algorithm>
#include <chrono>

#include "plugin_host/match.hpp"
#include "scan/workstation.hpp"
#include "usb/discovery.hpp"
#include "usb/usb_ids.hpp"

namespace dfx::scan {

std::string DeviceReport::status() const {
  if (probes.empty()) return "unprobed";
  const bool all_ok = std::all_of(probes.begin(), probes.end(), [](const auto& p) { return p.ok; });
  return all_ok ? "ok" : "error";
}

ScanReport probe_devices(std::vector<usb::DeviceFacts> devices, const plugin_host::Catalog& catalog,
                         const probe::SupervisorOptions& supervisor,
                         const std::vector<std::string>& only_plugins) {
  ScanReport report;
  auto plugins = catalog.usable(plugin_host::PluginKind::Device);
  if (!only_plugins.empty())
    std::erase_if(plugins, [&](const plugin_host::Manifest* m) {
      return std::find(only_plugins.begin(), only_plugins.end(), m->id) == only_plugins.end();
    });
  std::vector<probe::ProbeJob> jobs;
  std::vector<std::size_t> owner;  // job index -> device index
  for (std::size_t d = 0; d < devices.size(); ++d) {
    for (const auto* m : plugins) {
      if (!plugin_host::matches(*m, devices[d])) continue;
      // The resolved path the catalogue checked: the worker must read the same files.
      jobs.push_back({probe::Mode::Probe, m->id, m->real_path.empty() ? m->path : m->real_path,
                      devices[d], devices[d].location()});
      owner.push_back(d);
    }
  }
  for (auto& d : devices) report.devices.push_back({std::move(d), {}});
  auto outcomes = probe::run_probes(jobs, supervisor);
  for (std::size_t j = 0; j < outcomes.size(); ++j)
    report.devices[owner[j]].probes.push_back(std::move(outcomes[j]));
  return report;
}

Result<ScanReport> scan(const ScanOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const auto dirs =
      options.plugin_dirs.empty() ? plugin_host::plugin_dirs({}) : options.plugin_dirs;
  const auto catalog = plugin_host::build_catalog(dirs);
  for (const auto& id : options.only_plugins) {
    const auto* entry = catalog.find(id);
    if (entry == nullptr || !entry->manifest ||
        entry->manifest->kind != plugin_host::PluginKind::Device)
      return fail("--plugin " + id + ": no device plugin \"" + id + "\" in the plugin folders");
    if (entry->refused) return fail("--plugin " + id + ": the plugin is refused: " + entry->reason);
  }
  auto devices = usb::discover_devices();
  if (!devices) return tl::unexpected(std::move(devices.error()).context("USB discovery"));
  if (!options.include_hubs)
    std::erase_if(*devices, [](const usb::DeviceFacts& d) { return plugin_host::is_hub(d); });
  if (!devices->empty()) {
    const auto names = usb::UsbIds::load_system();
    for (auto& d : *devices) {
      d.vendor_name = names.vendor(d.vendor_id);
      d.product_name = names.product(d.vendor_id, d.product_id);
    }
  }
  ScanReport report =
      probe_devices(std::move(*devices), catalog, options.supervisor, options.only_plugins);
  report.warnings = catalog.warnings;
  for (const auto& e : catalog.entries)
    if (e.refused) report.warnings.push_back("plugin refused: " + e.reason);
  for (const auto& s : services_touching_phones(options.workstation))
    report.warnings.push_back(s.warning);
  report.duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace dfx::scan
