// Starting a dfx-probe worker: the one way the host starts one, for device probes and for
// register plugins alike.
#pragma once

#include <sys/types.h>

#include <filesystem>

#include "base/result.hpp"

namespace dfx::probe {

/// The descriptor number of the protocol socket in the worker (and of the control socket in the
/// zygote).
inline constexpr int kWorkerFd = 3;

/// Starts a worker serving the protocol on `child_end`, and closes `child_end` in this process.
/// The worker is this process's child (waitpid, pidfd_open and kill on its process group work as
/// for any child), with `child_end` as its fd 3, fd 0 on /dev/null, fd 1 on our stderr, no other
/// descriptor of ours, its own process group and default signals.
///
/// Workers are forked from a zygote (zygote.hpp) started on first use, which saves the exec and
/// the dynamic linking of dfx-probe on every probe; when no zygote can be started for `worker`
/// (e.g. it is not a dfx-probe), the worker is started by spawn_worker. Returns the worker's pid.
Result<pid_t> start_worker(const std::filesystem::path& worker, int child_end);

/// Starts `worker` (dfx-probe) with `child_end` as its fd 3 and the arguments `flag` "3" (the
/// worker's --serve-fd, or the zygote's --zygote-fd), with the descriptors, process group and
/// signals described at start_worker. Closes `child_end` in this process. Returns the pid.
Result<pid_t> spawn_worker(const std::filesystem::path& worker, int child_end,
                           const char* flag = "--serve-fd");

}  // namespace dfx::probe
