// What a record says about the tool that made it: dfx's version and the SHA-256 of the dfx and
// dfx-probe binaries and of every plugin library used, so that a third party can check that a
// repetition ran the same code.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace dfx::evidence {

/// Lower-case hex SHA-256 of a file's content.
Result<std::string> sha256_file(const std::filesystem::path& file);

/// A plugin as a record names it.
struct PluginUsed {
  std::string id, version;
  std::filesystem::path library;
};

/// {"dfx_version", "binaries": {"dfx": {path, sha256}, "dfx-probe": {...}}, "plugins": [{id,
/// version, library, sha256}]}; a file that cannot be read gets "sha256": null and an "error".
nlohmann::json tool_info(const std::vector<PluginUsed>& plugins);

}  // namespace dfx::evidence
