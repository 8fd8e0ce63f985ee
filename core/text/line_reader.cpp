#include "text/line_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace dfx::text {
namespace {

constexpr std::size_t kReadChunk = 1 << 20;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

LineReader::LineReader(int fd, bool owned, std::string name, LineLimits limits)
    : fd_(fd), owned_(owned), name_(std::move(name)), limits_(limits) {
  if (fd_ >= 0) {
    buf_.resize(kReadChunk + limits_.max_line_bytes + 2);
    data_ = buf_.data();
  }
}

LineReader::LineReader(LineReader&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      owned_(o.owned_),
      name_(std::move(o.name_)),
      limits_(o.limits_),
      hash_(std::move(o.hash_)),
      buf_(std::move(o.buf_)),
      data_(fd_ >= 0 ? buf_.data() : o.data_),
      begin_(o.begin_),
      end_(o.end_),
      line_(o.line_),
      eof_(o.eof_),
      crlf_(o.crlf_) {}

LineReader& LineReader::operator=(LineReader&& o) noexcept {
  if (this != &o) {
    if (owned_ && fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    owned_ = o.owned_;
    name_ = std::move(o.name_);
    limits_ = o.limits_;
    hash_ = std::move(o.hash_);
    buf_ = std::move(o.buf_);
    data_ = fd_ >= 0 ? buf_.data() : o.data_;
    begin_ = o.begin_;
    end_ = o.end_;
    line_ = o.line_;
    eof_ = o.eof_;
    crlf_ = o.crlf_;
  }
  return *this;
}

LineReader::~LineReader() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

Result<LineReader> LineReader::open_file(const std::filesystem::path& file, std::string name,
                                         LineLimits limits) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return fail("cannot read " + name + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(name + " is not a regular file");
  }
  if (static_cast<std::uintmax_t>(st.st_size) > limits.max_file_bytes) {
    ::close(fd);
    return fail(name + " is " + std::to_string(st.st_size >> 20) + " MiB, more than the " +
                std::to_string(limits.max_file_bytes >> 20) + " MiB accepted");
  }
  ::fcntl(fd, F_SETFL, 0);  // blocking reads from here on (a regular file never blocks anyway)
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return LineReader(fd, true, std::move(name), limits);
}

LineReader LineReader::from_fd(int fd, std::string name, LineLimits limits) {
  return LineReader(fd, false, std::move(name), limits);
}

LineReader LineReader::from_text(std::string_view text, std::string name, std::size_t first_line,
                                 LineLimits limits) {
  LineReader r(-1, false, std::move(name), limits);
  r.data_ = text.data();
  r.end_ = text.size();
  r.eof_ = true;
  r.line_ = first_line - 1;
  r.hash_.update(text);
  return r;
}

std::string LineReader::where(std::size_t line, std::string_view message) const {
  return name_ + ":" + std::to_string(line) + ": " + std::string(message);
}

tl::expected<bool, LineError> LineReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {  // keep the unconsumed tail at the front
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  const std::size_t room = std::min(kReadChunk, buf_.size() - end_);
  ssize_t n;
  do n = ::read(fd_, buf_.data() + end_, room);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return tl::unexpected(
        LineError{line_ + 1, std::string("read failed: ") + std::strerror(errno)});
  if (n == 0) {
    eof_ = true;
    return false;
  }
  hash_.update(std::string_view(buf_.data() + end_, static_cast<std::size_t>(n)));
  end_ += static_cast<std::size_t>(n);
  return true;
}

tl::expected<std::optional<std::string_view>, LineError> LineReader::next() {
  const auto too_long = [&] {
    return tl::unexpected(LineError{
        line_ + 1, "line is longer than " + std::to_string(limits_.max_line_bytes) + " bytes"});
  };
  std::size_t scanned = begin_;  // bytes before it are known to hold no '\n'
  for (;;) {
    const void* nl = std::memchr(data_ + scanned, '\n', end_ - scanned);
    std::size_t len;
    if (nl) {
      len = static_cast<std::size_t>(static_cast<const char*>(nl) - (data_ + begin_));
    } else if (end_ - begin_ > limits_.max_line_bytes + 1) {  // +1: room for the CR of a CRLF
      return too_long();
    } else {
      scanned = end_ - begin_;  // relative: fill() moves the tail to the front
      auto more = fill();
      if (!more) return tl::unexpected(std::move(more.error()));
      scanned += begin_;
      if (*more) continue;
      if (begin_ == end_) return std::optional<std::string_view>();
      len = end_ - begin_;  // a last line without a line ending
    }
    const char* start = data_ + begin_;
    const std::size_t consumed = nl ? len + 1 : len;
    crlf_ = nl != nullptr && len > 0 && start[len - 1] == '\r';
    if (crlf_) --len;
    if (len > limits_.max_line_bytes) return too_long();
    begin_ += consumed;
    std::string_view line(start, len);
    if (++line_ == 1 && line.starts_with(kBom)) line.remove_prefix(kBom.size());
    return std::optional<std::string_view>(line);
  }
}

}  // namespace dfx::text
