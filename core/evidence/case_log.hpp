// Writing a case: `dfx case new` creates the folder and its first record; commands given
// `--case DIR` append records through a CaseWriter. Every record is written with one write(2)
// and fsync(2)ed before append() returns, so a record reported as done survives a crash or a
// kill; one process appends at a time (an flock on the folder's case.lock), so the chain never
// forks. A case whose last line is torn takes no more records until `dfx case repair` removes
// that line and records that it did.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>

#include "base/result.hpp"
#include "evidence/verify.hpp"
#include "evidence/workstation_key.hpp"

namespace dfx::evidence {

/// What `dfx case new` records about the case.
struct CaseInfo {
  std::string case_id;
  std::string operator_name;
  std::string exhibit;  ///< optional
  std::string note;     ///< optional
};

/// The workstation and the tool, as each record carries them.
struct Workstation {
  std::string hostname;
  std::string dfx_version;
};

/// This machine's name and dfx's version.
Workstation this_workstation();

/// Creates the case folder `dir` (which must not exist, or be empty) with its first record:
/// the case, its operator, the workstation and its public key.
Result<nlohmann::json> create_case(const std::filesystem::path& dir, const CaseInfo& info,
                                   const WorkstationKey& key);

class CaseWriter {
 public:
  /// Opens the case for appending: takes its lock (waiting up to `wait` for another dfx
  /// process to finish, then refusing with a message), reads and verifies every record. A case
  /// that does not verify, or is closed, is refused with the reason.
  static Result<CaseWriter> open(const std::filesystem::path& dir,
                                 std::chrono::milliseconds wait = std::chrono::seconds(10));
  ~CaseWriter();
  CaseWriter(CaseWriter&&) noexcept;
  CaseWriter& operator=(CaseWriter&&) noexcept;

  /// Appends a record of `type` with the members of `body` (an object), adding seq, prev, time,
  /// operator, workstation and hash; returns it once it is on disk.
  Result<nlohmann::json> append(const std::string& type, nlohmann::json body);

  /// Stores a USB transcript (usb/transcript.hpp) in the case as transcripts/<sha256>.jsonl,
  /// on disk (written, fsynced, renamed into place, folder fsynced) before it returns, and gives
  /// the reference a record holds: {"file", "sha256", "bytes"}. The same transcript twice is
  /// stored once. `dfx case verify` checks every transcript a record names.
  Result<nlohmann::json> store_transcript(std::string_view text);

  /// Signs the head of the chain with `key` in a record of type "checkpoint" (or "close", after
  /// which the case takes no more records). Introduces the key first (a "workstation" record)
  /// when the case does not know it yet.
  Result<nlohmann::json> sign(const WorkstationKey& key, const std::string& type = "checkpoint",
                              const std::string& reason = "");

  [[nodiscard]] const Verification& state() const { return state_; }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  CaseWriter() = default;
  std::filesystem::path dir_;
  int fd_ = -1;
  int lock_fd_ = -1;
  Verification state_;
  std::string operator_;
  Workstation workstation_;
};

/// Removes a torn last line (the only damage repair touches) and appends a "repair" record
/// naming the bytes removed and their hash. Anything else wrong is refused: it must be examined,
/// not repaired. Returns the repair record, or null when there was nothing to repair.
Result<nlohmann::json> repair_case(const std::filesystem::path& dir);

}  // namespace dfx::evidence
