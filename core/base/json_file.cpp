#include "base/json_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dfx {

std::string line_column(std::string_view text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes,
                                    std::string_view what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return fail(path.string() + ": cannot read: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(path.string() + ": not a regular file");
  }
  std::string text(max_bytes + 1, '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      return fail(path.string() + ": cannot read: " + std::strerror(e));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got > max_bytes)
    return fail(path.string() + ": larger than " + std::to_string(max_bytes >> 10) + " KiB, " +
                std::string(what));
  text.resize(got);
  return text;
}

Result<nlohmann::json> parse_json(std::string_view text, const std::filesystem::path& origin) {
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's message repeats the byte offset; its explanation follows the last ": ".
    const std::string_view what = e.what();
    const auto pos = what.rfind(": ");
    const std::string_view why = pos == std::string_view::npos ? what : what.substr(pos + 2);
    return fail(origin.string() + ": invalid JSON at " +
                line_column(text, e.byte == 0 ? 0 : e.byte - 1) + ": " + std::string(why));
  }
}

}  // namespace dfx
