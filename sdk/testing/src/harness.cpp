// Harnesses that drive the real dfx programs (harness.hpp).
#include "dfx/testing/harness.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "spawn_args.hpp"

namespace dfx::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// A temporary folder removed when it goes out of scope.
class TempFolder {
 public:
  TempFolder() {
    std::string tmpl = (fs::temp_directory_path() / "dfx-harness-XXXXXX").string();
    if (::mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~TempFolder() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string join_args(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) out += " " + a;
  return out;
}

}  // namespace

fs::path dfx_bin_dir() {
  if (const char* env = std::getenv("DFX_BIN_DIR"); env && *env) return env;
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&dfx_bin_dir), &info) != 0 && info.dli_fname)
    return (fs::path(info.dli_fname).parent_path() / ".." / "bin").lexically_normal();
  return "/usr/bin";
}

tl::expected<ProgramRun, std::string> run_program(const std::string& program,
                                                  const std::vector<std::string>& args,
                                                  const std::map<std::string, std::string>& env,
                                                  std::chrono::seconds timeout) {
  const std::string path =
      program.find('/') == std::string::npos ? (dfx_bin_dir() / program).string() : program;
  std::vector<std::string> env_text = detail::environment_with(env);
  std::vector<std::string> all = {path};
  all.insert(all.end(), args.begin(), args.end());
  const std::vector<char*> envp = detail::c_strings(env_text), argv = detail::c_strings(all);

  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0)
    return tl::unexpected(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]), ::close(out_pipe[1]);
    return tl::unexpected(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // Its own process group, so that a timeout kills whatever it started too.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, path.c_str(), &fa, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]), ::close(err_pipe[0]);
    return tl::unexpected("cannot run " + path + ": " + std::strerror(rc));
  }

  ProgramRun run;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&run.out, &run.err};
  const auto deadline = Clock::now() + timeout;
  bool killed = false;
  int open_fds = 2;
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0 && !killed) {
      ::kill(-pid, SIGKILL);
      killed = true;
    }
    if (::poll(fds, 2, killed ? 1000 : static_cast<int>(std::min<long long>(left, 1000))) < 0 &&
        errno != EINTR)
      break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
    if (killed && Clock::now() > deadline + std::chrono::seconds(5))
      break;  // a grandchild kept a pipe
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  run.exit_status = WIFEXITED(status) && !killed ? WEXITSTATUS(status) : -1;
  if (killed) run.err += "\n[harness: killed after " + std::to_string(timeout.count()) + " s]\n";
  return run;
}

tl::expected<void, std::string> import_register(const fs::path& db, const std::string& csv,
                                                const fs::path& home) {
  const fs::path file = db.parent_path() / (db.stem().string() + "-import.csv");
  std::ofstream(file) << csv;
  auto r = run_program("dfx", {"register", "import", "--register-db", db.string(), file.string()},
                       {{"HOME", home.string()}});
  if (!r) return tl::unexpected(r.error());
  if (r->exit_status != 0)
    return tl::unexpected("dfx register import exited " + std::to_string(r->exit_status) + ": " +
                          r->out + r->err);
  return {};
}

std::vector<const nlohmann::json*> LabScanResult::devices(std::string_view serial) const {
  std::vector<const nlohmann::json*> out;
  if (!report.contains("devices")) return out;
  for (const auto& d : report["devices"])
    if (serial.empty() || (d.contains("serial_number") && d["serial_number"] == serial))
      out.push_back(&d);
  return out;
}

const nlohmann::json* LabScanResult::probe(std::string_view plugin, std::string_view serial) const {
  for (const auto* d : devices(serial))
    if (d->contains("probes"))
      for (const auto& p : (*d)["probes"])
        if (p.value("plugin", "") == plugin) return &p;
  return nullptr;
}

std::vector<ReportedClaim> LabScanResult::claims(std::string_view plugin,
                                                 std::string_view serial) const {
  std::vector<ReportedClaim> out;
  if (const auto* p = probe(plugin, serial); p && p->contains("claims"))
    for (const auto& c : (*p)["claims"])
      out.push_back({c.value("kind", ""), c.value("value", ""), c.value("method", "")});
  return out;
}

std::string LabScanResult::claim(std::string_view plugin, std::string_view kind,
                                 std::string_view serial) const {
  for (const auto& c : claims(plugin, serial))
    if (c.kind == kind) return c.value;
  return {};
}

std::optional<ReportedClaim> LabScanResult::find_claim(std::string_view plugin,
                                                       std::string_view kind,
                                                       std::string_view serial) const {
  for (auto& c : claims(plugin, serial))
    if (c.kind == kind) return c;
  return std::nullopt;
}

const nlohmann::json* LabScanResult::device(std::string_view serial) const {
  const auto all = devices(serial);
  return all.empty() ? nullptr : all.front();
}

const nlohmann::json* find_finding(const nlohmann::json& device, std::string_view code) {
  if (!device.contains("findings")) return nullptr;
  for (const auto& f : device["findings"])
    if (f.value("code", "") == code) return &f;
  return nullptr;
}

const nlohmann::json* find_identifier(const nlohmann::json& device, std::string_view canonical) {
  if (!device.contains("identifiers")) return nullptr;
  for (const auto& i : device["identifiers"])
    if (i.value("canonical", "") == canonical) return &i;
  return nullptr;
}

tl::expected<LabScanResult, std::string> scan_in_lab(const LabScan& scan) {
  std::vector<std::string> args = {"run"};
  for (const auto& h : scan.handsets) args.insert(args.end(), {"--handsets", h.string()});
  for (const auto& e : scan.emulator_dirs) args.insert(args.end(), {"--emulators", e.string()});
  args.insert(args.end(), {"--", (dfx_bin_dir() / "dfx").string(), "scan", "--format", "json"});
  for (const auto& d : scan.plugin_dirs) args.insert(args.end(), {"--plugin-dir", d.string()});
  for (const auto& p : scan.only_plugins) args.insert(args.end(), {"--plugin", p});
  if (!scan.registers) args.push_back("--no-registers");
  args.insert(args.end(), scan.scan_args.begin(), scan.scan_args.end());
  auto run = run_program("dfx-lab", args, scan.env, scan.timeout);
  if (!run) return tl::unexpected(run.error());
  LabScanResult r;
  r.exit_status = run->exit_status;
  r.log = run->err;
  r.report = nlohmann::json::parse(run->out, nullptr, /*allow_exceptions=*/false);
  if (r.report.is_discarded() || !r.report.is_object())
    return tl::unexpected("dfx-lab" + join_args(args) + " exited with " +
                          std::to_string(run->exit_status) +
                          " and printed no scan report; its log:\n" + run->err);
  return r;
}

tl::expected<RegisterQueryResult, std::string> query_register(const RegisterQuery& query) {
  TempFolder tmp;
  if (tmp.path().empty()) return tl::unexpected(std::string("cannot create a temporary folder"));
  const auto config = tmp.path() / "config.json";
  nlohmann::json doc = {{"registers",
                         {{{"id", "under-test"},
                           {"plugin", query.plugin},
                           {"timeout_ms", query.register_timeout.count()},
                           {"settings", query.settings}}}}};
  auto& entry = doc["registers"][0];
  if (query.network) entry["network"] = true;
  if (!query.environment.empty()) entry["environment"] = query.environment;
  if (!query.files.empty()) entry["files"] = query.files;
  std::ofstream(config) << doc.dump(2) << '\n';
  std::vector<std::string> args = {
      "check",    "--config", config.string(), "--plugin-dir", query.plugin_dir.string(),
      "--format", "json"};
  args.insert(args.end(), query.identifiers.begin(), query.identifiers.end());
  auto run = run_program("dfx", args, query.env, query.timeout);
  if (!run) return tl::unexpected(run.error());
  RegisterQueryResult r;
  r.exit_status = run->exit_status;
  r.log = run->err;
  std::size_t start = 0;
  while (start < run->out.size()) {
    const auto end = run->out.find('\n', start);
    const auto line =
        run->out.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? run->out.size() : end + 1;
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return tl::unexpected("dfx check printed a line that is not JSON: " + line + "\nits log:\n" +
                            run->err);
    RegisterAnswer a;
    a.input = j.value("input", "");
    if (j.contains("identifier") && j["identifier"].contains("canonical") &&
        j["identifier"]["canonical"].is_string())
      a.canonical = j["identifier"]["canonical"];
    a.verdict = j.value("verdict", "");
    if (j.contains("hits"))
      for (const auto& h : j["hits"])
        if (h.value("register", "") == "under-test") a.hits.push_back(h);
    if (j.contains("registers"))
      for (const auto& reg : j["registers"])
        if (reg.value("id", "") == "under-test") {
          a.outcome = reg.value("outcome", "");
          if (reg.contains("error") && reg["error"].is_string()) a.error = reg["error"];
        }
    r.answers.push_back(std::move(a));
  }
  if (r.answers.size() != query.identifiers.size())
    return tl::unexpected("dfx check answered " + std::to_string(r.answers.size()) + " of " +
                          std::to_string(query.identifiers.size()) + " identifiers (exit status " +
                          std::to_string(r.exit_status) + "); its log:\n" + run->err);
  return r;
}

}  // namespace dfx::testing
