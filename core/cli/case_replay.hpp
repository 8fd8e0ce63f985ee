// `dfx case replay`: re-runs each recorded reading's plugin (the same library, checked by its
// SHA-256) against the reading's USB transcript instead of the phone, and compares what it asks
// and what it reports with the record. A third party with the case folder and the same plugin
// repeats the reading without the phone; any difference is named.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "probe/supervisor.hpp"

namespace dfx::cli {

/// One recorded probe, replayed.
struct ReplayedProbe {
  uint64_t record = 0;     ///< the record's sequence number
  std::string plugin;      ///< plugin id
  std::string version;     ///< as recorded
  std::string device;      ///< "05ac:12a8 at 1-3"
  std::string transcript;  ///< the transcript file, relative to the case
  uint64_t exchanges = 0;  ///< in the recorded transcript
  uint64_t claims = 0;     ///< recorded claims
  /// Each difference, named ("claims: the replay reports imei ... that the record does not").
  /// Empty: the replay asked the same requests and reported the same claims and outcome.
  std::vector<std::string> differences;
  [[nodiscard]] bool identical() const { return differences.empty(); }
};

struct ReplayOptions {
  std::optional<uint64_t> record;  ///< only this record
  /// With `record`: answer the probe of the plugin this transcript's header names from it
  /// instead of from the recorded one (another recording, or an edited one); the comparison is
  /// still with the record.
  std::optional<std::filesystem::path> transcript;
  std::vector<std::filesystem::path> plugin_dirs;
  probe::SupervisorOptions supervisor;
};

/// Replays every recorded probe that has a transcript (or those of one record). An error when
/// the case does not verify, the record asked for does not exist, or nothing can be replayed.
Result<std::vector<ReplayedProbe>> replay_case(const std::filesystem::path& dir,
                                               const ReplayOptions& options);

/// The differences between a recorded probe (an element of a record's device["probes"], with
/// the device's findings) and its replay's outcome. Pure: for tests.
std::vector<std::string> compare_outcome(const nlohmann::json& recorded_probe,
                                         const nlohmann::json& recorded_findings,
                                         const probe::ProbeOutcome& replayed);

}  // namespace dfx::cli
