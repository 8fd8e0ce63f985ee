// The device side of a virtual tty: a thread reading the pty master.
#pragma once

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dfx/testing/virtual_tty.hpp"

namespace dfx::testing::detail {

class TtyRunner final : public TtyPort {
 public:
  /// Takes ownership of `master_fd`.
  TtyRunner(std::string name, std::string sysfs_path, int master_fd, TtyHandler handler);
  ~TtyRunner() override;

  /// Starts the reader thread. Returns an error if the pty cannot be set up.
  tl::expected<void, std::string> start();
  /// Stops the thread and closes the master: readers of the slave get EIO,
  /// as after unplugging a real modem. Idempotent.
  void stop();

  void write(std::span<const std::uint8_t> bytes) override;
  using TtyPort::write;

  const std::string& name() const { return name_; }
  const std::string& sysfs_path() const { return sysfs_path_; }
  std::string received() const;
  std::vector<std::string> errors() const;

 private:
  void run();

  const std::string name_;
  const std::string sysfs_path_;
  TtyHandler handler_;
  int master_ = -1;
  int keep_slave_ = -1;  // held open so the master never sees a hang-up while no client has it open
  int wake_[2] = {-1, -1};
  std::thread thread_;
  mutable std::mutex mu_;  // received_, errors_
  std::mutex write_mu_;    // keeps concurrent writes whole
  std::string received_;
  std::vector<std::string> errors_;
};

}  // namespace dfx::testing::detail
