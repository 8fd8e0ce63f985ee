// The files of a case folder a report reads besides its records: USB transcripts. A transcript is
// listed only when its bytes are those the record names (size and SHA-256), and only as
// requests (operation, setup packet or endpoint, length, status): the data a phone sent back can
// hold identifiers and personal data, and a report is for reading what was asked, not what the
// phone holds. The folder is hostile input: names that leave it, files that are not regular files
// and oversized files are refused, and the listing is bounded.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "base/result.hpp"
#include "evidence/case_report.hpp"

namespace dfx::evidence {

/// The content of `file`, a regular file (a symbolic link, FIFO or device is refused), of at most
/// `max_bytes`. The error says which, and `*absent` is set when the file does not exist.
Result<std::string> read_case_file(const std::filesystem::path& file, uint64_t max_bytes,
                                   bool* absent = nullptr);

/// The transcript the record's reference `ref` names ({"file", "sha256", "bytes", "exchanges",
/// "reached_device", "refused", ...}), read from the case folder `dir` and checked against `ref`.
/// `plugin` is the probe's plugin, when the reference is a probe's.
TranscriptView read_transcript(const std::filesystem::path& dir, const nlohmann::json& ref,
                               const std::string& plugin, const ReportLimits& limits);

}  // namespace dfx::evidence
