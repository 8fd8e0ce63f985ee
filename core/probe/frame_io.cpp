#include "probe/frame_io.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dfx::probe {

bool send_all(int fd, const void* data, std::size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    // MSG_NOSIGNAL: a peer that went away must not kill the writer with SIGPIPE mid-write.
    const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_exact(int fd, void* data, std::size_t size) {
  auto* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool FrameWriter::send(FrameType type, std::string_view payload) {
  if (broken_) return false;
  if (payload.size() > kMaxPayload)
    return false;  // callers bound sizes; never send what the host refuses
  const std::string frame = encode_frame(type, payload);
  if (!send_all(fd_, frame.data(), frame.size())) broken_ = true;
  return !broken_;
}

Result<Frame> FrameReader::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  for (;;) {
    auto f = decoder_.next();
    if (!f) return tl::unexpected(f.error());
    if (*f) return std::move(**f);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return fail("no complete frame within " + std::to_string(timeout.count()) + " ms");
    pollfd p{fd_, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return fail(std::string("poll: ") + std::strerror(errno));
    if (r == 0) continue;
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::string("read: ") + std::strerror(errno));
    if (n == 0) return fail("the peer closed the pipe");
    decoder_.feed({buf, static_cast<std::size_t>(n)});
  }
}

Result<Frame> read_frame(int fd, std::chrono::milliseconds timeout) {
  return FrameReader(fd).next(timeout);
}

}  // namespace dfx::probe
