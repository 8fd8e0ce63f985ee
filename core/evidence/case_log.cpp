#include "evidence/case_log.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/sha256.hpp"
#include "base/utc_time.hpp"
#include "base/version.hpp"
#include "evidence/record.hpp"

namespace dfx::evidence {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

Result<void> write_all_and_sync(int fd, const std::string& bytes, const fs::path& file) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("writing " + file.string() + ": " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("fsync of " + file.string() + ": " + std::strerror(errno));
  return {};
}

void sync_dir(const fs::path& dir) {
  const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d >= 0) {
    ::fsync(d);
    ::close(d);
  }
}

Result<std::string> read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot read " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Takes the case's lock, waiting up to `wait` for another process to release it.
Result<int> lock_case(const fs::path& dir, std::chrono::milliseconds wait) {
  const fs::path file = dir / "case.lock";
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return fail("cannot open " + file.string() + ": " + std::strerror(errno));
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
    if (errno != EWOULDBLOCK && errno != EINTR) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd);
      return fail("another dfx process is appending to the case " + dir.string() +
                  " (it holds case.lock); nothing was written: run this again when it ends");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::close(fd);
  return fail("cannot lock " + file.string() + ": " + std::strerror(errno));
}

}  // namespace

Workstation this_workstation() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) std::strcpy(name, "unknown");
  return {name, kVersion};
}

Result<json> create_case(const fs::path& dir, const CaseInfo& info, const WorkstationKey& key) {
  if (info.case_id.empty() || info.operator_name.empty())
    return fail("a case needs a case id and an operator");
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
    return fail(dir.string() + " exists and is not empty: a case starts in a new folder");
  fs::create_directories(dir, ec);
  if (ec) return fail("cannot create " + dir.string() + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  const Workstation w = this_workstation();
  json record = {{"seq", 0},
                 {"prev", ""},
                 {"type", "case"},
                 {"time", utc_now_iso8601(true)},
                 {"case_id", info.case_id},
                 {"operator", info.operator_name},
                 {"workstation", w.hostname},
                 {"dfx_version", w.dfx_version},
                 {"key", key.public_hex()}};
  if (!info.exhibit.empty()) record["exhibit"] = info.exhibit;
  if (!info.note.empty()) record["note"] = info.note;
  std::string hash;
  const std::string line = record_line(record, &hash);
  record["hash"] = hash;
  const fs::path file = dir / kRecordsFile;
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail("cannot create " + file.string() + ": " + std::strerror(errno));
  auto written = write_all_and_sync(fd, line + "\n", file);
  ::close(fd);
  if (!written) return tl::unexpected(written.error());
  sync_dir(dir);
  return record;
}

CaseWriter::~CaseWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

CaseWriter::CaseWriter(CaseWriter&& o) noexcept
    : dir_(std::move(o.dir_)),
      fd_(std::exchange(o.fd_, -1)),
      lock_fd_(std::exchange(o.lock_fd_, -1)),
      state_(std::move(o.state_)),
      operator_(std::move(o.operator_)),
      workstation_(std::move(o.workstation_)) {}

CaseWriter& CaseWriter::operator=(CaseWriter&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    if (lock_fd_ >= 0) ::close(lock_fd_);
    dir_ = std::move(o.dir_);
    fd_ = std::exchange(o.fd_, -1);
    lock_fd_ = std::exchange(o.lock_fd_, -1);
    state_ = std::move(o.state_);
    operator_ = std::move(o.operator_);
    workstation_ = std::move(o.workstation_);
  }
  return *this;
}

Result<CaseWriter> CaseWriter::open(const fs::path& dir, std::chrono::milliseconds wait) {
  if (!fs::exists(dir / kRecordsFile))
    return fail("no case at " + dir.string() + " (dfx case new " + dir.string() + " ...)");
  auto lock = lock_case(dir, wait);
  if (!lock) return tl::unexpected(lock.error());
  CaseWriter w;
  w.dir_ = dir;
  w.lock_fd_ = *lock;
  auto content = read_file(dir / kRecordsFile);
  if (!content) return tl::unexpected(content.error());
  w.state_ = verify_records(*content);
  if (!w.state_.ok())
    return fail("the case " + dir.string() +
                " does not verify, so nothing is appended: " + w.state_.message);
  if (w.state_.closed) return fail("the case " + dir.string() + " is closed");
  const json first = json::parse(content->substr(0, content->find('\n')));
  w.operator_ = first.value("operator", "");
  w.workstation_ = this_workstation();
  const fs::path file = dir / kRecordsFile;
  w.fd_ = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
  if (w.fd_ < 0) return fail("cannot open " + file.string() + ": " + std::strerror(errno));
  return w;
}

Result<json> CaseWriter::append(const std::string& type, json body) {
  if (fd_ < 0) return fail("the case is not open");
  if (state_.closed) return fail("the case " + dir_.string() + " is closed");
  if (!body.is_object()) return fail("a record's body must be an object");
  json record = std::move(body);
  record["seq"] = state_.records;
  record["prev"] = state_.head_hash;
  record["type"] = type;
  record["time"] = utc_now_iso8601(true);
  if (!record.contains("operator")) record["operator"] = operator_;
  record["workstation"] = workstation_.hostname;
  record["dfx_version"] = workstation_.dfx_version;
  // The hash is over the canonical form, which replaces invalid UTF-8: hash what is written.
  std::string hash;
  const std::string line = record_line(std::move(record), &hash) + "\n";
  record = json::parse(line);
  auto written = write_all_and_sync(fd_, line, dir_ / kRecordsFile);
  if (!written) {
    // What reached the file may be a torn line: this writer appends no more.
    ::close(fd_);
    fd_ = -1;
    return tl::unexpected(written.error());
  }
  state_.head_hash = hash;
  state_.intact_bytes += line.size();
  ++state_.records;
  if (type == "workstation" && record.contains("key"))
    state_.keys.push_back(record["key"].get<std::string>());
  if (type == "close") state_.closed = true;
  return record;
}

Result<json> CaseWriter::store_transcript(std::string_view text) {
  const std::string hash = sha256_hex(text);
  const fs::path folder = dir_ / "transcripts";
  const std::string name = "transcripts/" + hash + ".jsonl";
  const json ref = {{"file", name}, {"sha256", hash}, {"bytes", text.size()}};
  std::error_code ec;
  fs::create_directory(folder, ec);
  if (ec) return fail("cannot create " + folder.string() + ": " + ec.message());
  if (fs::exists(dir_ / name, ec)) return ref;  // named by its hash: the same bytes
  const fs::path part = folder / (hash + ".part");
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return fail("cannot create " + part.string() + ": " + std::strerror(errno));
  auto written = write_all_and_sync(fd, std::string(text), part);
  ::close(fd);
  if (!written) return tl::unexpected(written.error());
  if (::rename(part.c_str(), (dir_ / name).c_str()) != 0)
    return fail("cannot rename " + part.string() + ": " + std::strerror(errno));
  sync_dir(folder);
  sync_dir(dir_);
  return ref;
}

Result<json> CaseWriter::sign(const WorkstationKey& key, const std::string& type,
                              const std::string& reason) {
  if (type != "checkpoint" && type != "close")
    return fail("a signature is a checkpoint or a close");
  if (std::find(state_.keys.begin(), state_.keys.end(), key.public_hex()) == state_.keys.end()) {
    auto introduced = append("workstation", {{"key", key.public_hex()}});
    if (!introduced) return introduced;
  }
  const uint64_t head_seq = state_.records - 1;
  auto signature = key.sign(signed_head(state_.case_id, head_seq, state_.head_hash));
  if (!signature) return tl::unexpected(signature.error());
  json body = {{"head_seq", head_seq},
               {"head_hash", state_.head_hash},
               {"key", key.public_hex()},
               {"signature", *signature}};
  if (!reason.empty()) body["reason"] = reason;
  auto r = append(type, std::move(body));
  if (r) state_.signed_through = static_cast<int64_t>(head_seq);
  return r;
}

Result<json> repair_case(const fs::path& dir) {
  auto lock = lock_case(dir, std::chrono::seconds(10));
  if (!lock) return tl::unexpected(lock.error());
  struct Unlock {
    int fd;
    ~Unlock() { ::close(fd); }
  } unlock{*lock};
  const fs::path file = dir / kRecordsFile;
  auto content = read_file(file);
  if (!content) return tl::unexpected(content.error());
  const Verification v = verify_records(*content);
  if (v.ok()) return json(nullptr);
  if (v.problem != Problem::torn)
    return fail(
        "repair only removes a torn last line; this case has another problem, which "
        "must be examined, not repaired: " +
        v.message);
  const std::string torn = content->substr(v.intact_bytes);
  if (::truncate(file.c_str(), static_cast<off_t>(v.intact_bytes)) != 0)
    return fail("cannot truncate " + file.string() + ": " + std::strerror(errno));
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  ::close(*lock);
  unlock.fd = -1;
  auto writer = CaseWriter::open(dir);
  if (!writer) return tl::unexpected(writer.error());
  return writer->append("repair", {{"removed_bytes", torn.size()},
                                   {"removed_sha256", sha256_hex(torn)},
                                   {"reason",
                                    "a torn last line (an interrupted write), removed "
                                    "by dfx case repair"}});
}

}  // namespace dfx::evidence
