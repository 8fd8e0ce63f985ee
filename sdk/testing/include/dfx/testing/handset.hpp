// Virtual handsets described as data (JSON files, format in README.md).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "dfx/testing/behavior_registry.hpp"
#include "dfx/testing/testbed.hpp"
#include "dfx/testing/usb_faults.hpp"
#include "dfx/testing/usb_spec.hpp"
#include "dfx/testing/virtual_tty.hpp"
#include "dfx/testing/virtual_usb_device.hpp"

namespace dfx::testing {

/// The format tag every handset file carries in "format".
inline constexpr std::string_view handset_format = "dfx-handset/1";

/// Which behaviour module drives the handset, with its parameters.
struct BehaviorRef {
  std::string module = "descriptor-only";
  nlohmann::json params = nlohmann::json::object();

  /// The params of `name`: this behaviour's own when it is that module, else those of the first
  /// part of a "composite" that is (a test that builds one emulator from a handset file
  /// whose device plays several); null when neither.
  [[nodiscard]] const nlohmann::json& params_of(std::string_view name) const {
    static const nlohmann::json none;
    if (module == name) return params;
    if (module != "composite" || !params.contains("parts") || !params["parts"].is_array())
      return none;
    for (const auto& part : params["parts"])
      if (part.is_object() && part.value("module", "") == name)
        return part.contains("params") ? part["params"] : none;
    return none;
  }
};

/// A virtual handset: descriptors, ttys and behaviour.
struct HandsetSpec {
  std::string id;  ///< File name without ".json" (or the caller's name for parse_handset).
  std::filesystem::path source;  ///< The file it was loaded from (empty for parse_handset).
  std::string name;              ///< Human-readable name ("name").
  std::string description;       ///< Free text ("description"), optional.
  UsbDeviceSpec usb;             ///< "usb".
  std::vector<TtySpec> ttys;     ///< "ttys", optional.
  BehaviorRef behavior;          ///< "behavior".
  std::vector<Fault> faults;     ///< "faults", optional: injected when the handset is plugged.
};

/// Parses a handset from JSON already read. `source` names it in errors.
/// Errors read "<source>: <JSON pointer>: <problem>", e.g.
/// "pixel.json: /usb/configurations/0/interfaces/1/endpoints/0/type: expected one of ...".
tl::expected<HandsetSpec, std::string> parse_handset(const nlohmann::json& document,
                                                     std::string_view source, std::string id = {});

/// Loads one handset file. Unknown keys are errors (they are usually typos).
tl::expected<HandsetSpec, std::string> load_handset(const std::filesystem::path& path);

/// Loads every "*.json" file of a directory (not recursive), sorted by file
/// name so the order is the same everywhere. Fails if any file fails; the
/// error lists every bad file, one per line.
tl::expected<std::vector<HandsetSpec>, std::string> load_handset_directory(
    const std::filesystem::path& directory);

/// Plugs a handset: builds its behaviour from `registry` and plugs the device
/// with its ttys.
tl::expected<VirtualUsbDevice*, std::string> plug_handset(
    Testbed& testbed, const HandsetSpec& handset,
    const BehaviorRegistry& registry = BehaviorRegistry::builtin(), Placement placement = {});

}  // namespace dfx::testing
