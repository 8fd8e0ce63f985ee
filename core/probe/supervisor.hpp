// The host side of isolation: runs probe jobs in dfx-probe worker processes, several at once,
// and turns every way a worker can fail (crash, hang, garbage, early exit) into an error outcome
// for that one job. The host, the other jobs and everything already received are unaffected.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "probe/messages.hpp"

namespace dfx::probe {

struct ProbeJob {
  Mode mode = Mode::Probe;
  std::string plugin_id;  ///< for messages, before the worker confirms it
  std::filesystem::path manifest;
  std::optional<usb::DeviceFacts> device;  ///< required for Mode::Probe
  /// Jobs with the same non-empty key never run at the same time (scan uses the device's
  /// location): two plugins talking to one phone at once could disturb each other's protocol.
  std::string exclusive_key;
  /// Answer the plugin from this transcript file instead of the device (a replay).
  std::filesystem::path replay{};
};

struct ProbeOutcome {
  std::string plugin_id;
  bool ok = false;
  /// "ok", or why not: refused (plugin not loadable), plugin_error (plugin returned an error),
  /// crashed (worker died on a signal), timeout (killed at the deadline), protocol (malformed or
  /// out-of-order reply), worker (could not start, or exited without an answer).
  std::string code;
  std::string error;              ///< one sentence naming the plugin and the reason
  std::vector<Claim> claims;      ///< everything received, kept even when the job failed
  std::vector<Finding> findings;  ///< the plugin's and the worker's, kept like claims
  std::vector<LogLine> logs;
  std::optional<PluginIdentity> plugin;  ///< what the library reported, once loaded
  int64_t worker_pid = 0;
  double duration_ms = 0;
  /// The USB transcript (JSON lines, usb/transcript.hpp) when SupervisorOptions::transcripts
  /// asked for it and the worker delivered it whole; why not otherwise.
  std::optional<std::string> transcript;
  std::string transcript_missing;
};

struct SupervisorOptions {
  std::filesystem::path worker;  ///< dfx-probe; default: probe_worker_path()
  std::chrono::milliseconds timeout{30000};
  unsigned parallel = 16;   ///< workers alive at once
  bool in_process = false;  ///< debug: run plugins on threads of this process
  /// Ask each probe's worker for its USB transcript (a case records it).
  bool transcripts = false;
  /// Called for each log line as it arrives (job index, line), e.g. to forward to spdlog.
  std::function<void(std::size_t, const LogLine&)> on_log;
};

/// Runs every job and returns one outcome per job, in job order. Never throws for a job's failure.
std::vector<ProbeOutcome> run_probes(const std::vector<ProbeJob>& jobs,
                                     const SupervisorOptions& options);

}  // namespace dfx::probe
