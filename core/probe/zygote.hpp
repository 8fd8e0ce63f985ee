// The worker zygote: a dfx-probe started once per host process, which forks a new worker for
// every probe instead of the host starting dfx-probe afresh. Starting a process here costs more
// than the sandbox itself (exec, dynamic linking of dfx-probe's libraries, their initialisers);
// a fork of a small, idle, single-threaded process costs a fraction of a millisecond.
//
// Each worker still builds its own sandbox (the plugin's folder, its declared paths and its device
// differ from probe to probe): the zygote saves the exec, not the confinement. It is forked with
// CLONE_PARENT, so the worker is the host's child exactly as a spawned one would be, and the
// host's supervision (waitpid, pidfd, killing its process group) is unchanged.
//
// What the zygote holds is what every worker starts from: dfx-probe's code and libraries, the
// host's environment at the zygote's start, and descriptors 0 to 3. It opens no device, loads no
// plugin, starts no thread and reads nothing else, so a worker forked from it is the same as one
// started by exec apart from its address-space layout, which all workers of one host share (see
// docs/security.md). A change of the host's environment (a test setting a variable) replaces the
// zygote, so a worker always sees the environment the host has when the probe starts.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <optional>

#include "base/result.hpp"

namespace dfx::probe {

// --- host side ---

/// Asks this process's zygote for `worker` (starting or replacing it as needed) to fork a worker
/// serving the protocol on `child_end`. Returns its pid (`child_end` is then closed here);
/// nothing when no zygote could take the request (`child_end` is untouched: start the worker
/// another way); or an error when a zygote took the request and failed (`child_end` closed).
Result<std::optional<pid_t>> fork_from_zygote(const std::filesystem::path& worker, int child_end);

/// The pid of this process's zygote, or -1 when none is running (for tests and diagnostics).
pid_t zygote_pid();

// --- worker side (dfx-probe --zygote-fd 3) ---

/// Serves fork requests on `control` until the host closes it. For each request, forks a worker
/// that runs `worker_main` with the received socket as fd 3 and exits with its result, and
/// answers the host with the worker's pid. Returns the zygote's exit code.
int serve_zygote(int control, const std::function<int()>& worker_main);

}  // namespace dfx::probe
