// Child processes of a test in one marked process group (process_group.hpp).
#include "dfx/testing/process_group.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <thread>

#include "spawn_args.hpp"

namespace dfx::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// posix_spawn of `argv` into process group `group` (0: a new group led by the child).
int spawn_in_group(pid_t* pid, pid_t group, std::vector<std::string> argv, const fs::path& output,
                   std::vector<std::string> env) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addclosefrom_np(&fa, 3);  // see the header: no inherited descriptor
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, group);
  const auto args = detail::c_strings(argv), envp = detail::c_strings(env);
  const int rc = ::posix_spawn(pid, argv[0].c_str(), &fa, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  return rc;
}

}  // namespace

ProcessGroup::ProcessGroup(EnvVar marker, std::vector<EnvVar> environment)
    : marker_(marker.name + "=" + marker.value) {
  environment_.push_back(std::move(marker));
  for (auto& v : environment) environment_.push_back(std::move(v));
}

ProcessGroup::~ProcessGroup() {
  kill_all();
}

tl::expected<pid_t, std::string> ProcessGroup::spawn(const std::vector<std::string>& argv,
                                                     const fs::path& output) {
  if (argv.empty() || argv[0].empty())
    return tl::unexpected(std::string("ProcessGroup::spawn: no program"));
  std::map<std::string, std::string> overrides;
  for (const auto& v : environment_) overrides[v.name] = v.value;
  const std::vector<std::string> env = detail::environment_with(overrides);

  // Once every member has gone (a client that ended, reaped), the group no longer exists and
  // cannot be joined: the next child founds a new one. The check and the spawn can race with
  // the last member's end, hence the second try.
  if (group_ != 0 && ::kill(-group_, 0) != 0 && errno == ESRCH) group_ = 0;
  pid_t pid = -1;
  int rc = spawn_in_group(&pid, group_, argv, output, env);
  if (rc == EPERM && group_ != 0) {
    group_ = 0;
    rc = spawn_in_group(&pid, group_, argv, output, env);
  }
  if (rc != 0) return tl::unexpected("cannot run " + argv[0] + ": " + std::strerror(rc));
  if (group_ == 0) group_ = pid;
  children_.push_back(pid);
  return pid;
}

tl::expected<std::string, std::string> ProcessGroup::run(const std::vector<std::string>& argv,
                                                         const fs::path& output,
                                                         std::chrono::milliseconds limit,
                                                         int* status) {
  auto pid = spawn(argv, output);
  if (!pid) return tl::unexpected(pid.error());
  const auto deadline = Clock::now() + limit;
  int st = 0;
  while (::waitpid(*pid, &st, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      ::kill(*pid, SIGKILL);
      ::waitpid(*pid, &st, 0);
      std::erase(children_, *pid);
      return tl::unexpected(argv[0] + " ran over " + std::to_string(limit.count()) +
                            " ms and was killed");
    }
    std::this_thread::sleep_for(10ms);
  }
  std::erase(children_, *pid);
  if (status) *status = st;
  return slurp(output);
}

std::vector<pid_t> ProcessGroup::marked() const {
  std::vector<pid_t> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto pid = static_cast<pid_t>(std::stol(name));
    if (pid == ::getpid()) continue;
    // NUL-separated "NAME=value" entries; a process that is gone or a zombie reads as empty.
    const std::string env = slurp(e.path() / "environ");
    for (std::size_t at = 0; at < env.size();) {
      const std::size_t end = std::min(env.find('\0', at), env.size());
      if (env.compare(at, end - at, marker_) == 0) {
        found.push_back(pid);
        break;
      }
      at = end + 1;
    }
  }
  return found;
}

void ProcessGroup::reap() {
  std::erase_if(children_, [](pid_t pid) {
    const pid_t r = ::waitpid(pid, nullptr, WNOHANG);
    return r == pid || (r < 0 && errno == ECHILD);
  });
}

bool ProcessGroup::kill_all(std::chrono::milliseconds patience) {
  if (group_ > 0) ::kill(-group_, SIGKILL);
  group_ = 0;
  const auto deadline = Clock::now() + patience;
  for (;;) {
    for (pid_t p : marked()) ::kill(p, SIGKILL);  // what left the group (setsid) or was missed
    reap();
    if (marked().empty()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
}

}  // namespace dfx::testing
