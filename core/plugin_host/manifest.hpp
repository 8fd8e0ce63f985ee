// Plugin manifests: the JSON file beside each plugin library. The host reads manifests without
// loading any plugin code, so listing and matching stay fast and safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace dfx::plugin_host {

enum class PluginKind { Device, Register };
std::string_view to_string(PluginKind kind);

/// An ABI version "major.minor" (see sdk/include/dfx/plugin.h for the rules).
struct AbiVersion {
  uint16_t major = 0;
  uint16_t minor = 0;
  [[nodiscard]] std::string str() const;
  friend bool operator==(const AbiVersion&, const AbiVersion&) = default;
};

/// The host's own ABI version (from plugin.h).
AbiVersion host_abi();

/// Why a plugin built for `plugin` cannot run in a host of `host`, or nullopt when it can:
/// the major must be equal and the plugin's minor not newer than the host's.
std::optional<std::string> abi_incompatibility(AbiVersion plugin, AbiVersion host);

/// One USB match rule: every field that is set must match (AND); a manifest's rules are OR-ed.
/// Interface fields match when any interface of the active configuration matches all of them.
struct UsbMatchRule {
  std::optional<uint16_t> vendor_id;
  std::optional<uint16_t> product_id;
  std::optional<uint8_t> device_class;
  std::optional<uint8_t> device_subclass;
  std::optional<uint8_t> device_protocol;
  std::optional<uint8_t> interface_class;
  std::optional<uint8_t> interface_subclass;
  std::optional<uint8_t> interface_protocol;
  bool any = false;  ///< {"any": true}: matches every device (the generic plugin)
};

struct Manifest {
  std::filesystem::path path;  ///< where the manifest was read from
  std::string id;              ///< [a-z0-9][a-z0-9-]*, at most 64 characters
  std::string name;
  std::string version;
  PluginKind kind = PluginKind::Device;
  AbiVersion abi;
  std::string library;               ///< file name of the library, in the manifest's folder
  std::vector<UsbMatchRule> match;   ///< device plugins: which devices to probe
  std::vector<std::string> accepts;  ///< register plugins: identifier kinds looked up ("imei"...)

  /// The library's full path: the manifest's folder + library.
  [[nodiscard]] std::filesystem::path library_path() const;
};

/// Parses manifest text. `origin` only names the file in error messages. Errors say which field
/// is wrong and why; JSON syntax errors give line and column.
Result<Manifest> parse_manifest(std::string_view text, const std::filesystem::path& origin);

/// Reads and parses a manifest file (at most 1 MiB).
Result<Manifest> read_manifest(const std::filesystem::path& path);

}  // namespace dfx::plugin_host
