// Starting a dfx-probe worker: the one way the host starts one, for device probes and for
// register plugins alike.
#pragma once

#include <sys/types.h>

#include <filesystem>

#include "base/result.hpp"

namespace dfx::probe {

/// The descriptor number of the protocol socket in the worker.
inline constexpr int kWorkerFd = 3;

/// Starts `worker` (dfx-probe) with `child_end` as its fd 3, fd 0 on /dev/null, fd 1 on our
/// stderr, no other descriptor of ours, its own process group, and default signals. Closes
/// `child_end` in this process. Returns the worker's pid.
Result<pid_t> spawn_worker(const std::filesystem::path& worker, int child_end);

}  // namespace dfx::probe
