#include "registers/register_worker.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/json_file.hpp"
#include "base/paths.hpp"
#include "base/sha256.hpp"
#include "base/utc_time.hpp"
#include "probe/worker.hpp"
#include "probe/worker_process.hpp"
#include "registers/register_client.hpp"

namespace dfx::registers {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Answers per Answers frame: a call's answers go in as many frames as they need, so that a large
// call (the register's "batch") never makes a frame larger than the protocol allows (1 MiB).
constexpr std::size_t kAnswersPerFrame = 256;
constexpr std::size_t kMaxHits = 64;
constexpr std::size_t kMaxField = 1024;
constexpr std::size_t kMaxError = 2048;
// How long a worker may take beyond the register's own timeout (starting, loading, framing).
constexpr std::chrono::milliseconds kMargin{2000};

std::string outcome_text(Outcome o) {
  return std::string(to_string(o));
}

json answers_json(const std::vector<Answer>& answers) {
  json arr = json::array();
  for (const auto& a : answers) {
    json hits = json::array();
    for (const auto& h : a.hits)
      hits.push_back({{"status", h.status},
                      {"reported_at", h.reported_at},
                      {"reporting_party", h.reporting_party},
                      {"reference", h.reference}});
    arr.push_back({{"outcome", outcome_text(a.outcome)},
                   {"hits", hits},
                   {"error", a.error},
                   {"latency_ms", a.latency_ms}});
  }
  return arr;
}

std::string bounded_string(const json& j, const char* key, std::size_t max) {
  const auto& v = j.at(key);
  if (!v.is_string()) throw std::runtime_error(std::string(key) + " is not a string");
  auto s = v.get<std::string>();
  if (s.size() > max)
    throw std::runtime_error(std::string(key) + " of " + std::to_string(s.size()) +
                             " bytes (limit " + std::to_string(max) + ")");
  return s;
}

// The worker's answers to `n` lookups, checked as the host checks a plugin's own calls: the
// right number, known outcomes, hits only with known statuses, bounded texts.
// `n`: how many answers are still awaited; a frame holds 1 to kAnswersPerFrame of them.
Result<std::vector<Answer>> parse_answers(const std::string& payload, std::size_t n,
                                          const std::string& register_id) {
  auto j = parse_json(payload, "answers from the register worker", {.max_depth = 5});
  if (!j) return tl::unexpected(j.error());
  try {
    if (auto e = j->find("error"); e != j->end())
      return fail("the register worker could not answer: " +
                  bounded_string(*j, "error", kMaxError));
    const auto& arr = j->at("answers");
    if (!arr.is_array() || arr.empty() || arr.size() > std::min(n, kAnswersPerFrame))
      return fail("the register worker sent " + std::to_string(arr.size()) +
                  " answers in a frame while " + std::to_string(n) + " were awaited");
    std::vector<Answer> out;
    for (const auto& a : arr) {
      Answer ans;
      ans.register_id = register_id;
      const auto outcome = bounded_string(a, "outcome", 8);
      ans.outcome = outcome == "hit"    ? Outcome::Hit
                    : outcome == "miss" ? Outcome::Miss
                    : outcome == "error"
                        ? Outcome::Error
                        : throw std::runtime_error("unknown outcome \"" + outcome + "\"");
      const auto& hits = a.at("hits");
      if (!hits.is_array() || hits.size() > kMaxHits)
        throw std::runtime_error("hits must be an array of at most 64 records");
      for (const auto& h : hits) {
        Hit hit{bounded_string(h, "status", kMaxField), bounded_string(h, "reported_at", kMaxField),
                bounded_string(h, "reporting_party", kMaxField),
                bounded_string(h, "reference", kMaxField)};
        if (!is_known_status(hit.status))
          throw std::runtime_error("unknown status \"" + hit.status + "\"");
        ans.hits.push_back(std::move(hit));
      }
      if ((ans.outcome == Outcome::Hit) != !ans.hits.empty())
        throw std::runtime_error("a hit needs records and only a hit has them");
      ans.error = bounded_string(a, "error", kMaxError);
      if (ans.outcome == Outcome::Error && ans.error.empty()) ans.error = "no reason given";
      const auto& latency = a.at("latency_ms");
      ans.latency_ms = latency.is_number() ? latency.get<double>() : 0;
      out.push_back(std::move(ans));
    }
    return out;
  } catch (const std::exception& e) {
    return fail(std::string("the register worker sent an invalid answer: ") + e.what());
  }
}

// "crashed: SIGSEGV (Segmentation fault)", "exited with status 3", from a wait status.
std::string ending(int status) {
  if (WIFSIGNALED(status)) {
    const char* abbrev = sigabbrev_np(WTERMSIG(status));
    return std::string("crashed: SIG") + (abbrev ? abbrev : std::to_string(WTERMSIG(status)));
  }
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "ended";
}

}  // namespace

// ---- Worker side -----------------------------------------------------------------------------

int serve_register(int fd, const probe::Request& request, const plugin_host::LoadedPlugin& plugin) {
  probe::FrameWriter out(fd);
  RegisterConfig config;
  try {
    const auto j = json::parse(request.register_config);
    config.id = j.at("id").get<std::string>();
    config.plugin = j.at("plugin").get<std::string>();
    config.settings_json = j.at("settings").get<std::string>();
    config.timeout = std::chrono::milliseconds(j.at("timeout_ms").get<int64_t>());
  } catch (const std::exception& e) {
    out.send(probe::FrameType::Answers,
             json{{"error", std::string("bad register configuration: ") + e.what()}}.dump());
    return 0;
  }
  // Not owned: the plugin outlives the client, which is destroyed before this returns.
  std::shared_ptr<const plugin_host::LoadedPlugin> keep(std::shared_ptr<void>{}, &plugin);
  auto client = RegisterClient::open(keep, config);
  const std::string version = plugin.info().version ? plugin.info().version : "";
  out.send(probe::FrameType::Answers,
           json{{"opened", client->error().empty()}, {"version", version}, {"why", client->error()}}
               .dump(-1, ' ', false, json::error_handler_t::replace));
  probe::FrameReader in(fd);
  for (;;) {
    auto frame = in.next(std::chrono::hours(24));
    if (!frame) return 0;  // the host closed the socket: done
    if (frame->type != probe::FrameType::Query) return probe::kWorkerProtocol;
    std::vector<Lookup> lookups;
    try {
      const auto j = json::parse(frame->payload);
      for (const auto& l : j.at("lookups"))
        lookups.push_back({l.at("kind").get<std::string>(), l.at("identifier").get<std::string>()});
    } catch (const std::exception&) {
      return probe::kWorkerProtocol;
    }
    const auto answers = client->query(lookups);
    for (std::size_t start = 0; start < answers.size(); start += kAnswersPerFrame) {
      const std::vector<Answer> part(
          answers.begin() + static_cast<std::ptrdiff_t>(start),
          answers.begin() +
              static_cast<std::ptrdiff_t>(std::min(answers.size(), start + kAnswersPerFrame)));
      std::string payload = answers_payload(part);
      if (payload.size() > probe::kMaxPayload)
        payload = json{{"error", "the answers to this batch are larger than a frame"}}.dump();
      if (!out.send(probe::FrameType::Answers, payload)) return probe::kWorkerHostGone;
    }
  }
}

std::string answers_payload(const std::vector<Answer>& answers) {
  return json{{"answers", answers_json(answers)}}.dump(-1, ' ', false,
                                                       json::error_handler_t::replace);
}

// ---- Host side -------------------------------------------------------------------------------

std::unique_ptr<RegisterWorker> RegisterWorker::start(const plugin_host::Manifest& manifest,
                                                      const RegisterConfig& config) {
  std::unique_ptr<RegisterWorker> w(new RegisterWorker(config));
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    w->error_ = "register " + config.id + ": socketpair: " + std::strerror(errno);
    return w;
  }
  auto pid = probe::start_worker(probe_worker_path(), sv[1]);
  if (!pid) {
    ::close(sv[0]);
    w->error_ = "register " + config.id + ": " + pid.error().message;
    return w;
  }
  w->pid_ = *pid;
  w->sock_ = sv[0];
  w->reader_ = std::make_unique<probe::FrameReader>(w->sock_);
  probe::Request request;
  request.mode = probe::Mode::Register;
  request.manifest = manifest.real_path.empty() ? manifest.path : manifest.real_path;
  request.deadline_ms = 3600 * 1000;  // the CPU time limit of a long-lived worker
  request.network = config.network;
  request.grant_environment = config.environment;
  request.grant_files = config.files;
  request.register_config = json{
      {"id", config.id},
      {"plugin", config.plugin},
      {"settings", config.settings_json},
      {"timeout_ms",
       config.timeout.count()}}.dump();
  probe::FrameWriter out(w->sock_);
  if (!out.send(probe::FrameType::Request, probe::to_payload(request))) {
    w->fail_with("could not send the request");
    return w;
  }
  // Hello, then the outcome of opening (or a Done when the plugin could not be loaded).
  const auto deadline = Clock::now() + config.timeout + kMargin;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    auto f = w->reader_->next(std::max(left, std::chrono::milliseconds(1)));
    if (!f) {
      w->fail_with("did not open: " + f.error().message);
      return w;
    }
    if (f->type == probe::FrameType::Hello || f->type == probe::FrameType::Log) continue;
    if (f->type == probe::FrameType::Done) {
      auto d = probe::parse_done(f->payload);
      w->fail_with(d ? d->error : d.error().message);
      return w;
    }
    if (f->type != probe::FrameType::Answers) {
      w->fail_with("sent an unexpected frame while opening");
      return w;
    }
    auto j = parse_json(f->payload, "register worker", {.max_depth = 2});
    if (!j || !j->contains("opened") || !(*j)["opened"].is_boolean()) {
      w->fail_with("sent an invalid opening message");
      return w;
    }
    if (j->contains("version") && (*j)["version"].is_string())
      w->version_ = (*j)["version"].get<std::string>().substr(0, 256);
    if (!(*j)["opened"].get<bool>()) {
      const auto why = j->contains("why") && (*j)["why"].is_string()
                           ? (*j)["why"].get<std::string>().substr(0, kMaxError)
                           : std::string("no reason given");
      w->error_ = why;  // the plugin's own words, as an in-process register would give them
      w->fail_with("");
      return w;
    }
    return w;
  }
}

void RegisterWorker::fail_with(std::string why) {
  if (sock_ >= 0) ::close(sock_);
  sock_ = -1;
  int status = 0;
  bool ended = false;
  if (pid_ > 0) {
    // A worker that has not ended within a moment is killed: it is not asked again.
    for (int i = 0; i < 20 && !ended; ++i) {
      ended = ::waitpid(pid_, &status, WNOHANG) == pid_;
      if (!ended) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!ended) {
      ::kill(-pid_, SIGKILL);
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }
  if (why.empty()) return;
  error_ = "register " + config_.id + " (" + config_.backend() + "): worker " +
           (ended ? ending(status) : std::string("killed")) + ": " + why +
           "; not asked again in this run";
  spdlog::error("{}", error_);
}

RegisterWorker::~RegisterWorker() {
  fail_with("");
}

std::vector<Answer> RegisterWorker::all_errors(std::size_t n, const std::string& why) const {
  return error_answers(n, config_.id, why);
}

std::vector<Answer> RegisterWorker::query(std::span<const Lookup> lookups) {
  std::vector<Answer> out;
  out.reserve(lookups.size());
  const std::size_t per_call = std::max<std::size_t>(1, config_.batch);
  for (std::size_t start = 0; start < lookups.size(); start += per_call) {
    const auto batch = lookups.subspan(start, std::min(per_call, lookups.size() - start));
    if (!error_.empty()) {
      auto errors = all_errors(batch.size(), error_);
      out.insert(out.end(), errors.begin(), errors.end());
      continue;
    }
    json arr = json::array();
    for (const auto& l : batch) arr.push_back({{"kind", l.kind}, {"identifier", l.identifier}});
    probe::FrameWriter writer(sock_);
    const std::string asked_at = utc_now_iso8601(true);
    std::string why;
    const std::size_t before = out.size();
    if (!writer.send(probe::FrameType::Query, json{{"lookups", arr}}.dump())) {
      why = "the worker is gone";
    } else {
      // The answers come in one or more frames; the call's timeout bounds them all.
      const auto deadline = Clock::now() + config_.timeout + kMargin;
      while (out.size() - before < batch.size()) {
        const auto left = std::max(
            std::chrono::milliseconds(1),
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
        auto f = reader_->next(left);
        if (!f) {
          why = f.error().message;
          break;
        }
        if (f->type == probe::FrameType::Log) continue;
        if (f->type != probe::FrameType::Answers) {
          why = "sent an unexpected frame";
          break;
        }
        auto answers = parse_answers(f->payload, batch.size() - (out.size() - before), config_.id);
        if (!answers) {
          why = answers.error().message;
          break;
        }
        // Provenance: when the batch was asked, and the hash of the bytes the worker answered.
        const std::string raw = sha256_hex(f->payload);
        for (auto& a : *answers) {
          a.asked_at = asked_at;
          a.answer_sha256 = raw;
        }
        out.insert(out.end(), answers->begin(), answers->end());
      }
    }
    if (!why.empty()) {
      fail_with(why);
      // What arrived before the failure is dropped with the rest: one call, one outcome.
      out.resize(before);
      auto errors = all_errors(batch.size(), error_);
      out.insert(out.end(), errors.begin(), errors.end());
    }
  }
  return out;
}

}  // namespace dfx::registers
