#include "registers/register_client.hpp"

#include <dfx/plugin.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "base/sha256.hpp"
#include "base/utc_time.hpp"

namespace dfx::registers {
namespace {

using Clock = std::chrono::steady_clock;

// Bounds on what a plugin can make the host keep: a register is a remote party too.
constexpr std::size_t kMaxHitsPerQuery = 64;
constexpr std::size_t kMaxFieldBytes = 1024;
constexpr std::size_t kMaxErrorBytes = 2048;

enum class Slot : std::uint8_t { None, Hit, Miss, Error, Conflict };

std::string bounded(const char* s, std::size_t max) {
  if (s == nullptr) return {};
  std::string out(s, strnlen(s, max + 1));
  if (out.size() > max) out.resize(max);
  return out;
}

// A failed call that gave no reason of its own.
std::string status_text(dfx_status st) {
  return std::string("the plugin returned ") + dfx_status_name(st) + " without saying why";
}

}  // namespace

// One call into the plugin. Shared between the caller and the thread making the call, so that a
// call the caller gave up on can still finish (or never finish) without touching freed memory.
struct RegisterClient::Call {
  std::string register_id;
  Clock::time_point deadline;
  // When should_stop turns true: before the deadline, so that a plugin that polls it can answer
  // the rest with errors (which say why) before the host gives up on the whole batch.
  Clock::time_point stop_at;
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
  bool abandoned = false;
  dfx_status status = DFX_OK;
  std::string error;  // from set_error
  double elapsed_ms = 0;
  std::string asked_at;  // UTC, when the batch was handed to the plugin
  // query calls
  std::vector<Lookup> lookups;
  std::vector<dfx_register_query> queries;
  std::vector<Slot> slots;
  std::vector<std::vector<Hit>> hits;
  std::vector<std::string> reasons;
  // open calls
  void* state = nullptr;

  static Call* of(dfx_register_host* host) { return reinterpret_cast<Call*>(host); }
  dfx_register_host* host() { return reinterpret_cast<dfx_register_host*>(this); }
};

namespace {

using Call = RegisterClient::Call;

void api_log(dfx_register_host* host, dfx_log_level level, const char* message) {
  auto* c = Call::of(host);
  const auto lvl = level <= DFX_LOG_DEBUG  ? spdlog::level::debug
                   : level == DFX_LOG_INFO ? spdlog::level::info
                   : level == DFX_LOG_WARN ? spdlog::level::warn
                                           : spdlog::level::err;
  spdlog::log(lvl, "[register {}] {}", c->register_id, bounded(message, kMaxErrorBytes));
}

void api_set_error(dfx_register_host* host, const char* message) {
  auto* c = Call::of(host);
  std::lock_guard lock(c->m);
  c->error = bounded(message, kMaxErrorBytes);
}

dfx_status api_report_hit(dfx_register_host* host, uint32_t index, const dfx_register_hit* hit) {
  auto* c = Call::of(host);
  std::lock_guard lock(c->m);
  if (c->abandoned) return DFX_ERR_CANCELLED;
  if (index >= c->slots.size() || hit == nullptr ||
      hit->struct_size < offsetof(dfx_register_hit, reference) + sizeof(const char*))
    return DFX_ERR_INVALID_ARGUMENT;
  Slot& slot = c->slots[index];
  if (slot == Slot::Miss) slot = Slot::Conflict;
  if (slot == Slot::Conflict || slot == Slot::Error) return DFX_OK;
  slot = Slot::Hit;
  auto& list = c->hits[index];
  if (list.size() >= kMaxHitsPerQuery) return DFX_OK;  // the first records are enough to flag it
  Hit h{bounded(hit->status, kMaxFieldBytes), bounded(hit->reported_at, kMaxFieldBytes),
        bounded(hit->reporting_party, kMaxFieldBytes), bounded(hit->reference, kMaxFieldBytes)};
  if (!is_known_status(h.status)) {
    // Still a record of the identifier, so still a hit; the unknown word is kept in the log.
    spdlog::warn("[register {}] unknown status \"{}\" for {} reported as \"other\"", c->register_id,
                 h.status, c->lookups[index].identifier);
    h.status = "other";
  }
  list.push_back(std::move(h));
  return DFX_OK;
}

dfx_status api_report_miss(dfx_register_host* host, uint32_t index) {
  auto* c = Call::of(host);
  std::lock_guard lock(c->m);
  if (c->abandoned) return DFX_ERR_CANCELLED;
  if (index >= c->slots.size()) return DFX_ERR_INVALID_ARGUMENT;
  Slot& slot = c->slots[index];
  if (slot == Slot::None)
    slot = Slot::Miss;
  else if (slot == Slot::Hit)
    slot = Slot::Conflict;
  return DFX_OK;
}

dfx_status api_report_error(dfx_register_host* host, uint32_t index, const char* reason) {
  auto* c = Call::of(host);
  std::lock_guard lock(c->m);
  if (c->abandoned) return DFX_ERR_CANCELLED;
  if (index >= c->slots.size()) return DFX_ERR_INVALID_ARGUMENT;
  Slot& slot = c->slots[index];
  if (slot == Slot::Hit) {
    // The records it already gave stand: a register that found a report is not un-asked.
    spdlog::warn("[register {}] error after a hit for {} ignored: {}", c->register_id,
                 c->lookups[index].identifier, bounded(reason, kMaxErrorBytes));
    return DFX_OK;
  }
  if (slot != Slot::Conflict) slot = Slot::Error;
  c->reasons[index] = reason && *reason ? bounded(reason, kMaxErrorBytes) : "no reason given";
  return DFX_OK;
}

int32_t api_should_stop(dfx_register_host* host) {
  auto* c = Call::of(host);
  std::lock_guard lock(c->m);
  return c->abandoned || Clock::now() >= c->stop_at ? 1 : 0;
}

const dfx_register_host_api kApi = {sizeof(dfx_register_host_api),
                                    DFX_ABI_MAJOR,
                                    DFX_ABI_MINOR,
                                    api_log,
                                    api_set_error,
                                    api_report_hit,
                                    api_report_miss,
                                    api_report_error,
                                    api_should_stop};

// Runs `body` on a detached thread holding `keep` (the plugin library) alive, and marks the call
// done when it returns.
void launch(const std::shared_ptr<Call>& call,
            std::shared_ptr<const plugin_host::LoadedPlugin> keep,
            std::function<dfx_status(Call&)> body) {
  std::thread([call, keep = std::move(keep), body = std::move(body)] {
    const auto t0 = Clock::now();
    const dfx_status st = body(*call);
    std::lock_guard lock(call->m);
    call->status = st;
    call->elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    call->done = true;
    call->cv.notify_all();
  }).detach();
}

// Waits for the call until its deadline; false (and the call abandoned) when it did not finish.
bool wait(Call& call) {
  std::unique_lock lock(call.m);
  if (call.cv.wait_until(lock, call.deadline, [&] { return call.done; })) return true;
  call.abandoned = true;
  return false;
}

std::string ms_text(std::chrono::milliseconds t) {
  return std::to_string(t.count()) + " ms";
}

}  // namespace

bool RegisterClient::accepts(std::string_view kind) const {
  return std::find(accepts_.begin(), accepts_.end(), kind) != accepts_.end();
}

std::unique_ptr<RegisterClient> RegisterClient::unavailable(RegisterConfig config,
                                                            std::vector<std::string> accepts,
                                                            std::string why) {
  std::unique_ptr<RegisterClient> c(new RegisterClient(std::move(config), std::move(accepts)));
  c->error_ = std::move(why);
  return c;
}

std::unique_ptr<RegisterClient> RegisterClient::open_isolated(const plugin_host::Manifest& manifest,
                                                              RegisterConfig config) {
  std::unique_ptr<RegisterClient> c(new RegisterClient(std::move(config), manifest.accepts));
  c->worker_ = RegisterWorker::start(manifest, c->config_);
  c->error_ = c->worker_->error();
  return c;
}

std::string RegisterClient::version() const {
  if (worker_) return worker_->version();
  if (plugin_ && plugin_->info().version) return plugin_->info().version;
  return {};
}

std::unique_ptr<RegisterClient> RegisterClient::open(
    std::shared_ptr<const plugin_host::LoadedPlugin> plugin, RegisterConfig config) {
  std::unique_ptr<RegisterClient> c(
      new RegisterClient(std::move(config), plugin->manifest().accepts));
  c->plugin_ = std::move(plugin);
  auto call = std::make_shared<Call>();
  call->register_id = c->config_.id;
  call->deadline = Clock::now() + c->config_.timeout;
  call->stop_at = Clock::now() + c->config_.timeout * 9 / 10;
  const dfx_register_ops* ops = c->plugin_->info().register_ops;
  launch(call, c->plugin_, [ops, settings = c->config_.settings_json](Call& self) {
    void* state = nullptr;
    const dfx_status st = ops->open(&kApi, self.host(), settings.c_str(), &state);
    std::lock_guard lock(self.m);
    if (self.abandoned) {
      if (st == DFX_OK && state) ops->close(state);  // nobody will use it now
    } else {
      self.state = st == DFX_OK ? state : nullptr;
    }
    return st;
  });
  if (!wait(*call)) {
    c->error_ = "register " + c->config_.id + " (" + c->config_.backend() +
                ") did not open within " + ms_text(c->config_.timeout);
    return c;
  }
  if (call->status != DFX_OK || call->state == nullptr) {
    c->error_ = "register " + c->config_.id + " (" + c->config_.backend() + ") could not open: " +
                (call->error.empty() ? status_text(call->status) : call->error);
    return c;
  }
  c->state_ = call->state;
  return c;
}

RegisterClient::~RegisterClient() {
  if (pending_) collect();
  if (worker_) return;  // the worker closes the register when its socket closes
  if (state_ == nullptr || !error_.empty()) return;  // a register that hung is never called again
  auto call = std::make_shared<Call>();
  call->register_id = config_.id;
  call->deadline = Clock::now() + config_.timeout;
  call->stop_at = call->deadline;
  const dfx_register_ops* ops = plugin_->info().register_ops;
  launch(call, plugin_, [ops, state = state_](Call&) {
    ops->close(state);
    return DFX_OK;
  });
  if (!wait(*call))
    spdlog::warn("register {} did not close within {}", config_.id, ms_text(config_.timeout));
}

std::vector<Answer> RegisterClient::all_errors(std::size_t n, const std::string& why) const {
  return error_answers(n, config_.id, why);
}

void RegisterClient::start(std::span<const Lookup> lookups) {
  if (pending_) collect();
  pending_count_ = lookups.size();
  if (!error_.empty() || lookups.empty()) return;
  if (worker_) {
    pending_lookups_.assign(lookups.begin(), lookups.end());
    return;
  }
  auto call = std::make_shared<Call>();
  call->register_id = config_.id;
  call->lookups.assign(lookups.begin(), lookups.end());
  const std::size_t n = call->lookups.size();
  call->queries.reserve(n);
  for (const auto& l : call->lookups)
    call->queries.push_back({sizeof(dfx_register_query), l.kind.c_str(), l.identifier.c_str()});
  call->slots.assign(n, Slot::None);
  call->hits.resize(n);
  call->reasons.resize(n);
  call->deadline = Clock::now() + config_.timeout;
  call->stop_at = Clock::now() + config_.timeout * 9 / 10;
  call->asked_at = utc_now_iso8601(true);
  const dfx_register_ops* ops = plugin_->info().register_ops;
  launch(call, plugin_, [ops, state = state_](Call& self) {
    return ops->query(state, &kApi, self.host(), self.queries.data(),
                      static_cast<uint32_t>(self.queries.size()));
  });
  pending_ = std::move(call);
}

std::vector<Answer> RegisterClient::collect() {
  const std::size_t n = pending_count_;
  if (!error_.empty()) return all_errors(n, error_);
  if (worker_) {
    auto answers = worker_->query(std::exchange(pending_lookups_, {}));
    error_ = worker_->error();
    return answers;
  }
  if (!pending_) return {};
  auto call = std::move(pending_);
  pending_.reset();
  if (!wait(*call)) {
    error_ = "register " + config_.id + " did not answer within " + ms_text(config_.timeout) +
             "; not asked again in this run";
    spdlog::error("{}", error_);
    return all_errors(n, error_);
  }
  const std::string failure =
      call->status == DFX_OK
          ? "register gave no answer for this identifier"
          : "register failed: " + (call->error.empty() ? status_text(call->status) : call->error);
  std::vector<Answer> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    Answer& a = out[i];
    a.register_id = config_.id;
    a.latency_ms = call->elapsed_ms;
    switch (call->slots[i]) {
      case Slot::Hit:
        a.outcome = Outcome::Hit;
        a.hits = std::move(call->hits[i]);
        break;
      case Slot::Miss:
        a.outcome = Outcome::Miss;
        break;
      case Slot::Error:
        a.outcome = Outcome::Error;
        a.error = std::move(call->reasons[i]);
        break;
      case Slot::Conflict:
        a.outcome = Outcome::Error;
        a.error = "register answered both hit and miss";
        break;
      case Slot::None:
        a.outcome = Outcome::Error;
        a.error = failure;
        break;
    }
  }
  // Provenance, as a worker's answers carry it: the hash of the answers as they would travel.
  const std::string raw = sha256_hex(answers_payload(out));
  for (auto& a : out) {
    a.asked_at = call->asked_at;
    a.answer_sha256 = raw;
  }
  return out;
}

std::vector<Answer> RegisterClient::query(std::span<const Lookup> lookups) {
  start(lookups);
  return collect();
}

}  // namespace dfx::registers
