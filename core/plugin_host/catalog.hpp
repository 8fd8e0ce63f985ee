// The plugin catalogue: every manifest found in the plugin folders, read without loading code.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "plugin_host/manifest.hpp"

namespace dfx::plugin_host {

/// One manifest file and what the host made of it.
struct CatalogEntry {
  std::filesystem::path manifest_path;
  std::optional<Manifest> manifest;  ///< set when the manifest parsed
  bool refused = false;              ///< true when the host will not use this plugin
  std::string reason;                ///< why it was refused
};

struct Catalog {
  std::vector<CatalogEntry> entries;  ///< in folder order, then by file name
  std::vector<std::string> warnings;  ///< folder-level problems (missing, unreadable)

  /// The usable manifests of one kind (not refused).
  [[nodiscard]] std::vector<const Manifest*> usable(PluginKind kind) const;
  /// The entry for a plugin id, if any manifest declared it.
  [[nodiscard]] const CatalogEntry* find(const std::string& id) const;
};

/// The folders searched by default: those of $DFX_PLUGIN_PATH (colon-separated), then the plugins
/// folder beside the running executable (<exe dir>/../<libdir>/dfx/plugins), as built and
/// installed. $DFX_PLUGIN_PATH adds folders: the installed plugins (among them the ones that make a
/// scan complete) never vanish because a variable was set.
std::vector<std::filesystem::path> default_plugin_dirs();

/// The folders to search: `extra` (--plugin-dir, in order), then the defaults unless
/// `defaults` is false (--no-default-plugins). A folder named twice is searched once, where it
/// first appears (an earlier folder wins when two plugins have the same id).
std::vector<std::filesystem::path> plugin_dirs(const std::vector<std::filesystem::path>& extra,
                                               bool defaults = true);

/// Refuses folders (and files) that other users could change: whoever can write there, or in any
/// folder above its real location (symbolic links resolved), can run code as the technician.
/// Returns why, or nullopt when the path is safe (or missing: reported elsewhere).
std::optional<std::string> unsafe_permissions(const std::filesystem::path& path);

/// Reads every *.json manifest in the folders. Never fails as a whole: each problem refuses one
/// entry (or one folder) with a reason, and the rest is still catalogued.
Catalog build_catalog(const std::vector<std::filesystem::path>& dirs);

}  // namespace dfx::plugin_host
