// Locations the host derives from where it runs, so that a build tree and an install both work
// without flags.
#pragma once

#include <filesystem>

namespace dfx {

/// The folder of the running executable (from /proc/self/exe).
std::filesystem::path executable_dir();

/// The probe worker: $DFX_PROBE if set, else dfx-probe beside the running executable.
std::filesystem::path probe_worker_path();

}  // namespace dfx
