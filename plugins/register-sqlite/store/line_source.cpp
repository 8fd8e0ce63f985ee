#include "store/line_source.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace dfx::reg {
namespace {

constexpr std::size_t kReadChunk = 1 << 20;

}  // namespace

struct LineSource::Hash {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Hash() { EVP_MD_CTX_free(ctx); }
};

LineSource::LineSource(int fd, std::string name, std::unique_ptr<Hash> hash)
    : fd_(fd), name_(std::move(name)), hash_(std::move(hash)), buf_(kReadChunk + kMaxLineBytes + 2) {}

LineSource::LineSource(LineSource&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      name_(std::move(o.name_)),
      hash_(std::move(o.hash_)),
      buf_(std::move(o.buf_)),
      begin_(o.begin_),
      end_(o.end_),
      line_(o.line_),
      eof_(o.eof_) {}

LineSource& LineSource::operator=(LineSource&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    name_ = std::move(o.name_);
    hash_ = std::move(o.hash_);
    buf_ = std::move(o.buf_);
    begin_ = o.begin_;
    end_ = o.end_;
    line_ = o.line_;
    eof_ = o.eof_;
  }
  return *this;
}

LineSource::~LineSource() {
  if (fd_ >= 0) ::close(fd_);
}

Result<LineSource> LineSource::open(const std::filesystem::path& file, std::string name) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail("cannot read " + name + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(name + " is not a regular file");
  }
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxFileBytes) {
    ::close(fd);
    return fail(name + " is " + std::to_string(st.st_size >> 20) +
                " MiB, more than the 16 GiB a register file may have");
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  auto hash = std::make_unique<Hash>();
  if (!hash->ctx || EVP_DigestInit_ex(hash->ctx, EVP_sha256(), nullptr) != 1) {
    ::close(fd);
    return fail("cannot start a SHA-256 digest (OpenSSL)");
  }
  return LineSource(fd, std::move(name), std::move(hash));
}

Result<bool> LineSource::fill() {
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
    return fail("reading " + name_ + " after line " + std::to_string(line_) + ": " +
                std::strerror(errno));
  if (n == 0) {
    eof_ = true;
    return false;
  }
  EVP_DigestUpdate(hash_->ctx, buf_.data() + end_, static_cast<std::size_t>(n));
  end_ += static_cast<std::size_t>(n);
  return true;
}

Result<std::optional<std::string_view>> LineSource::next() {
  std::size_t scanned = begin_;  // bytes before it are known to hold no '\n'
  for (;;) {
    const char* start = buf_.data() + begin_;
    const void* nl = std::memchr(buf_.data() + scanned, '\n', end_ - scanned);
    std::size_t len;
    if (nl) {
      len = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
    } else if (end_ - begin_ > kMaxLineBytes + 1) {  // +1: room for the CR of a CRLF
      return fail(name_ + ":" + std::to_string(line_ + 1) + ": line is longer than " +
                  std::to_string(kMaxLineBytes) + " bytes");
    } else {
      scanned = end_ - begin_;  // relative: fill() moves the tail to the front
      auto more = fill();
      if (!more) return tl::unexpected(std::move(more.error()));
      scanned += begin_;
      if (*more) continue;
      if (begin_ == end_) return std::optional<std::string_view>();
      len = end_ - begin_;  // a last line without a line ending
    }
    const std::size_t consumed = nl ? len + 1 : len;
    if (len > 0 && start[len - 1] == '\r') --len;
    if (len > kMaxLineBytes)
      return fail(name_ + ":" + std::to_string(line_ + 1) + ": line is longer than " +
                  std::to_string(kMaxLineBytes) + " bytes");
    begin_ += consumed;
    ++line_;
    return std::optional<std::string_view>(std::string_view(start, len));
  }
}

std::string LineSource::sha256_hex() const {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* copy = EVP_MD_CTX_new();  // finalizing a copy leaves the running digest usable
  if (!copy || EVP_MD_CTX_copy_ex(copy, hash_->ctx) != 1 || EVP_DigestFinal_ex(copy, md, &len) != 1)
    len = 0;
  EVP_MD_CTX_free(copy);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xF]);
  }
  return out;
}

}  // namespace dfx::reg
