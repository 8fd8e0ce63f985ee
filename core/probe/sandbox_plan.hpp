// What one plugin's sandbox holds, from its manifest: its own folder (read-only), the data paths
// it declares (resolved with the worker's environment) and the variables it declares. Pure apart
// from resolving paths and creating a declared read-write folder that is missing.
#pragma once

#include <chrono>

#include "base/paths.hpp"
#include "base/result.hpp"
#include "plugin_host/manifest.hpp"
#include "probe/sandbox.hpp"

namespace dfx::probe {

/// The plan for `manifest`'s plugin; `cpu_time` bounds its CPU use. A declared path whose
/// variables are all unset is left out; one that resolves to / is refused.
Result<SandboxPlan> plan_for(const plugin_host::Manifest& manifest, const GetEnv& env,
                             std::chrono::seconds cpu_time);

}  // namespace dfx::probe
