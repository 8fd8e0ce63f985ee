#include "probe/zygote.hpp"

#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>

#include "probe/worker_process.hpp"

extern char** environ;

namespace dfx::probe {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The zygote's answers: fixed-size messages on a SOCK_SEQPACKET socket.
struct Reply {
  int32_t tag;    // kReady, kForked or kFailed
  int32_t value;  // the zygote's pid, the worker's pid, or an errno value
};
constexpr int32_t kReady = 'Z';
constexpr int32_t kForked = 'P';
constexpr int32_t kFailed = 'E';
// The one request: a byte, with the worker's protocol socket attached.
constexpr char kForkRequest = 'W';

// Starting the zygote is an exec: allow for a loaded machine. A fork answers in well under this.
constexpr auto kStartTimeout = 10s;
constexpr auto kForkTimeout = 5s;

bool send_reply(int fd, int32_t tag, int32_t value) {
  const Reply r{tag, value};
  ssize_t n;
  do n = ::send(fd, &r, sizeof r, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(sizeof r);
}

// One answer within `timeout`; nothing on end of file, timeout or a malformed message.
std::optional<Reply> read_reply(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  int ready;
  do ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
  while (ready < 0 && errno == EINTR);
  if (ready <= 0) return std::nullopt;
  Reply r{};
  ssize_t n;
  do n = ::recv(fd, &r, sizeof r, 0);
  while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof r)) return std::nullopt;
  return r;
}

std::size_t environment_hash() {
  std::size_t h = 0;
  for (char** e = environ; e && *e; ++e) h = h * 1000003u ^ std::hash<std::string_view>{}(*e);
  return h;
}

// This process's zygote. Never stopped at exit: the zygote reads end of file when the host's
// descriptors close, and exits.
class Zygote {
 public:
  bool serves(const fs::path& worker, std::size_t env) const {
    return pid_ > 0 && worker_ == worker && env_ == env;
  }
  // A worker that could not serve as a zygote is not tried again with the same environment.
  bool refused(const fs::path& worker, std::size_t env) const {
    return refused_ && worker_ == worker && env_ == env;
  }
  pid_t pid() const { return pid_; }
  int control() const { return control_; }

  bool start(const fs::path& worker, std::size_t env) {
    stop();
    worker_ = worker;
    env_ = env;
    refused_ = true;
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return false;
    auto pid = spawn_worker(worker, sv[1], "--zygote-fd");  // closes sv[1]
    if (!pid) {
      ::close(sv[0]);
      return false;
    }
    pid_ = *pid;
    control_ = sv[0];
    const auto ready = read_reply(control_, kStartTimeout);
    if (!ready || ready->tag != kReady) {
      stop();
      return false;
    }
    refused_ = false;
    return true;
  }

  void stop() {
    if (control_ >= 0) ::close(control_);
    control_ = -1;
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {}
    }
    pid_ = -1;
  }

  // Whether the zygote has ended (its end of the socket closed): nothing is due from it between
  // requests, so anything readable is its end of file.
  bool ended() const {
    pollfd p{control_, POLLIN, 0};
    return ::poll(&p, 1, 0) != 0;
  }

  // Hands `child_end` to the zygote. False when the zygote had already ended (the descriptor did
  // not reach it).
  bool send_request(int child_end) {
    char tag = kForkRequest;
    iovec iov{&tag, 1};
    alignas(cmsghdr) char space[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = space;
    msg.msg_controllen = sizeof space;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &child_end, sizeof(int));
    ssize_t n;
    do n = ::sendmsg(control_, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n == 1;
  }

 private:
  pid_t pid_ = -1;
  int control_ = -1;
  fs::path worker_;
  std::size_t env_ = 0;
  bool refused_ = false;
};

std::mutex& zygote_mutex() {
  static std::mutex m;
  return m;
}
Zygote& zygote() {
  static Zygote z;
  return z;
}

}  // namespace

Result<std::optional<pid_t>> fork_from_zygote(const fs::path& worker, int child_end) {
  const std::lock_guard lock(zygote_mutex());
  Zygote& z = zygote();
  const std::size_t env = environment_hash();
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (z.refused(worker, env)) return std::optional<pid_t>{};
    if (z.serves(worker, env) && z.ended()) z.stop();
    if (!z.serves(worker, env) && !z.start(worker, env)) return std::optional<pid_t>{};
    // A zygote that ends after this check and before it answers costs this one worker, reported
    // as an error: whether it forked the worker first cannot be known, so the socket is not
    // handed to a second one.
    if (!z.send_request(child_end)) {
      z.stop();  // it had ended (killed from outside?): start a new one, once
      continue;
    }
    const auto reply = read_reply(z.control(), kForkTimeout);
    ::close(child_end);
    if (!reply || (reply->tag != kForked && reply->tag != kFailed)) {
      const pid_t was = z.pid();
      z.stop();
      return fail("the worker zygote (" + worker.string() + ", pid " + std::to_string(was) +
                  ") ended or did not answer a fork request");
    }
    if (reply->tag == kFailed || reply->value <= 0)
      return fail("the worker zygote could not fork a worker: " +
                  std::string(std::strerror(reply->value)));
    const pid_t pid = reply->value;
    // The worker does this itself first thing; doing it here too means that a kill of its process
    // group reaches it even if it has not run yet.
    ::setpgid(pid, pid);
    return std::optional<pid_t>{pid};
  }
  return std::optional<pid_t>{};
}

pid_t zygote_pid() {
  const std::lock_guard lock(zygote_mutex());
  return zygote().pid();
}

int serve_zygote(int control, const std::function<int()>& worker_main) {
  if (!send_reply(control, kReady, static_cast<int32_t>(::getpid()))) return 1;
  for (;;) {
    char tag = 0;
    iovec iov{&tag, 1};
    alignas(cmsghdr) char space[CMSG_SPACE(sizeof(int) * 4)] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = space;
    msg.msg_controllen = sizeof space;
    const ssize_t n = ::recvmsg(control, &msg, MSG_CMSG_CLOEXEC);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return 0;  // the host is done
    if (n < 0) return 1;
    // Exactly one descriptor is expected; any other is closed, not kept.
    int fd = -1;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
      const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (std::size_t i = 0; i < count; ++i) {
        int got;
        std::memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof got);
        if (fd < 0)
          fd = got;
        else
          ::close(got);
      }
    }
    if (tag != kForkRequest || fd < 0 || (msg.msg_flags & MSG_CTRUNC)) {
      if (fd >= 0) ::close(fd);
      if (!send_reply(control, kFailed, EPROTO)) return 1;
      continue;
    }
    // CLONE_PARENT: the worker is the host's child, not ours. Without CLONE_VM this is a fork.
    const long pid =
        ::syscall(SYS_clone, CLONE_PARENT | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
    if (pid == 0) {
      ::setpgid(0, 0);
      // The protocol socket takes the control socket's place as fd 3: the worker keeps nothing
      // of the zygote's.
      if (::dup2(fd, kWorkerFd) != kWorkerFd) ::_exit(127);
      ::close(fd);
      ::_exit(worker_main());
    }
    const int error = errno;
    ::close(fd);
    if (!send_reply(control, pid > 0 ? kForked : kFailed,
                    pid > 0 ? static_cast<int32_t>(pid) : error))
      return 1;
  }
}

}  // namespace dfx::probe
