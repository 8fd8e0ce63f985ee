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

/// Adds what a register's configuration grants its plugin: the variables of `environment` that
/// are set, and `files` read-only. A granted file that does not exist is an error (the plugin
/// would fail later with a vaguer one); one that resolves to / is refused.
Result<void> add_grants(SandboxPlan& plan, const std::vector<std::string>& environment,
                        const std::vector<std::filesystem::path>& files, const GetEnv& env);

}  // namespace dfx::probe
