// The worker zygote: workers forked from one dfx-probe started once, each the host's own child.
#include "probe/zygote.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "probe/worker.hpp"
#include "probe/worker_process.hpp"
#include "support/build_paths.hpp"

namespace dfx::probe {
namespace {

// A worker whose protocol socket we hold: it waits for a request until we close our end.
struct Started {
  pid_t pid = -1;
  int host_end = -1;
};

Started start(const std::filesystem::path& worker) {
  int sv[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  auto pid = start_worker(worker, sv[1]);
  EXPECT_TRUE(pid.has_value()) << pid.error().message;
  return {pid ? *pid : -1, sv[0]};
}

// Closes our end and reaps the worker: a dfx-probe worker without a request exits with
// kWorkerProtocol. Returns the wait status.
int finish(Started s) {
  ::close(s.host_end);
  int status = 0;
  EXPECT_EQ(::waitpid(s.pid, &status, 0), s.pid) << "the worker is not our child";
  return status;
}

pid_t parent_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  char state;
  pid_t ppid = -1;
  rest >> state >> ppid;
  return ppid;
}

TEST(Zygote, WorkersAreForkedByOneZygoteAndAreTheHostsOwnChildren) {
  const Started a = start(DFX_PROBE_PATH);
  const pid_t zygote = zygote_pid();
  const Started b = start(DFX_PROBE_PATH);
  ASSERT_GT(zygote, 0);
  EXPECT_EQ(zygote_pid(), zygote) << "a second zygote was started";
  EXPECT_NE(a.pid, b.pid);
  for (const Started& s : {a, b}) {
    EXPECT_EQ(parent_of(s.pid), ::getpid());
    EXPECT_EQ(::getpgid(s.pid), s.pid) << "the worker has no process group of its own";
  }
  for (const Started& s : {a, b}) {
    const int status = finish(s);
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), kWorkerProtocol);
  }
}

TEST(Zygote, IsReplacedWhenTheHostsEnvironmentChanges) {
  finish(start(DFX_PROBE_PATH));
  const pid_t before = zygote_pid();
  ::setenv("DFX_ZYGOTE_TEST", "changed", 1);
  finish(start(DFX_PROBE_PATH));
  const pid_t after = zygote_pid();
  ::unsetenv("DFX_ZYGOTE_TEST");
  ASSERT_GT(after, 0);
  EXPECT_NE(before, after);
  EXPECT_NE(::kill(before, 0), 0) << "the old zygote is still running";
}

TEST(Zygote, AKilledZygoteIsReplaced) {
  finish(start(DFX_PROBE_PATH));
  const pid_t killed = zygote_pid();
  ASSERT_GT(killed, 0);
  ASSERT_EQ(::kill(killed, SIGKILL), 0);
  // Until reaped, a killed zygote is a zombie of ours: wait until it is one.
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(killed), &info, WEXITED | WNOWAIT), 0);
  const Started s = start(DFX_PROBE_PATH);
  EXPECT_GT(zygote_pid(), 0);
  EXPECT_NE(zygote_pid(), killed);
  const int status = finish(s);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == kWorkerProtocol) << status;
}

TEST(Zygote, AWorkerThatCannotServeAsAZygoteIsStartedDirectly) {
  // /bin/true ignores --zygote-fd and exits at once: no zygote, and the worker is spawned.
  const Started s = start("/bin/true");
  EXPECT_EQ(zygote_pid(), -1);
  const int status = finish(s);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

}  // namespace
}  // namespace dfx::probe
