#include "cli/text_io.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace dfx::cli {

void StdoutBuffer::flush() {
  const std::string_view data = buf_.view();
  std::size_t done = 0;
  while (done < data.size() && error_ == 0) {
    const ssize_t n = ::write(STDOUT_FILENO, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      error_ = errno;
    else
      done += static_cast<std::size_t>(n);
  }
  buf_.clear();
}

namespace {
bool is_blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t') return false;
  return true;
}
}  // namespace

Result<void> for_each_line(text::LineReader& lines,
                           const std::function<bool(std::string_view, std::size_t)>& on_line) {
  for (;;) {
    auto line = lines.next();
    if (!line) return fail(lines.where(line.error().line, line.error().message));
    if (!*line) return {};
    if (!is_blank(**line) && !on_line(**line, lines.line())) return {};
  }
}

}  // namespace dfx::cli
