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
#include "usb/surface.hpp"

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
  /// The interface's iInterface string, exactly (e.g. "MTP": vendor-class MTP interfaces are
  /// told from other 0xFF interfaces only by their name); an interface without one never matches.
  std::optional<std::string> interface_name;
  bool any = false;  ///< {"any": true}: matches every device (the generic plugin)
};

/// A file or folder a plugin needs inside its sandbox, declared in its manifest
/// ("sandbox": {"paths": [...]}) so that an examiner sees it before running the plugin.
struct DataPath {
  /// Where it is: "$VAR", "$VAR/rest" or an absolute path; the first whose variable is set wins.
  std::vector<std::string> candidates;
  bool writable = false;  ///< "access": "read-write" (created as a private folder when missing)
  bool list = false;      ///< the value is a ':'-separated list of paths (as $ADB_VENDOR_KEYS)
  std::string why;        ///< what the plugin keeps there, for people
};

/// What a plugin's sandbox gives it besides its own folder ("sandbox" in the manifest).
struct SandboxNeeds {
  std::vector<std::string> environment;  ///< variables passed on when set; nothing else is
  std::vector<DataPath> paths;
};

/// A setting the examiner may give a plugin on dfx's command line, as --<plugin id>-<name>
/// VALUE: dfx puts VALUE in the plugin's environment variable (which its sandbox passes on).
struct PluginSetting {
  std::string name;         ///< [a-z][a-z0-9-]*, e.g. "pair-records"
  std::string environment;  ///< the variable, one of sandbox.environment
  std::string help;         ///< one sentence for --help and `dfx plugins list`
  bool list = false;        ///< repeatable: values joined with ':' (a list of folders)
};

struct Manifest {
  std::filesystem::path path;  ///< where the manifest was read from, as named
  std::string id;              ///< [a-z0-9][a-z0-9-]*, at most 64 characters
  std::string name;
  std::string version;
  PluginKind kind = PluginKind::Device;
  AbiVersion abi;
  std::string library;               ///< file name of the library, in the manifest's folder
  std::vector<UsbMatchRule> match;   ///< device plugins: which devices to probe
  std::vector<std::string> accepts;  ///< register plugins: identifier kinds looked up ("imei"...)
  usb::Surface usb;                  ///< device plugins: the requests they may send ("usb")
  SandboxNeeds sandbox;              ///< what the plugin needs inside its sandbox
  std::vector<PluginSetting> settings;  ///< command-line settings ("settings")
  /// `path` with symbolic links resolved, as checked when it was read (read_manifest): what a
  /// worker is given, so that no link can be repointed between the host's checks and the load.
  std::filesystem::path real_path;

  /// The library's full path: the manifest's real folder + library.
  [[nodiscard]] std::filesystem::path library_path() const;
};

/// Parses manifest text. `origin` only names the file in error messages. Errors say which field
/// is wrong and why; JSON syntax errors give line and column.
Result<Manifest> parse_manifest(std::string_view text, const std::filesystem::path& origin);

/// Reads and parses a manifest file (at most 1 MiB) opened as a TrustedFile: refused when it, or
/// a folder above its real location, could be changed by another user.
Result<Manifest> read_manifest(const std::filesystem::path& path);

}  // namespace dfx::plugin_host
