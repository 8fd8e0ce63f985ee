#include "probe/sandbox.hpp"

#include "probe/syscall_filter.hpp"

#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace dfx::probe {
namespace {

namespace fs = std::filesystem;

constexpr unsigned long kNamespaces =
    CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
// What name resolution and TLS read, shown (read-only) only to a plugin that keeps the network.
constexpr const char* kNetworkPaths[] = {
    "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf",  "/etc/gai.conf",
    "/etc/host.conf",   "/etc/ssl",   "/etc/ca-certificates"};
constexpr const char* kOld = "/oldroot";
constexpr const char* kNew = "/newroot";
// Top-level system paths: recreated as links when they are links (merged /usr), else bound.
constexpr const char* kSystemLinks[] = {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"};
constexpr const char* kSystemPaths[] = {"/usr", "/etc/ld.so.cache"};
constexpr const char* kDevices[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random",
                                    "/dev/urandom"};

// The child reports to the worker over a pipe, once: "S<wait status>" for the process that ran
// the body, or "E<why>" when the sandbox could not be built.
void report(int fd, const std::string& text) {
  std::size_t off = 0;
  while (off < text.size()) {
    const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void give_up(int fd, const std::string& step) {
  report(fd, "E" + step + ": " + std::strerror(errno));
  ::_exit(127);
}

bool write_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

// Creates `path` and its parents as folders (0755) inside the new root being built.
bool make_folders(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  return !ec;
}

// The flags a bind mount must keep when remounted: those the kernel locks in a user namespace.
unsigned long kept_flags(const char* path) {
  struct statvfs s {};
  if (::statvfs(path, &s) != 0) return 0;
  unsigned long f = 0;
  if (s.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (s.f_flag & ST_NODEV) f |= MS_NODEV;
  if (s.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (s.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (s.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (s.f_flag & ST_RELATIME) f |= MS_RELATIME;
  if (s.f_flag & ST_RDONLY) f |= MS_RDONLY;
  return f;
}

// Makes old-root `path` visible at the same place in the new root. Missing paths are skipped
// (an optional system folder; a declared data path the host did not create).
void bind(int out, const fs::path& path, bool writable, bool devices) {
  const std::string src = kOld + path.string();
  const std::string dst = kNew + path.string();
  struct stat st {};
  if (::stat(src.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    if (!make_folders(dst)) give_up(out, "creating " + dst);
  } else {
    if (!make_folders(fs::path(dst).parent_path())) give_up(out, "creating folders for " + dst);
    const int fd = ::open(dst.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) give_up(out, "creating " + dst);
    ::close(fd);
  }
  if (::mount(src.c_str(), dst.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
    give_up(out, "binding " + path.string());
  unsigned long flags = MS_REMOUNT | MS_BIND | MS_NOSUID | kept_flags(dst.c_str());
  if (!devices) flags |= MS_NODEV;
  if (!writable) flags |= MS_RDONLY;
  if (::mount(nullptr, dst.c_str(), nullptr, flags, nullptr) != 0)
    give_up(out, "restricting " + path.string());
}

// Builds the plugin's file system and makes it the root: a tmpfs holding the system's libraries
// and the plan's paths, a /dev with the harmless devices only, a fresh /proc and an empty /tmp.
void build_root(int out, const SandboxPlan& plan) {
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    give_up(out, "making mounts private");
  // A scratch tmpfs becomes the root for a moment, with the old root under it, so that every
  // source path stays reachable as /oldroot/... while the new root is assembled at /newroot.
  if (::mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755") != 0)
    give_up(out, "mounting a scratch tmpfs");
  if (::mkdir("/tmp/oldroot", 0755) != 0 || ::mkdir("/tmp/newroot", 0755) != 0)
    give_up(out, "creating the scratch folders");
  if (::chdir("/tmp") != 0 || ::syscall(SYS_pivot_root, "/tmp", "/tmp/oldroot") != 0 ||
      ::chdir("/") != 0)
    give_up(out, "entering the scratch root");
  if (::mount("tmpfs", kNew, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") != 0)
    give_up(out, "mounting the new root");

  for (const char* link : kSystemLinks) {
    char target[256] = {};
    const std::string src = kOld + std::string(link);
    const ssize_t n = ::readlink(src.c_str(), target, sizeof target - 1);
    if (n > 0) {
      if (::symlink(target, (kNew + std::string(link)).c_str()) != 0)
        give_up(out, std::string("linking ") + link);
    } else {
      bind(out, link, false, false);
    }
  }
  for (const char* p : kSystemPaths) bind(out, p, false, false);
  if (plan.network)
    for (const char* p : kNetworkPaths) bind(out, p, false, false);

  const std::string dev = kNew + std::string("/dev");
  if (!make_folders(dev) ||
      ::mount("tmpfs", dev.c_str(), "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755") != 0)
    give_up(out, "mounting /dev");
  for (const char* d : kDevices) bind(out, d, true, true);
  const std::string proc = kNew + std::string("/proc");
  if (!make_folders(proc) ||
      ::mount("proc", proc.c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    give_up(out, "mounting /proc");
  const std::string tmp = kNew + std::string("/tmp");
  if (!make_folders(tmp) ||
      ::mount("tmpfs", tmp.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777") != 0)
    give_up(out, "mounting /tmp");

  // Last, so that a path under /tmp is not hidden by the empty /tmp.
  for (const auto& p : plan.paths) bind(out, p.path, p.writable, false);

  if (::umount2(kOld, MNT_DETACH) != 0) give_up(out, "detaching the old root");
  if (::chdir(kNew) != 0 || ::syscall(SYS_pivot_root, ".", ".") != 0 ||
      ::umount2(".", MNT_DETACH) != 0 || ::chdir("/") != 0)
    give_up(out, "entering the new root");
  if (::mount(nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV,
              nullptr) != 0)
    give_up(out, "making the root read-only");
}

void limit(int out, int resource, rlim_t value, const char* name) {
  rlimit r{};
  ::getrlimit(resource, &r);
  if (r.rlim_max != RLIM_INFINITY && r.rlim_max < value) value = r.rlim_max;
  r.rlim_cur = value;
  r.rlim_max = value;
  if (::setrlimit(resource, &r) != 0) give_up(out, std::string("limiting ") + name);
}

// Everything the process that runs the plugin gives up before the body starts.
void give_up_privileges(int out, const SandboxPlan& plan) {
  limit(out, RLIMIT_CORE, 0, "core files");
  limit(out, RLIMIT_CPU, static_cast<rlim_t>(plan.cpu_time.count()), "CPU time");
  limit(out, RLIMIT_NOFILE, 256, "open files");
  limit(out, RLIMIT_NPROC, 64, "processes");
  limit(out, RLIMIT_FSIZE, rlim_t{64} << 20, "file size");
  limit(out, RLIMIT_MEMLOCK, 0, "locked memory");
  limit(out, RLIMIT_MSGQUEUE, 0, "message queues");
  // The bounding set first (it needs CAP_SETPCAP), then every other set.
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap)
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
      give_up(out, "dropping capability " + std::to_string(cap) + " from the bounding set");
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
    give_up(out, "clearing ambient capabilities");
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct none[2] = {};
  if (::syscall(SYS_capset, &header, none) != 0) give_up(out, "dropping capabilities");
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) give_up(out, "setting NoNewPrivs");
  if (auto filtered = install_syscall_filter(plan.network); !filtered) {
    report(out, "E" + filtered.error().message);
    ::_exit(127);
  }

  ::clearenv();
  static std::vector<std::string> environment;  // putenv keeps pointers into these strings
  environment = plan.environment;
  for (auto& e : environment) ::putenv(e.data());
}

// The signals whose default action ends a process. PID 1 of a PID namespace drops those sent
// from inside the namespace (a plugin's own raise(SIGSEGV) or abort()) unless it handles them, so
// the sandbox handles them: the signal is reported to the worker, which reports the crash as it
// would for any process, and the process ends.
constexpr int kFatalSignals[] = {SIGHUP,  SIGINT,  SIGQUIT,   SIGILL,  SIGTRAP, SIGABRT, SIGBUS,
                                 SIGFPE,  SIGUSR1, SIGSEGV,   SIGUSR2, SIGALRM, SIGTERM, SIGSTKFLT,
                                 SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGIO,   SIGPWR,  SIGSYS};
int g_signal_report_fd = -1;

void report_fatal_signal(int sig) {
  // Only async-signal-safe calls: the digits by hand, one write, _exit.
  char text[8] = {'K'};
  int n = 1;
  if (sig >= 10) text[n++] = static_cast<char>('0' + sig / 10);
  text[n++] = static_cast<char>('0' + sig % 10);
  (void)!::write(g_signal_report_fd, text, static_cast<std::size_t>(n));
  ::_exit(128 + sig);
}

void handle_fatal_signals(int out) {
  g_signal_report_fd = out;
  struct sigaction sa {};
  sa.sa_handler = report_fatal_signal;
  sigemptyset(&sa.sa_mask);
  for (const int sig : kFatalSignals) {
    struct sigaction was {};
    ::sigaction(sig, nullptr, &was);
    if (was.sa_handler == SIG_IGN) continue;  // ignored by the worker (SIGPIPE is not listed)
    ::sigaction(sig, &sa, nullptr);
  }
}

// Maps the same user and group inside the new user namespace as outside, so that the plugin can
// read what it was given and nothing more: it has no capabilities, in the namespace or outside.
// A process may write its own single-line mapping of its own ids.
void map_own_user(int out, uid_t uid, gid_t gid) {
  if (!write_file("/proc/self/setgroups", "deny") ||
      !write_file("/proc/self/uid_map", std::to_string(uid) + " " + std::to_string(uid) + " 1\n") ||
      !write_file("/proc/self/gid_map", std::to_string(gid) + " " + std::to_string(gid) + " 1\n"))
    give_up(out, "mapping the sandbox's user");
}

// Closes every descriptor but 0, 1, 2, `keep` and the report pipe `out`: the worker's device, its
// libusb context's event descriptors, the broker's own end...
void close_all_but(int out, std::vector<int> keep) {
  keep.push_back(out);
  std::sort(keep.begin(), keep.end());
  unsigned int from = 3;
  for (const int fd : keep) {
    if (fd < static_cast<int>(from)) continue;
    if (static_cast<unsigned int>(fd) > from &&
        ::syscall(SYS_close_range, from, static_cast<unsigned int>(fd) - 1, 0) != 0)
      give_up(out, "closing the worker's descriptors");
    from = static_cast<unsigned int>(fd) + 1;
  }
  if (::syscall(SYS_close_range, from, ~0u, 0) != 0)
    give_up(out, "closing the worker's descriptors");
}

// PID 1 of the new namespaces: builds the sandbox, gives up every privilege and runs the body.
// When it exits, the kernel kills every process left in the namespace (a plugin may not start
// processes at all: the system-call filter allows threads only).
[[noreturn]] void init(int out, uid_t uid, gid_t gid, const SandboxPlan& plan,
                       const std::function<int()>& body) {
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) give_up(out, "tying the sandbox to the worker");
  close_all_but(out, plan.inherit);
  map_own_user(out, uid, gid);
  build_root(out, plan);
  ::sethostname("dfx-probe", 9);
  handle_fatal_signals(out);
  give_up_privileges(out, plan);
  report(out, "R");  // built: whatever follows on the pipe is written after the body started
  ::_exit(body());
}

}  // namespace

Result<int> run_confined(const SandboxPlan& plan, const std::function<int()>& body,
                         const SandboxService& service) {
  // Compiled here, outside the sandbox (or inherited from the zygote, which compiled it once):
  // the process that runs the plugin only loads it.
  if (const auto& filter = syscall_filter(plan.network); !filter)
    return fail(filter.error().message);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return fail(std::string("pipe: ") + std::strerror(errno));
  const uid_t uid = ::geteuid();
  const gid_t gid = ::getegid();
  // clone() without CLONE_VM behaves as fork() into the new namespaces.
  const unsigned long namespaces = plan.network ? kNamespaces & ~CLONE_NEWNET : kNamespaces;
  const long pid = ::syscall(SYS_clone, namespaces | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  if (pid == 0) {
    ::close(out[0]);
    init(out[1], uid, gid, plan, body);
  }
  ::close(out[1]);
  if (pid < 0) {
    const int e = errno;
    ::close(out[0]);
    std::string why = std::string("creating the sandbox's namespaces: ") + std::strerror(e);
    if (e == EPERM || e == ENOSPC || e == EUSERS)
      why +=
          " (user namespaces may be turned off here: sysctl user.max_user_namespaces, "
          "kernel.unprivileged_userns_clone, or an AppArmor restriction on unprivileged user "
          "namespaces; plugins are not run without their sandbox)";
    return fail(why);
  }
  // The pipe says "E<why>" when the sandbox could not be built, or "R" once it was, then
  // "K<signal>" if the body died of a signal it raised itself. Its write end is the plugin's too,
  // so nothing after the "R" can claim a sandbox failure: at most a crash of its own probe.
  std::string text;
  char buf[512];
  int service_fd = service.fd;
  for (;;) {
    pollfd fds[2] = {{out[0], POLLIN, 0}, {service_fd, POLLIN, 0}};
    if (::poll(fds, service_fd >= 0 ? 2 : 1, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (service_fd >= 0 && fds[1].revents != 0 && !service.serve()) service_fd = -1;
    if (fds[0].revents == 0) continue;
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    // Kept up to a bound and read to the end beyond it: a body that writes without end must not
    // block on a full pipe while the worker waits for it.
    if (text.size() < 4096) text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  while (::waitpid(static_cast<pid_t>(pid), &status, 0) < 0 && errno == EINTR) {}
  if (!text.empty() && text[0] == 'E') return fail("building the sandbox: " + text.substr(1));
  if (text.empty())
    return fail("the sandbox ended before it was built (wait status " + std::to_string(status) +
                ")");
  if (text.size() > 1 && text[1] == 'K' && WIFEXITED(status)) {
    const int sig = std::atoi(text.c_str() + 2);
    if (sig > 0 && sig < 65) return sig;  // the wait status of a process killed by `sig`
  }
  return status;
}

}  // namespace dfx::probe
