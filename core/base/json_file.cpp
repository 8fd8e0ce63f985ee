#include "base/json_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

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

Result<std::string> read_at_most(int fd, std::size_t limit) {
  std::string text;
  std::size_t got = 0;
  while (got < limit) {
    // Grow by doubling from a page: a 300-byte manifest under a 1 MiB limit costs one page, not
    // a megabyte of zeroed memory on every probe.
    if (got == text.size()) text.resize(std::min(limit, std::max<std::size_t>(4096, got * 2)));
    const ssize_t n = ::pread(fd, text.data() + got, text.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::strerror(errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  text.resize(got);
  return text;
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
  auto read = read_at_most(fd, max_bytes + 1);
  ::close(fd);
  if (!read) return fail(path.string() + ": cannot read: " + read.error().message);
  const std::size_t got = read->size();
  if (got > max_bytes)
    return fail(path.string() + ": larger than " + std::to_string(max_bytes >> 10) + " KiB, " +
                std::string(what));
  return read;
}

namespace {

// Thrown from the parser callback to stop at the first duplicate key or over-deep value.
struct Refused {
  std::string why;
};

}  // namespace

Result<nlohmann::json> parse_json(std::string_view text, const std::filesystem::path& origin,
                                  JsonLimits limits) {
  using json = nlohmann::json;
  // Per open object: its path (for the message) and the keys seen so far.
  struct Open {
    std::string path;
    std::vector<std::string> keys;
    bool is_object;
  };
  std::vector<Open> open;
  std::string last_key;
  const json::parser_callback_t check = [&](int depth, json::parse_event_t event, json& parsed) {
    using E = json::parse_event_t;
    if (event == E::object_start || event == E::array_start) {
      if (static_cast<std::size_t>(depth) >= limits.max_depth)
        throw Refused{"nested deeper than " + std::to_string(limits.max_depth) + " levels"};
      const std::string parent = open.empty() ? "" : open.back().path;
      const std::string here =
          open.empty() ? "" : parent + (open.back().is_object ? "/" + last_key : "/[]");
      open.push_back({here, {}, event == E::object_start});
    } else if (event == E::object_end || event == E::array_end) {
      if (!open.empty()) open.pop_back();
    } else if (event == E::key) {
      last_key = parsed.get<std::string>();
      auto& keys = open.back().keys;
      if (std::find(keys.begin(), keys.end(), last_key) != keys.end())
        throw Refused{"the key \"" + last_key + "\" appears twice in " +
                      (open.back().path.empty() ? std::string("the top-level object")
                                                : "the object at " + open.back().path) +
                      " (the second would silently replace the first)"};
      keys.push_back(last_key);
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), check);
  } catch (const Refused& r) {
    return fail(origin.string() + ": " + r.why);
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
