// Virtual tty: reader thread on the pty master (see virtual_tty.hpp).
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include "tty_runner.hpp"

namespace dfx::testing {
namespace detail {

TtyRunner::TtyRunner(std::string name, std::string sysfs_path, int master_fd, TtyHandler handler)
    : name_(std::move(name)),
      sysfs_path_(std::move(sysfs_path)),
      handler_(std::move(handler)),
      master_(master_fd) {}

TtyRunner::~TtyRunner() {
  stop();
}

tl::expected<void, std::string> TtyRunner::start() {
  char slave[128];
  if (ptsname_r(master_, slave, sizeof slave) != 0)
    return tl::unexpected("tty " + name_ + ": ptsname failed: " + std::strerror(errno));
  keep_slave_ = ::open(slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (keep_slave_ < 0)
    return tl::unexpected("tty " + name_ + ": cannot open " + slave + ": " + std::strerror(errno));
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0)
    return tl::unexpected("tty " + name_ + ": pipe failed: " + std::strerror(errno));
  thread_ = std::thread([this] { run(); });
  return {};
}

void TtyRunner::stop() {
  if (thread_.joinable()) {
    const char x = 'q';
    (void)!::write(wake_[1], &x, 1);
    thread_.join();
  }
  for (int* fd : {&master_, &keep_slave_, &wake_[0], &wake_[1]}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
}

void TtyRunner::run() {
  std::uint8_t buf[4096];
  for (;;) {
    pollfd fds[2] = {{master_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    const int n = ::poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || (fds[1].revents & POLLIN)) return;
    if (fds[0].revents & (POLLERR | POLLNVAL)) return;
    if (!(fds[0].revents & POLLIN)) continue;
    const ssize_t got = ::read(master_, buf, sizeof buf);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) return;
    {
      std::lock_guard lock(mu_);
      received_.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(got));
    }
    if (!handler_) continue;
    try {
      handler_(*this, std::span<const std::uint8_t>(buf, static_cast<std::size_t>(got)));
    } catch (const std::exception& e) {
      std::lock_guard lock(mu_);
      errors_.push_back(e.what());
    } catch (...) {
      std::lock_guard lock(mu_);
      errors_.emplace_back("unknown exception");
    }
  }
}

void TtyRunner::write(std::span<const std::uint8_t> bytes) {
  std::lock_guard lock(write_mu_);
  std::size_t done = 0;
  while (done < bytes.size() && master_ >= 0) {
    const ssize_t n = ::write(master_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      ::poll(nullptr, 0, 1);
      continue;
    }
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

std::string TtyRunner::received() const {
  std::lock_guard lock(mu_);
  return received_;
}

std::vector<std::string> TtyRunner::errors() const {
  std::lock_guard lock(mu_);
  return errors_;
}

}  // namespace detail

VirtualTty::VirtualTty(std::shared_ptr<detail::TtyRunner> runner) : runner_(std::move(runner)) {}
VirtualTty::~VirtualTty() = default;
const std::string& VirtualTty::name() const {
  return runner_->name();
}
std::string VirtualTty::devnode() const {
  return "/dev/" + runner_->name();
}
const std::string& VirtualTty::sysfs_path() const {
  return runner_->sysfs_path();
}
void VirtualTty::write(std::string_view text) {
  runner_->write(text);
}
std::string VirtualTty::received() const {
  return runner_->received();
}
std::vector<std::string> VirtualTty::errors() const {
  return runner_->errors();
}

}  // namespace dfx::testing
