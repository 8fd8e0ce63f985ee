// The system calls a sandboxed plugin may make (seccomp, through Debian's libseccomp). A plugin
// reads a device through the host API (whose USB calls travel to the worker over a socket: the
// plugin holds no device), parses what it gets and reports claims: it needs memory, files it was
// given, threads, clocks, polling and reading and writing descriptors it holds. Everything else
// fails with EPERM: new processes, sockets, mounts, namespaces, ptrace, exec, kernel modules,
// and every usbfs ioctl (a reset, a configuration, a URB built by hand: there is no device
// descriptor to send them on either).
#pragma once

#include <linux/filter.h>

#include <vector>

#include "base/result.hpp"

namespace dfx::probe {

/// The allow-list compiled into the program the kernel runs on every system call.
struct SyscallFilter {
  std::vector<sock_filter> program;
};

/// The allow-list, compiled on first use and kept for the life of the process: compiling costs
/// milliseconds, loading microseconds, and a zygote compiles it once for every worker it forks.
/// With `network`, IPv4 and IPv6 sockets are allowed too (a register plugin that asks a remote
/// service).
const Result<SyscallFilter>& syscall_filter(bool network);

/// Installs the allow-list on the calling thread; threads it starts inherit it. Needs NoNewPrivs
/// (or CAP_SYS_ADMIN). Irreversible.
Result<void> install_syscall_filter(bool network = false);

}  // namespace dfx::probe
