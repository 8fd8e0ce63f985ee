// Protocol behaviour modules by name.
//
// A handset JSON file names its behaviour ("behavior": {"module": "adb",
// "params": {...}}); the registry maps that name to a factory. Modules are
// registered as data (a name, a summary and a factory function in a table),
// never by if-chains: the built-in table lives in src/builtin_behaviors.cpp and
// tests or plugins can add their own modules to a registry copy.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "dfx/testing/usb_behavior.hpp"
#include "dfx/testing/usb_spec.hpp"

namespace dfx::testing {

class BehaviorRegistry;

/// What a factory gets to build a behaviour.
struct BehaviorContext {
  const UsbDeviceSpec& device;   ///< The device the behaviour will drive.
  const nlohmann::json& params;  ///< The module's "params" object (an object, possibly empty).
  std::string_view source;       ///< Where the params come from, for error messages ("file.json").
  /// The registry building the behaviour (set by BehaviorRegistry::create), for modules made of
  /// other modules ("composite"); null when a maker is called directly.
  const BehaviorRegistry* registry = nullptr;
};

/// Builds a behaviour, or explains which parameter is wrong.
using BehaviorFactory =
    std::function<tl::expected<std::unique_ptr<UsbBehavior>, std::string>(const BehaviorContext&)>;

/// The BehaviorFactory of a maker that returns its own behaviour type: `&as_behavior<&make_x>`
/// in a module table, where `make_x(const BehaviorContext&)` returns
/// `tl::expected<std::unique_ptr<X>, std::string>` for some X derived from UsbBehavior. Emulators
/// keep such precise makers so that their tests can reach what X records; the registry only
/// needs the UsbBehavior.
template <auto Make>
tl::expected<std::unique_ptr<UsbBehavior>, std::string> as_behavior(
    const BehaviorContext& context) {
  auto made = Make(context);
  if (!made) return tl::unexpected(made.error());
  return std::unique_ptr<UsbBehavior>(std::move(*made));
}

/// A registered module.
struct BehaviorModule {
  std::string name;     ///< As used in JSON, e.g. "descriptor-only".
  std::string summary;  ///< One line for listings and error messages.
  BehaviorFactory create;
};

/// A set of behaviour modules. A value type: copy builtin() and add to it.
class BehaviorRegistry {
 public:
  /// The modules that ship with the kit ("descriptor-only", "scripted", "composite").
  static BehaviorRegistry builtin();

  /// builtin() plus the emulator modules found in `dirs` (see load_emulators).
  static tl::expected<BehaviorRegistry, std::string> with_emulators(
      const std::vector<std::filesystem::path>& dirs);

  /// Where emulator modules are looked for: the folders of $DFX_EMULATOR_PATH
  /// (colon-separated), then <the kit's library folder>/dfx/emulators, where
  /// dfx_add_emulator() puts them in a build tree and an install.
  static std::vector<std::filesystem::path> default_emulator_dirs();

  /// Loads every emulator module ("*.so", built with dfx_add_emulator) of the
  /// folders that exist and adds the modules it registers. A module that cannot
  /// be loaded, lacks DFX_TESTING_EMULATOR_ENTRY or registers a taken name is
  /// an error naming the file. Modules stay loaded for the life of the process.
  tl::expected<void, std::string> load_emulators(const std::vector<std::filesystem::path>& dirs);

  /// Adds a module; fails if the name is empty or already taken.
  tl::expected<void, std::string> add(BehaviorModule module);

  /// The module called `name`, or nullptr.
  const BehaviorModule* find(std::string_view name) const;

  /// Module names, sorted.
  std::vector<std::string> names() const;

  /// Builds module `name` with `params` for `device`. Unknown names fail
  /// with the list of known ones.
  tl::expected<std::unique_ptr<UsbBehavior>, std::string> create(
      std::string_view name, const nlohmann::json& params, const UsbDeviceSpec& device,
      std::string_view source = {}) const;

 private:
  std::vector<BehaviorModule> modules_;
  std::vector<std::filesystem::path> loaded_dirs_;  ///< emulator folders already read
};

/// The "descriptor-only" module: the kit answers the standard descriptor
/// requests; every other control request stalls, OUT data is accepted and
/// dropped, IN transfers never complete. Takes no params.
tl::expected<std::unique_ptr<UsbBehavior>, std::string> make_descriptor_only_behavior(
    const BehaviorContext& context);

/// The "composite" module: a device whose interfaces are played by several modules of the
/// registry that builds it, each owning the interfaces it lists (params documented in
/// src/composite.cpp and README.md, "composite"), as a phone shows MTP and a modem side by side.
tl::expected<std::unique_ptr<UsbBehavior>, std::string> make_composite_behavior(
    const BehaviorContext& context);

/// The "scripted" module: vendor and class control requests and bulk exchanges
/// answered from a table in the handset file (params documented in README.md,
/// "scripted"), so that a new vendor protocol can be emulated from data alone.
tl::expected<std::unique_ptr<UsbBehavior>, std::string> make_scripted_behavior(
    const BehaviorContext& context);

}  // namespace dfx::testing

/// The symbol an emulator module exports: a function that adds its behaviour
/// modules to a registry (C++ types cross here: modules are built with the same
/// toolchain as the kit, as test code is).
#define DFX_TESTING_EMULATOR_ENTRY "dfx_testing_register_emulators"

/// Exports `register_fn` (tl::expected<void, std::string>(BehaviorRegistry&)) as this
/// emulator module's entry point. Use once per module, at namespace scope.
#define DFX_TESTING_EMULATOR_MODULE(register_fn)                                         \
  extern "C" __attribute__((visibility("default"))) void dfx_testing_register_emulators( \
      dfx::testing::BehaviorRegistry* registry, std::string* error) {                    \
    if (auto r = register_fn(*registry); !r) *error = r.error();                         \
  }
