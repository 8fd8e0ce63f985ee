// Plugin status for `dfx plugins list`: every catalogued plugin is loaded once inside a worker
// process (never in the host), and what the library reports is checked against its manifest.
#pragma once

#include <string>
#include <vector>

#include "plugin_host/catalog.hpp"
#include "probe/supervisor.hpp"

namespace dfx::probe {

struct PluginStatus {
  std::string id;  ///< from the manifest, or the manifest's file name when it did not parse
  std::string name;
  std::string kind;  ///< "device", "register", or "" when unknown
  std::string version;
  std::string abi;       ///< "1.0"
  std::string path;      ///< the library's path (the manifest's when the manifest is unreadable)
  std::string manifest;  ///< the manifest's path
  bool loaded = false;   ///< false: refused, see reason
  std::string reason;
  usb::Surface usb;                   ///< what it may send to a device (its manifest's "usb")
  plugin_host::SandboxNeeds sandbox;  ///< what its sandbox gives it (its manifest's "sandbox")
  std::vector<plugin_host::PluginSetting> settings;  ///< its command-line settings
};

/// Loads each usable plugin in a worker and reports loaded/refused with the reason.
std::vector<PluginStatus> inspect_plugins(const plugin_host::Catalog& catalog,
                                          const SupervisorOptions& options);

}  // namespace dfx::probe
