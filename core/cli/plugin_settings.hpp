// Settings an examiner gives a plugin on dfx's command line: `--<plugin id>-<name> VALUE` (or
// `=VALUE`), declared in the plugin's manifest ("settings"), e.g. the Apple plugin's
// `--apple-pair-records DIR`. The core knows no plugin by name: it reads the declarations, and
// a setting becomes the environment variable the manifest names, which the plugin's sandbox
// passes on (and nothing else does).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "plugin_host/manifest.hpp"

namespace dfx::cli {

/// The variables to set for `args` (what the command line left after dfx's own options), given
/// the usable manifests. A list setting given twice is joined with ':'; another given twice, an
/// argument that names no setting, or one without a value is an error naming the settings that
/// exist.
Result<std::map<std::string, std::string>> resolve_plugin_settings(
    const std::vector<std::string>& args, const std::vector<const plugin_host::Manifest*>& plugins);

/// Reads the manifests of `dirs`, resolves `args` and sets the variables in this process (the
/// probe workers inherit them). Returns one line per setting applied, for the log.
Result<std::vector<std::string>> apply_plugin_settings(
    const std::vector<std::string>& args, const std::vector<std::filesystem::path>& dirs);

}  // namespace dfx::cli
