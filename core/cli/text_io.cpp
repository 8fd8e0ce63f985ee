#include "cli/text_io.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "tac/db_path.hpp"
#include "tac/tac_db.hpp"
#include "tac/utf8.hpp"

namespace dfx::cli {

void StdoutBuffer::flush() {
  const std::string_view data = buf_.view();
  std::size_t done = 0;
  while (done < data.size() && error_ == 0) {
    const ssize_t n = ::write(STDOUT_FILENO, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error_ = errno;
    else done += static_cast<std::size_t>(n);
  }
  buf_.clear();
}

std::string printable(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = tac::utf8_sequence_length(s, i);  // 0: not well-formed UTF-8
    // C1 controls (U+0080-U+009F, e.g. CSI U+009B) act on terminals too: escape their bytes.
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) n = 0;
    if (n == 0 || c < 0x20 || c == 0x7F) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

namespace {
bool is_blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}
}  // namespace

Result<void> for_each_line(int fd, const std::function<bool(std::string_view, std::size_t)>& on_line,
                           std::string_view what) {
  std::vector<char> buf(kIoBlock);
  std::size_t begin = 0, end = 0;  // unconsumed bytes are buf[begin, end)
  std::size_t number = 0;
  bool go_on = true;
  const auto emit = [&](const char* p, std::size_t n) {
    ++number;
    if (n && p[n - 1] == '\r') --n;
    const std::string_view line(p, n);
    if (!is_blank(line)) go_on = on_line(line, number);
  };
  for (;;) {
    if (begin > 0) {  // keep the partial last line, at the front
      std::memmove(buf.data(), buf.data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    if (end == buf.size()) buf.resize(buf.size() * 2);  // a line longer than the buffer
    const ssize_t n = ::read(fd, buf.data() + end, buf.size() - end);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("reading " + std::string(what) + ": " + std::strerror(errno));
    if (n == 0) break;
    std::size_t scan = end;  // no '\n' before here
    end += static_cast<std::size_t>(n);
    while (const void* nl = std::memchr(buf.data() + scan, '\n', end - scan)) {
      const auto* p = static_cast<const char*>(nl);
      emit(buf.data() + begin, static_cast<std::size_t>(p - (buf.data() + begin)));
      begin = scan = static_cast<std::size_t>(p - buf.data()) + 1;
      if (!go_on) return {};
    }
  }
  if (end > begin) emit(buf.data() + begin, end - begin);
  return {};
}

Result<tac::TacCache> load_tac_cache(const std::string& db_option) {
  auto where = tac::resolve_db_location(db_option);
  if (!where) return tl::unexpected(std::move(where.error()));
  std::error_code ec;
  if (!std::filesystem::exists(where->path, ec)) {
    if (where->source == tac::DbLocation::Source::Default)
      spdlog::debug("no TAC database at {}; brand and model not shown", where->path.string());
    else
      spdlog::warn("no TAC database at {}: brand and model not shown (import a TAC list with "
                   "dfx tac import FILE)", where->path.string());
    return tac::TacCache();
  }
  auto db = tac::TacDatabase::open(where->path, tac::Sqlite::Access::ReadOnly);
  if (!db) return tl::unexpected(std::move(db.error()));
  auto cache = tac::TacCache::load(*db);
  if (cache) spdlog::debug("{} TACs loaded from {}", cache->size(), where->path.string());
  return cache;
}

}  // namespace dfx::cli
