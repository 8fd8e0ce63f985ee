#include "probe/syscall_filter.hpp"

#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

namespace dfx::probe {
namespace {

// By name, so that the list reads the same on every architecture; a name the architecture does
// not have is skipped.
// clang-format off
constexpr const char* kAllowed[] = {
    // memory
    "brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "membarrier",
    // files the sandbox shows (its mount namespace decides which)
    "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "close",
    "close_range", "fstat", "newfstatat", "statx", "stat", "lstat", "lseek", "openat", "open",
    "access", "faccessat", "faccessat2", "readlink", "readlinkat", "getdents64", "fcntl", "dup",
    "dup2", "dup3", "pipe2", "getcwd", "mkdir", "mkdirat", "rename", "renameat", "renameat2",
    "link", "linkat", "unlink", "unlinkat", "fsync", "fdatasync", "ftruncate", "fchmod",
    "fchmodat", "chmod", "umask", "flock",
    // the protocol socket and, in the virtual lab, umockdev's device sockets (already open)
    "sendto", "recvfrom", "sendmsg", "recvmsg", "shutdown", "getsockopt",
    // clocks, sleeping, polling (libusb's event loop)
    "clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday", "time",
    "poll", "ppoll", "select", "pselect6", "epoll_create1", "epoll_ctl", "epoll_wait",
    "epoll_pwait", "eventfd2", "timerfd_create", "timerfd_settime", "timerfd_gettime",
    // signals and the process itself
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "tgkill", "tkill",
    "getpid", "gettid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getgroups",
    "getresuid", "getresgid", "exit", "exit_group", "set_tid_address", "set_robust_list",
    "get_robust_list", "rseq", "prctl", "arch_prctl", "futex", "sched_yield",
    "sched_getaffinity", "getrandom", "uname", "sysinfo", "getrlimit", "prlimit64",
    "getrusage", "wait4", "waitid",
};
// clang-format on

// What C's stdio asks of a terminal, and harmless descriptor requests. No usbfs request at all:
// the plugin's USB calls are performed by the worker (usb_broker.hpp).
constexpr unsigned long kIoctls[] = {
    TCGETS,
    FIONREAD,
    FIONBIO,
    FIOCLEX,
};

// With the network: what a client of a remote service does with its sockets.
constexpr const char* kNetworkCalls[] = {"connect", "getsockname", "getpeername", "setsockopt",
                                         "bind"};

struct Release {
  void operator()(scmp_filter_ctx ctx) const { seccomp_release(ctx); }
};

tl::unexpected<Error> refused(const std::string& what, int rc) {
  return fail("seccomp: " + what + ": " + std::strerror(-rc));
}

Result<SyscallFilter> compile(bool network) {
  std::unique_ptr<void, Release> ctx(seccomp_init(SCMP_ACT_ERRNO(EPERM)));
  if (!ctx) return fail("seccomp: cannot create a filter");
  for (const char* name : kAllowed) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;
    if (const int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, nr, 0); rc != 0)
      return refused(std::string("allowing ") + name, rc);
  }
  // Threads, not processes: clone() only with CLONE_THREAD. clone3() passes its flags in memory,
  // which a filter cannot read, so it answers ENOSYS and the C library falls back to clone().
  if (const int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
                                      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
      rc != 0)
    return refused("allowing threads", rc);
  if (const int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
      rc != 0)
    return refused("answering clone3", rc);
  for (const unsigned long request : kIoctls) {
    // The request is an unsigned int in the kernel: compare its low 32 bits only.
    if (const int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
                                        SCMP_A1(SCMP_CMP_MASKED_EQ, 0xFFFFFFFFul, request));
        rc != 0)
      return refused("allowing an ioctl", rc);
  }
  if (network) {
    for (const scmp_datum_t family : {scmp_datum_t{AF_INET}, scmp_datum_t{AF_INET6}})
      if (const int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
                                          SCMP_A0(SCMP_CMP_EQ, family));
          rc != 0)
        return refused("allowing sockets", rc);
    for (const char* name : kNetworkCalls) {
      const int nr = seccomp_syscall_resolve_name(name);
      if (nr == __NR_SCMP_ERROR) continue;
      if (const int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, nr, 0); rc != 0)
        return refused(std::string("allowing ") + name, rc);
    }
  }
  // libseccomp writes the program to a descriptor: a memory file, read back whole.
  const int fd = ::memfd_create("dfx-syscall-filter", MFD_CLOEXEC);
  if (fd < 0) return fail(std::string("seccomp: memfd_create: ") + std::strerror(errno));
  if (const int rc = seccomp_export_bpf(ctx.get(), fd); rc != 0) {
    ::close(fd);
    return refused("compiling the filter", rc);
  }
  const off_t size = ::lseek(fd, 0, SEEK_END);
  SyscallFilter filter;
  filter.program.resize(size > 0 ? static_cast<std::size_t>(size) / sizeof(sock_filter) : 0);
  const auto bytes = static_cast<ssize_t>(filter.program.size() * sizeof(sock_filter));
  const bool read = bytes > 0 && ::pread(fd, filter.program.data(), bytes, 0) == bytes;
  ::close(fd);
  if (!read || size % static_cast<off_t>(sizeof(sock_filter)) != 0)
    return fail("seccomp: the compiled filter could not be read back");
  return filter;
}

}  // namespace

const Result<SyscallFilter>& syscall_filter(bool network) {
  static const Result<SyscallFilter> without_network = compile(false);
  static const Result<SyscallFilter> with_network = compile(true);
  return network ? with_network : without_network;
}

Result<void> install_syscall_filter(bool network) {
  const auto& filter = syscall_filter(network);
  if (!filter) return fail(filter.error().message);
  sock_fprog program{static_cast<unsigned short>(filter->program.size()),
                     const_cast<sock_filter*>(filter->program.data())};
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0)
    return fail(std::string("seccomp: loading the filter: ") + std::strerror(errno));
  return {};
}

}  // namespace dfx::probe
