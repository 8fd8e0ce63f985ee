// ProcessGroup: children in one group with a marker, killed with whatever they started, and
// commands run with a time limit.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "dfx/testing/process_group.hpp"

namespace dfx::testing::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class ProcessGroupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    dir = fs::path(tmp ? tmp : "/tmp") / ("process-group-" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  /// A marker no other process has: this test's private folder.
  EnvVar marker() const { return {"DFX_PROCESS_GROUP_TEST", dir.string()}; }

  /// Waits until `group` marks at least `count` processes.
  static bool wait_for_marked(const ProcessGroup& group, std::size_t count) {
    const auto deadline = Clock::now() + 5s;
    while (group.marked().size() < count && Clock::now() < deadline)
      std::this_thread::sleep_for(10ms);
    return group.marked().size() >= count;
  }

  fs::path dir;
};

TEST_F(ProcessGroupTest, KillsTheGroupAndNothingMarkedIsLeft) {
  ProcessGroup group(marker());
  auto sh = group.spawn({"/bin/sh", "-c", "sleep 30 & sleep 30"}, dir / "sh.out");
  ASSERT_TRUE(sh) << sh.error();
  EXPECT_EQ(group.group(), *sh) << "the first child founds the group";
  ASSERT_TRUE(wait_for_marked(group, 3)) << "sh and its two sleeps";
  EXPECT_EQ(::getpgid(*sh), *sh);

  EXPECT_TRUE(group.kill_all());
  EXPECT_TRUE(group.marked().empty());
  EXPECT_EQ(group.group(), 0);
}

TEST_F(ProcessGroupTest, KillsWhatLeftTheGroup) {
  // setsid: a new session, hence outside the group, as a daemonising server does.
  ProcessGroup group(marker());
  auto sh = group.spawn({"/bin/sh", "-c", "setsid sleep 30 & sleep 30"}, dir / "sh.out");
  ASSERT_TRUE(sh) << sh.error();
  ASSERT_TRUE(wait_for_marked(group, 3));
  auto left_the_group = [&] {
    for (pid_t p : group.marked())
      if (::getpgid(p) >= 0 && ::getpgid(p) != *sh) return true;
    return false;
  };
  const auto deadline = Clock::now() + 5s;
  while (!left_the_group() && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(left_the_group()) << "setsid did not leave the group";

  EXPECT_TRUE(group.kill_all());
  EXPECT_TRUE(group.marked().empty());
}

TEST_F(ProcessGroupTest, RunReturnsOutputStatusAndEnvironment) {
  ProcessGroup group(marker(), {{"DFX_PROCESS_GROUP_EXTRA", "extra"}});
  int status = -1;
  auto out = group.run({"/bin/sh", "-c",
                        "echo \"$DFX_PROCESS_GROUP_TEST $DFX_PROCESS_GROUP_EXTRA\"; echo err >&2; "
                        "exit 3"},
                       dir / "run.out", 10s, &status);
  ASSERT_TRUE(out) << out.error();
  EXPECT_EQ(*out, dir.string() + " extra\nerr\n");
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  EXPECT_EQ(group.marker(), "DFX_PROCESS_GROUP_TEST=" + dir.string());
}

TEST_F(ProcessGroupTest, ACommandOverItsLimitIsKilledAndReported) {
  ProcessGroup group(marker());
  const auto started = Clock::now();
  auto out = group.run({"/bin/sleep", "30"}, dir / "run.out", 200ms);
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().find("ran over 200 ms"), std::string::npos) << out.error();
  EXPECT_LT(Clock::now() - started, 10s);
  EXPECT_TRUE(group.marked().empty()) << "the sleep was killed";
}

TEST_F(ProcessGroupTest, AProgramThatCannotStartIsAnError) {
  ProcessGroup group(marker());
  auto out = group.run({(dir / "no-such-program").string()}, dir / "run.out", 1s);
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().find("cannot run"), std::string::npos) << out.error();
}

TEST_F(ProcessGroupTest, AChildAfterTheGroupEmptiedFoundsANewOne) {
  // The first child ends (and is reaped): its group is gone and cannot be joined, so the
  // daemon started next must still get a group of its own, not this process's.
  ProcessGroup group(marker());
  ASSERT_TRUE(group.run({"/bin/true"}, dir / "true.out", 10s));
  auto daemon = group.spawn({"/bin/sleep", "30"}, dir / "sleep.out");
  ASSERT_TRUE(daemon) << daemon.error();
  EXPECT_EQ(group.group(), *daemon);
  EXPECT_EQ(::getpgid(*daemon), *daemon);
  EXPECT_NE(::getpgid(*daemon), ::getpgrp());
  EXPECT_TRUE(group.kill_all());
}

TEST_F(ProcessGroupTest, TheDestructorKillsEverything) {
  {
    ProcessGroup group(marker());
    ASSERT_TRUE(group.spawn({"/bin/sh", "-c", "setsid sleep 30 & sleep 30"}, dir / "sh.out"));
    ASSERT_TRUE(wait_for_marked(group, 3));
  }
  ProcessGroup after(marker());
  EXPECT_TRUE(after.marked().empty());
}

}  // namespace
}  // namespace dfx::testing::test
