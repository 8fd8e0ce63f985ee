// Loads a plugin library with Boost.DLL and checks what it reports against its manifest and the
// host's ABI. Device plugins are loaded only inside the probe worker (dfx-probe), never by the host
// process itself, except in the --in-process debug mode.
#pragma once

#include <dfx/plugin.h>

#include <memory>

#include "base/result.hpp"
#include "plugin_host/manifest.hpp"
#include "plugin_host/trusted_file.hpp"

namespace dfx::plugin_host {

/// A loaded plugin: the library stays mapped as long as this object lives.
class LoadedPlugin {
 public:
  LoadedPlugin(Manifest manifest, std::shared_ptr<void> library, const dfx_plugin_info* info)
      : manifest_(std::move(manifest)), library_(std::move(library)), info_(info) {}
  [[nodiscard]] const Manifest& manifest() const { return manifest_; }
  [[nodiscard]] const dfx_plugin_info& info() const { return *info_; }
  [[nodiscard]] AbiVersion abi() const { return {info_->abi_major, info_->abi_minor}; }

 private:
  Manifest manifest_;
  std::shared_ptr<void> library_;  // type-erased boost::dll::shared_library
  const dfx_plugin_info* info_;
};

/// Opens the manifest's library as a TrustedFile (checked where it really is), without loading it.
Result<TrustedFile> open_library(const Manifest& manifest);

/// Loads `library` (opened by open_library) through its descriptor and validates it, as below.
Result<LoadedPlugin> load_plugin(const Manifest& manifest, TrustedFile library);

/// Loads the manifest's library and validates it. Refusals name the file and the reason: missing
/// library, unsafe permissions, dlopen failure, missing entry symbol, entry returned NULL, struct
/// too small, incompatible ABI, ABI or id or kind different from the manifest's, no probe function.
Result<LoadedPlugin> load_plugin(const Manifest& manifest);

}  // namespace dfx::plugin_host
