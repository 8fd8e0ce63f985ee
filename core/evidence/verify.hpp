// Verifying a case: every record's hash, the chain of previous hashes, the sequence numbers, the
// signatures of checkpoints against the workstation keys the case itself introduced, and that
// nothing follows the record that closed it. The first record that is wrong is named, with how:
// changed, missing, reordered, a torn last line, a bad signature, an unknown key.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace dfx::evidence {

enum class Problem {
  none,
  torn,           ///< the last line has no end: a write was interrupted
  changed,        ///< a record is not what was written (not JSON, not canonical, hash mismatch)
  missing,        ///< a sequence number is skipped
  reordered,      ///< a record is out of order, repeated, or does not follow its predecessor
  bad_signature,  ///< a checkpoint's signature does not verify
  unknown_key,    ///< a checkpoint is signed by a key the case never introduced
  after_close,    ///< a record follows the one that closed the case
  not_a_case,     ///< no case record first, or no records file
  transcript,     ///< a USB transcript a record names is missing or not what was recorded
};

/// "changed", "missing"...
std::string_view to_string(Problem problem);

/// A USB transcript file a record names (see transcript_file.hpp).
struct TranscriptRef {
  uint64_t seq = 0;    ///< the record naming it
  std::string file;    ///< "transcripts/<sha256>.jsonl", relative to the case folder
  std::string sha256;  ///< of the file's bytes
  uint64_t bytes = 0;
};

struct Verification {
  Problem problem = Problem::none;
  std::string message;            ///< what is wrong and where, for people ("" when ok)
  uint64_t records = 0;           ///< intact records before the problem (all when ok)
  uint64_t intact_bytes = 0;      ///< bytes of those records' lines
  std::string head_hash;          ///< hash of the last intact record
  std::string case_id;            ///< from record 0
  std::vector<std::string> keys;  ///< workstation public keys (hex) the case introduced
  int64_t signed_through = -1;    ///< sequence number of the last record a valid signature covers
  bool closed = false;
  std::vector<TranscriptRef> transcripts;  ///< named by the intact records, in order
  [[nodiscard]] bool ok() const { return problem == Problem::none; }
};

/// Verifies the records file's content.
Verification verify_records(std::string_view content);

/// Reads `<dir>/case.jsonl` and verifies it, then every transcript its records name (present,
/// and the bytes the record's hash says); an error only when the records cannot be read.
Result<Verification> verify_case(const std::filesystem::path& dir);

}  // namespace dfx::evidence
