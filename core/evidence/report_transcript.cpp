#include "evidence/report_transcript.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "base/sha256.hpp"
#include "evidence/json_access.hpp"
#include "usb/transcript.hpp"

namespace dfx::evidence {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using namespace json_access;

// `name` (a record's "file") as a path inside the case folder, or why it is not one: an absolute
// name, "..", or a symbolic link on the way would let a rewritten record point the report at any
// file of the machine.
Result<fs::path> inside_case(const fs::path& dir, const std::string& name) {
  if (name.empty()) return fail("the record names no transcript file");
  const fs::path rel(name);
  if (name.find('\0') != std::string::npos || rel.is_absolute() ||
      std::any_of(rel.begin(), rel.end(), [](const fs::path& p) { return p == ".."; }))
    return fail("the record names " + name + ", which is not a file inside the case folder");
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(dir, ec);
  const fs::path full = ec ? fs::path() : fs::weakly_canonical(dir / rel, ec);
  if (ec) return fail("cannot resolve " + name + ": " + ec.message());
  if (std::mismatch(root.begin(), root.end(), full.begin(), full.end()).first != root.end())
    return fail("the record names " + name + ", which leads outside the case folder");
  return dir / rel;
}

std::string hex(unsigned value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*x", digits, value);
  return buf;
}

std::string direction(uint8_t address) {
  return (address & 0x80) != 0 ? " (IN)" : " (OUT)";
}

// The request in words for a report; the data (bytes out and in, strings) is never shown.
std::string describe_request(const usb::Exchange& e) {
  switch (e.op) {
    case usb::UsbOp::control:
      return "setup: bmRequestType " + hex(e.target, 2) + direction(e.target) + ", bRequest " +
             hex(e.request, 2) + ", wValue " + hex(e.value, 4) + ", wIndex " + hex(e.index, 4);
    case usb::UsbOp::bulk:
    case usb::UsbOp::interrupt:
      return "endpoint " + hex(e.target, 2) + direction(e.target);
    case usb::UsbOp::string:
      return "string descriptor, index " + std::to_string(e.target);
    case usb::UsbOp::claim:
    case usb::UsbOp::release:
      return "interface " + std::to_string(e.target);
    case usb::UsbOp::configure:
      return "configuration " + std::to_string(e.target);
  }
  return "";
}

// At most `max` bytes of `s`, not cutting a UTF-8 character.
std::string truncated(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
  return s + "...";
}

// Lists the exchanges of a transcript whose bytes were checked, read by the one transcript
// reader dfx has (the one replay and the lab use), so the report lists what they would play.
void list_exchanges(std::string_view text, const ReportLimits& limits, TranscriptView& t) {
  auto parsed = usb::parse_transcript(text, limits.max_transcript_bytes);
  if (!parsed) {
    t.notes.push_back("the transcript does not read as one (" + parsed.error().message +
                      "): its exchanges are not listed");
    return;
  }
  const json& plugin = member(parsed->header, "plugin");
  t.plugin_id = str(plugin, "id");
  t.plugin_version = str(plugin, "version");
  t.library_sha256 = str(plugin, "library_sha256");
  t.started = str(parsed->header, "started");
  for (const auto& e : parsed->exchanges) {
    if (t.listed.size() >= limits.max_exchanges) {
      ++t.not_listed;
      continue;
    }
    ExchangeView x;
    x.n = e.n;
    x.op = std::string(usb::to_string(e.op));
    x.request = describe_request(e);
    if (e.op == usb::UsbOp::control || e.op == usb::UsbOp::bulk || e.op == usb::UsbOp::interrupt)
      x.length = e.length;
    x.status = dfx_status_name(e.status);
    x.reached_device = e.reached_device();
    if (e.status != DFX_OK) x.message = truncated(e.message, 300);
    t.listed.push_back(std::move(x));
  }
  const uint64_t seen = parsed->exchanges.size() + parsed->dropped;
  if (t.exchanges && *t.exchanges != seen)
    t.notes.push_back("the record counts " + std::to_string(*t.exchanges) +
                      " exchanges; the file " + std::to_string(seen));
}

}  // namespace

Result<std::string> read_case_file(const fs::path& file, uint64_t max_bytes, bool* absent) {
  // O_NONBLOCK: a FIFO planted in the folder must not hang the report.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (absent != nullptr) *absent = err == ENOENT;
    if (err == ELOOP) return fail(file.string() + " is a symbolic link, not the file recorded");
    return fail("cannot open " + file.string() + ": " + std::strerror(err));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail("cannot stat " + file.string());
  if (!S_ISREG(st.st_mode)) return fail(file.string() + " is not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes)
    return fail(file.string() + " is " + std::to_string(st.st_size) + " bytes, more than the " +
                std::to_string(max_bytes) + " a report reads");
  std::string content(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  for (;;) {
    if (done == content.size()) {
      // The file may have grown since fstat: read on, within the limit.
      if (content.size() >= max_bytes + 1) break;
      content.resize(std::min<uint64_t>(content.size() + (1 << 16), max_bytes + 1));
    }
    const ssize_t n = ::read(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot read " + file.string() + ": " + std::strerror(errno));
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  if (done > max_bytes)
    return fail(file.string() + " is more than the " + std::to_string(max_bytes) +
                " bytes a report reads");
  content.resize(done);
  return content;
}

TranscriptView read_transcript(const fs::path& dir, const json& ref, const std::string& plugin,
                               const ReportLimits& limits) {
  TranscriptView t;
  t.plugin = plugin;
  t.file = str(ref, "file");
  t.sha256 = str(ref, "sha256");
  if (member(ref, "bytes").is_number_unsigned()) t.bytes = unsigned_or(ref, "bytes");
  if (member(ref, "exchanges").is_number_unsigned()) t.exchanges = unsigned_or(ref, "exchanges");
  if (member(ref, "reached_device").is_number_unsigned())
    t.reached_device = unsigned_or(ref, "reached_device");
  if (member(ref, "refused").is_number_unsigned()) t.refused = unsigned_or(ref, "refused");
  t.statement = str(ref, "statement");
  for (const auto& o : array(ref, "outside_declared_surface"))
    t.outside_surface.push_back(o.is_string() ? o.get<std::string>() : o.dump());
  if (bool_or(ref, "truncated"))
    t.notes.push_back(
        "the recording was truncated at its size limit: later exchanges were "
        "counted but not kept");
  if (const std::string why = str(ref, "unreadable"); !why.empty())
    t.notes.push_back("when recorded, the transcript did not parse: " + why);

  const auto path = inside_case(dir, t.file);
  if (!path) {
    t.state = TranscriptState::unreadable;
    t.problem = path.error().message;
    return t;
  }
  bool absent = false;
  const auto content = read_case_file(*path, limits.max_transcript_bytes, &absent);
  if (!content) {
    t.state = absent ? TranscriptState::missing : TranscriptState::unreadable;
    t.problem = absent ? "the file " + t.file + " is missing" : content.error().message;
    return t;
  }
  const std::string actual = sha256_hex(*content);
  if (t.sha256.empty() || actual != t.sha256 || (t.bytes && *t.bytes != content->size())) {
    t.state = TranscriptState::mismatch;
    t.problem = "the file " + t.file + " (" + std::to_string(content->size()) + " bytes, SHA-256 " +
                actual + ") is not what the record names (" +
                (t.bytes ? std::to_string(*t.bytes) : std::string("?")) + " bytes, SHA-256 " +
                (t.sha256.empty() ? std::string("none given") : t.sha256) +
                "): its exchanges are not listed";
    return t;
  }
  t.state = TranscriptState::listed;
  list_exchanges(*content, limits, t);
  if (t.plugin.empty()) t.plugin = t.plugin_id;
  return t;
}

}  // namespace dfx::evidence
