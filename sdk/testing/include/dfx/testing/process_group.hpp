// Real programs started by a test (a daemon such as usbmuxd or an adb server, and the clients
// that talk to it), kept in one process group so that all of them are gone when the test ends,
// whatever its outcome: a daemon left behind would hold the next test's socket or port, or keep
// talking to a testbed that no longer exists.
//
// A process group alone is not enough: a daemonising server calls setsid() and leaves it. So
// every child also carries a marker in its environment ("NAME=value", unique to the test), and
// kill_all() kills the group, then every process whose /proc/<pid>/environ (the environment it
// was started with) holds the marker, and waits until none is left.
//
//     dfx::testing::ProcessGroup adb({"HOME", private_home}, {{"ADB_LIBUSB", "1"}});
//     auto server = adb.spawn({adb_path, "nodaemon", "server"}, private_home + "/server.log");
//     auto devices = adb.run({adb_path, "devices"}, private_home + "/out",
//     std::chrono::seconds(10)); ASSERT_TRUE(devices) << devices.error();
//     EXPECT_TRUE(adb.kill_all()) << "processes left behind";
//
// Children are started with posix_spawn (a test process runs the testbed's threads, so it must
// not fork and then allocate); they inherit this process's environment (umockdev's preload
// included, so they see the testbed) and its stdin, write stdout and stderr to a file, and get
// no other descriptor: an inherited one broke umockdev's ioctl stream before. Finding marked
// processes reads other processes' environments: processes of other users are found only as
// root. Not thread-safe: use a group from one thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace dfx::testing {

/// A variable of the environment of a group's children.
struct EnvVar {
  std::string name;   ///< e.g. "HOME"
  std::string value;  ///< e.g. "/tmp/test-home"
};

/// Child processes of a test in one process group, marked in their environment (see the file
/// comment). The destructor kills them all.
class ProcessGroup {
 public:
  /// Every child gets `marker` and `environment` on top of this process's environment (they
  /// replace variables of the same name). The marker must be unique to this group, for example
  /// a variable whose value is the test's private folder: any process that has it is killed.
  explicit ProcessGroup(EnvVar marker, std::vector<EnvVar> environment = {});
  /// kill_all().
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  /// Starts `argv` (argv[0] is the program's path: no PATH search) in the group, its stdout and
  /// stderr written to `output` (created or truncated). The first child founds the group, and
  /// so does the first one after the group emptied (a group without members cannot be joined).
  /// Returns its pid, or why it could not be started.
  tl::expected<pid_t, std::string> spawn(const std::vector<std::string>& argv,
                                         const std::filesystem::path& output);

  /// Starts `argv` as spawn() does and waits for it, at most `limit`. Returns what it wrote to
  /// stdout and stderr (read back from `output`), with its wait status in `*status` when given.
  /// Fails when it could not be started, or when it ran over `limit`: then it was killed
  /// (SIGKILL, that process only; what it started stays in the group, for kill_all()).
  tl::expected<std::string, std::string> run(const std::vector<std::string>& argv,
                                             const std::filesystem::path& output,
                                             std::chrono::milliseconds limit,
                                             int* status = nullptr);

  /// The processes (other than this one) whose environment holds the marker: the children and
  /// whatever they started, inside the group or not.
  std::vector<pid_t> marked() const;

  /// Kills the group and every marked process with SIGKILL at once (a daemon that would clean up
  /// on SIGTERM cleans up nothing of the workstation's here, and some did not act on SIGTERM
  /// under a testbed), reaps this process's children and waits, at most `patience`, until no
  /// marked process is left. True when none is left. The next spawn() founds a new group.
  bool kill_all(std::chrono::milliseconds patience = std::chrono::seconds(2));

  /// The process group's id; 0 before the first spawn() and after kill_all().
  pid_t group() const { return group_; }

  /// The marker as it stands in the children's environment: "NAME=value".
  const std::string& marker() const { return marker_; }

 private:
  void reap();  // waits for the children that ended, without blocking

  std::string marker_;
  std::vector<EnvVar> environment_;  // marker first, then the caller's variables
  pid_t group_ = 0;
  std::vector<pid_t> children_;  // spawned and not reaped yet
};

}  // namespace dfx::testing
