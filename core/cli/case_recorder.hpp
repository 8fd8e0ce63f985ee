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
#include "plugin_host/catalog.hpp"
#include "registers/register_set.hpp"
#include "scan/scanner.hpp"

namespace dfx::cli {

class CaseRecorder {
 public:
  /// Opens the case for `command` ("scan", "check"): the workstation key (created on first use)
  /// and the writer, which holds the case's lock until the recorder is destroyed.
  static Result<CaseRecorder> open(const std::filesystem::path& dir, std::string command);

  /// Appends a record of the command's type with `body` and the tool's description.
  Result<void> record(nlohmann::json body, const std::vector<evidence::PluginUsed>& plugins = {});
  /// Stores the USB transcript of each of `d`'s probes in the case and adds, to the matching
  /// element of `device["probes"]` (scan::device_json of `d`), its reference, its counts and the
  /// audit of what reached the device against the plugin's declared surface (`catalog` gives
  /// the manifests); or, when the worker sent none, why ("transcript_missing").
  Result<void> add_transcripts(nlohmann::json& device, const scan::DeviceReport& d,
                               const plugin_host::Catalog& catalog);
  /// From now on every record names the registers consulted: id, plugin, its version and the
  /// SHA-256 of its library (found in `plugin_dirs`), the kinds each accepts and why one could
  /// not be opened.
  void set_registers(const registers::RegisterSet& set,
                     const std::vector<std::filesystem::path>& plugin_dirs);
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
  std::optional<nlohmann::json> registers_;
};

}  // namespace dfx::cli
