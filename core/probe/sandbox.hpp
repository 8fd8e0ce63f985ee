// The confinement a plugin runs in. A seized phone is hostile input and a plugin is third-party
// code parsing it, so the plugin runs in a process tree of its own with:
//   - new user, PID, mount, network, IPC and UTS namespaces: the tree dies with the probe (its
//     first process is PID 1 of the namespace; no setsid() escape), no network at all, and a
//     file system made of the system's libraries (read-only), the plugin's own folder
//     (read-only), the data paths its manifest declares, an empty /tmp and a fresh /proc;
//   - no capabilities (effective, permitted, inheritable, ambient and bounding sets empty) and
//     NoNewPrivs;
//   - only the environment variables its manifest declares;
//   - resource limits on address space, CPU time, open files, processes and file size.
//   - only the descriptors the plan names (the protocol socket, the plugin's library, the USB
//     broker's socket): every other one of the worker's is closed, the device's among them.
// The worker opens the device, the manifest and the library before confining and keeps the
// device on its side: the plugin reaches it only through the USB broker (usb_broker.hpp). See
// docs/security.md for what this does not cover.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace dfx::probe {

/// A path made visible inside the sandbox at the same place.
struct SandboxPath {
  std::filesystem::path path;  ///< absolute; symbolic links resolved
  bool writable = false;
};

/// What a confined plugin may see and use.
struct SandboxPlan {
  std::vector<SandboxPath> paths;        ///< besides the system's libraries
  std::vector<std::string> environment;  ///< "NAME=value": the plugin's whole environment
  std::chrono::seconds cpu_time{60};     ///< RLIMIT_CPU of the plugin's processes
  /// Keep the host's network (a register plugin configured with "network": true): no network
  /// namespace, sockets allowed, and the resolver's and TLS's configuration files visible.
  bool network = false;
  /// The worker's descriptors the plugin keeps (besides 0, 1 and 2); all others are closed.
  std::vector<int> inherit;
};

/// Work the worker does for the confined body while it runs: `serve` is called each time `fd` is
/// readable, until it returns false.
struct SandboxService {
  int fd = -1;
  std::function<bool()> serve;
};

/// Runs `body` confined by `plan` in a child process tree and waits for it. Returns the wait
/// status of the process that ran `body` (use WIFEXITED/WIFSIGNALED), or an error naming the
/// step when the sandbox could not be built; `body` never runs unconfined. While it runs, the
/// calling process answers `service` (the USB broker).
Result<int> run_confined(const SandboxPlan& plan, const std::function<int()>& body,
                         const SandboxService& service = {});

}  // namespace dfx::probe
