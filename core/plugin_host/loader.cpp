#include "plugin_host/loader.hpp"

#include <dlfcn.h>

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <system_error>

#include <tuple>

#include <boost/dll/shared_library.hpp>

#include "plugin_host/catalog.hpp"
#include "plugin_host/trusted_file.hpp"

namespace dfx::plugin_host {
namespace {

// Boost.DLL's high-level import (renamed from import to import_symbol in 1.76) is not needed: the
// host keeps the shared_library alive itself and only takes one C function from it, through
// shared_library::get, which has the same spelling in Boost 1.74 (Debian 12) and later.
using EntryFn = const dfx_plugin_info*(uint16_t, uint16_t);

constexpr std::size_t kMinInfoSize = offsetof(dfx_plugin_info, probe) + sizeof(dfx_probe_fn);

constexpr std::size_t kRegisterInfoSize =
    offsetof(dfx_plugin_info, register_ops) + sizeof(const dfx_register_ops*);
constexpr std::size_t kRegisterOpsSize =
    offsetof(dfx_register_ops, close) + sizeof(dfx_register_close_fn);

// What is wrong with a register plugin's operations, or nullopt. The kinds it accepts must be
// the manifest's, since the host decides from the manifest which identifiers to send it.
std::optional<std::string> register_ops_problem(const dfx_plugin_info& info,
                                                const Manifest& manifest) {
  if (info.struct_size < kRegisterInfoSize || info.register_ops == nullptr)
    return std::string("register plugin has no register operations (built against ABI 1.0?)");
  const dfx_register_ops& ops = *info.register_ops;
  if (ops.struct_size < kRegisterOpsSize)
    return "register operations are " + std::to_string(ops.struct_size) +
           " bytes, smaller than ABI 1.1's " + std::to_string(kRegisterOpsSize);
  if (ops.open == nullptr || ops.query == nullptr || ops.close == nullptr)
    return std::string("register plugin lacks an open, query or close function");
  std::set<std::string> lib_kinds;
  constexpr int kMaxKinds = 64;  // a list without its NULL end must not run off into memory
  int n = 0;
  for (const char* const* k = ops.accepted_kinds; k != nullptr && *k != nullptr; ++k) {
    if (++n > kMaxKinds) return std::string("accepted kinds list has no NULL end");
    lib_kinds.insert(*k);
  }
  const std::set<std::string> manifest_kinds(manifest.accepts.begin(), manifest.accepts.end());
  if (lib_kinds != manifest_kinds) {
    auto join = [](const std::set<std::string>& v) {
      std::string out;
      for (const auto& k : v) out += (out.empty() ? "" : ",") + k;
      return out.empty() ? std::string("nothing") : out;
    };
    return "library accepts " + join(lib_kinds) + " but its manifest " +
           manifest.path.filename().string() + " declares " + join(manifest_kinds);
  }
  return std::nullopt;
}

}  // namespace

Result<TrustedFile> open_library(const Manifest& manifest) {
  const auto lib_path = manifest.library_path();
  std::error_code fec;
  if (!std::filesystem::exists(lib_path, fec))
    return fail("library " + lib_path.string() + " named by " + manifest.path.string() +
                " does not exist");
  return TrustedFile::open(lib_path);
}

Result<LoadedPlugin> load_plugin(const Manifest& manifest) {
  auto file = open_library(manifest);
  if (!file) return tl::unexpected(std::move(file.error()));
  return load_plugin(manifest, std::move(*file));
}

Result<LoadedPlugin> load_plugin(const Manifest& manifest, TrustedFile library) {
  const std::string where = manifest.library_path().string();
  // The library is loaded through the descriptor that was checked, never by its path again: a
  // file swapped in after the checks is not the one loaded. The descriptor stays open as long as
  // the library is loaded, so that its /proc/self/fd name cannot be reused for another library
  // while the dynamic loader still knows this one by it.
  struct Opened {
    TrustedFile file;
    boost::dll::shared_library library;
  };
  auto opened = std::make_shared<Opened>(Opened{std::move(library), {}});
  auto* lib = &opened->library;
  boost::dll::fs::error_code ec;
  lib->load(opened->file.descriptor_path(), ec,
            boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (ec || !lib->is_loaded()) {
    // Boost reports a generic code; dlerror() still holds the loader's own explanation.
    const char* why = ::dlerror();
    return fail(where + ": cannot load: " + (why ? why : ec.message()));
  }
  if (!lib->has(DFX_PLUGIN_ENTRY_NAME))
    return fail(where +
                ": missing entry symbol " DFX_PLUGIN_ENTRY_NAME
                " (is DFX_DEVICE_PLUGIN or DFX_REGISTER_PLUGIN used, and the symbol exported?)");
  auto& entry = lib->get<EntryFn>(DFX_PLUGIN_ENTRY_NAME);
  const dfx_plugin_info* info = entry(DFX_ABI_MAJOR, DFX_ABI_MINOR);
  if (info == nullptr) return fail(where + ": the plugin declined to load (entry returned NULL)");
  if (info->struct_size < kMinInfoSize)
    return fail(where + ": plugin info is " + std::to_string(info->struct_size) +
                " bytes, smaller than ABI 1.0's " + std::to_string(kMinInfoSize));

  const AbiVersion lib_abi{info->abi_major, info->abi_minor};
  if (auto incompatible = abi_incompatibility(lib_abi, host_abi()))
    return fail(where + ": library reports " + *incompatible);
  if (lib_abi != manifest.abi)
    return fail(where + ": library reports ABI " + lib_abi.str() + " but its manifest declares " +
                manifest.abi.str());
  const std::string lib_id = info->id ? info->id : "";
  if (lib_id != manifest.id)
    return fail(where + ": library reports id \"" + lib_id + "\" but its manifest " +
                manifest.path.filename().string() + " declares \"" + manifest.id + "\"");
  // What `dfx plugins list` shows (the manifest) and what evidence records (the library) must be
  // the same facts: dfx_add_plugin() generates them from the manifest, a hand-built library may
  // drift.
  for (const auto& [what, lib_value, manifest_value] :
       {std::tuple<const char*, const char*, const std::string&>{"version", info->version,
                                                                 manifest.version},
        std::tuple<const char*, const char*, const std::string&>{"name", info->name,
                                                                 manifest.name}}) {
    const std::string lib_text = lib_value ? lib_value : "";
    if (!manifest_value.empty() && lib_text != manifest_value)
      return fail(where + ": library reports " + what + " \"" + lib_text + "\" but its manifest " +
                  manifest.path.filename().string() + " declares \"" + manifest_value + "\"");
  }
  const auto want_kind =
      manifest.kind == PluginKind::Device ? DFX_PLUGIN_DEVICE : DFX_PLUGIN_REGISTER;
  if (info->kind != want_kind)
    return fail(where + ": library reports kind " + std::to_string(info->kind) +
                " but its manifest declares \"" + std::string(to_string(manifest.kind)) + "\"");
  if (manifest.kind == PluginKind::Device && info->probe == nullptr)
    return fail(where + ": device plugin has no probe function");
  if (manifest.kind == PluginKind::Register) {
    if (auto why = register_ops_problem(*info, manifest)) return fail(where + ": " + *why);
  }

  return LoadedPlugin(manifest, std::shared_ptr<void>(opened, lib), info);
}

}  // namespace dfx::plugin_host
