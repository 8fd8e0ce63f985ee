// `--case DIR` on scan and check: the records a command appends to a case, each on disk before
// the command shows its result, and a signed checkpoint when it ends.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "evidence/case_log.hpp"
#include "evidence/tool_info.hpp"

namespace dfx::cli {

class CaseRecorder {
 public:
  /// Opens the case for `command` ("scan", "check"): the workstation key (created on first use)
  /// and the writer, which holds the case's lock until the recorder is destroyed.
  static Result<CaseRecorder> open(const std::filesystem::path& dir, std::string command);

  /// Appends a record of the command's type with `body` and the tool's description.
  Result<void> record(nlohmann::json body, const std::vector<evidence::PluginUsed>& plugins = {});
  /// Signs the head: the command's checkpoint.
  Result<void> finish();
  [[nodiscard]] const std::filesystem::path& dir() const { return writer_.dir(); }

 private:
  CaseRecorder(evidence::CaseWriter w, evidence::WorkstationKey k, std::string command)
      : writer_(std::move(w)), key_(std::move(k)), command_(std::move(command)) {}
  evidence::CaseWriter writer_;
  evidence::WorkstationKey key_;
  std::string command_;
  std::optional<nlohmann::json> tool_;  // computed once: hashing binaries is not free
};

}  // namespace dfx::cli
