#include "probe/worker_process.hpp"

#include "probe/zygote.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <string>

extern char** environ;

namespace dfx::probe {

Result<pid_t> spawn_worker(const std::filesystem::path& worker, int child_end, const char* flag) {
  // dup2 onto fd 3 clears close-on-exec, unless the socket already is fd 3: move it first.
  if (child_end == kWorkerFd) {
    const int moved = ::fcntl(child_end, F_DUPFD_CLOEXEC, kWorkerFd + 1);
    ::close(child_end);
    child_end = moved;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, 2, 1);  // plugin printf goes to stderr, never into data
  posix_spawn_file_actions_adddup2(&fa, child_end, kWorkerFd);
  // Nothing else of dfx's reaches the worker (a log file, a register, another worker's socket).
  posix_spawn_file_actions_addclosefrom_np(&fa, kWorkerFd + 1);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Own process group: a timeout kills whatever the plugin started, too.
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  std::string exe = worker.string();
  std::string option = flag, fd = std::to_string(kWorkerFd);
  char* argv[] = {exe.data(), option.data(), fd.data(), nullptr};
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, exe.c_str(), &fa, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(child_end);
  if (rc != 0) return fail("cannot start worker " + exe + ": " + std::strerror(rc));
  return pid;
}

Result<pid_t> start_worker(const std::filesystem::path& worker, int child_end) {
  auto forked = fork_from_zygote(worker, child_end);
  if (!forked) return tl::unexpected(forked.error());
  if (*forked) return **forked;
  return spawn_worker(worker, child_end);
}

}  // namespace dfx::probe
