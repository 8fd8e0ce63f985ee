// `dfx scan`: discover devices, match device plugins by manifest, probe in isolated workers.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "plugin_host/catalog.hpp"
#include "probe/supervisor.hpp"
#include "scan/workstation.hpp"
#include "usb/device_facts.hpp"

namespace dfx::scan {

struct DeviceReport {
  usb::DeviceFacts facts;
  std::vector<probe::ProbeOutcome> probes;  ///< one per matching device plugin

  /// "ok" (every probe succeeded), "error" (some probe failed), "unprobed" (no plugin matched).
  [[nodiscard]] std::string status() const;
};

struct ScanReport {
  std::vector<DeviceReport> devices;
  /// plugin folders, refused plugins, discovery problems, workstation services that act on phones
  std::vector<std::string> warnings;
  double duration_ms = 0;
};

struct ScanOptions {
  std::vector<std::filesystem::path> plugin_dirs;  ///< empty: plugin_host::default_plugin_dirs()
  probe::SupervisorOptions supervisor;
  bool include_hubs = false;
  /// Run only these device plugins (ids); empty: every plugin that matches a device.
  std::vector<std::string> only_plugins;
  /// Where to look for workstation services that act on phones (workstation.hpp).
  WorkstationPaths workstation;
};

/// Matches each device against the catalogue's usable device plugins and probes every pair.
ScanReport probe_devices(std::vector<usb::DeviceFacts> devices, const plugin_host::Catalog& catalog,
                         const probe::SupervisorOptions& supervisor,
                         const std::vector<std::string>& only_plugins = {});

/// The whole scan: catalogue, USB discovery, probing.
Result<ScanReport> scan(const ScanOptions& options);

}  // namespace dfx::scan
