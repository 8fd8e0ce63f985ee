// A case folder read into what a report shows (`dfx case report`): the case header from record
// 0, every device a scan recorded and every identifier a check recorded as one row each, the
// tool and plugin versions with their hashes, the verification of the chain with its signatures,
// and for each device what was asked of it over USB (its transcripts). The renderers
// (report_render.hpp) only lay this out; redaction (report_redact.hpp) masks it.
//
// Nothing is hidden: a case that does not verify is still read, and each row says whether the
// chain vouches for its record. The case folder is input like any other (anyone can rewrite the
// records after the last checkpoint, or put any file beside them), so what is read is bounded
// and every member is read without trusting its type.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "evidence/verify.hpp"

namespace dfx::evidence {

inline constexpr const char* kReportSchema = "dfx.case-report/1";

/// How much of a case folder a report reads.
struct ReportLimits {
  uint64_t max_records_bytes = uint64_t{1} << 30;      ///< case.jsonl
  uint64_t max_transcript_bytes = uint64_t{64} << 20;  ///< each transcript file
  std::size_t max_exchanges = 10000;                   ///< exchanges listed per transcript
};

struct CaseHeader {
  std::string case_id, examiner, exhibit, note, workstation, dfx_version, key;
  std::string opened;                     ///< UTC time of record 0
  std::string last_record;                ///< UTC time of the last record read
  std::vector<std::string> operators;     ///< every operator a record names, in order of first use
  std::vector<std::string> workstations;  ///< every workstation a record names
};

/// A binary or plugin library a record's "tool" member names, with its hash.
struct SoftwareItem {
  std::string kind;  ///< "binary", "plugin" or "register" (its name: "id (plugin)")
  std::string name, version, path, sha256, error;
  uint64_t first_seq = 0;  ///< the first record naming it so
  uint64_t records = 0;    ///< how many records name it so
};

struct SignatureEntry {
  uint64_t seq = 0;
  std::string type;  ///< "checkpoint" or "close"
  std::string time, key, signature, head_hash, reason;
  uint64_t head_seq = 0;
  bool verified = false;  ///< verification reached and checked it
};

struct RepairEntry {
  uint64_t seq = 0;
  std::string time, removed_sha256, reason;
  uint64_t removed_bytes = 0;
};

struct RegisterAnswer {
  std::string register_id, outcome, error;
  std::optional<double> latency_ms;
  std::string asked_at;       ///< UTC, when the record says (newer records)
  std::string answer_sha256;  ///< of the register's raw answer, when the record says
};

struct RegisterHit {
  std::string register_id, status, reported_at, reporting_party, reference;
};

struct IdentifierSource {
  std::string plugin, claim, value, method;
};

struct IdentifierView {
  std::string kind, canonical;
  std::string input;  ///< check: the value as given
  std::string verdict, error, not_clear, brand, model;
  bool valid = false, conflict = false;
  std::vector<IdentifierSource> sources;
  std::vector<RegisterHit> hits;
  std::vector<RegisterAnswer> registers;
};

struct ClaimView {
  std::string kind, value, method;
};

struct ProbeView {
  std::string plugin, version, status, code, error;
  std::optional<double> duration_ms;
  std::vector<ClaimView> claims;
};

struct FindingView {
  std::string code, message, plugin;
};

/// One request a plugin made of the phone, as its transcript line gives it; never its data.
struct ExchangeView {
  uint64_t n = 0;
  std::string op;
  std::string request;  ///< the setup packet, endpoint, interface... in words
  std::optional<uint64_t> length;
  std::string status;   ///< "ok" or the status name
  std::string message;  ///< why it failed (empty when it did not)
  bool reached_device = true;
};

enum class TranscriptState {
  listed,        ///< the file is what the record says: its exchanges are listed
  not_recorded,  ///< the record says why there is none (`problem`)
  missing,       ///< the file the record names is not there
  mismatch,      ///< the file is not what the record says (size or SHA-256)
  unreadable,    ///< the file could not be read (outside the case, not a file, too large)
};

/// "listed", "not recorded"...
std::string_view to_string(TranscriptState state);

struct TranscriptView {
  TranscriptState state = TranscriptState::not_recorded;
  std::string plugin;  ///< the probe's plugin, or the transcript header's
  std::string file, sha256;
  std::string problem;  ///< why nothing is listed (state other than listed)
  std::optional<uint64_t> bytes, exchanges, reached_device, refused;  ///< as the record says
  std::string statement;                     ///< the record's statement about the transcript
  std::vector<std::string> outside_surface;  ///< requests the record says were outside it
  // From the file, when listed.
  std::string plugin_id, plugin_version, library_sha256, started;
  std::vector<ExchangeView> listed;
  uint64_t not_listed = 0;         ///< exchanges beyond ReportLimits::max_exchanges
  std::vector<std::string> notes;  ///< what is odd about the file (malformed lines, counts)
};

enum class RowSource { scan, check };
/// How far the case vouches for the record a row comes from.
enum class Integrity {
  signed_by_key,  ///< a valid checkpoint or close signature covers it
  chained,        ///< the chain holds up to it, but no signature yet covers it
  not_verified,   ///< it is at or after the first problem verification found
};

/// "scan", "check"; "signed", "chain only", "NOT VERIFIED".
std::string_view to_string(RowSource source);
std::string_view to_string(Integrity integrity);

/// A device from a scan record, or an identifier from a check record.
struct DeviceRow {
  RowSource source = RowSource::scan;
  uint64_t seq = 0;
  std::string time, operator_name, workstation;
  Integrity integrity = Integrity::not_verified;
  std::string verdict;  ///< "flagged", "clear", "unknown" or "invalid"
  std::string label;    ///< scan: maker and model; check: the value as given
  // Scan only.
  std::string location, usb_id, manufacturer, product, usb_serial, status;
  std::vector<ProbeView> probes;
  std::vector<FindingView> findings;
  std::vector<std::string> warnings;
  std::vector<TranscriptView> transcripts;
  // Both: a check row has exactly one identifier.
  std::vector<IdentifierView> identifiers;
  /// What limits the verdict or the reading: failed probes, registers not asked, invalid
  /// identifiers, transcripts not as recorded, a record the chain does not vouch for.
  std::vector<std::string> limitations;
};

struct CaseReport {
  std::string folder;                   ///< the case folder, as given
  std::string generated, generated_by;  ///< UTC time and dfx version of the report
  bool redacted = false;
  Verification verification;
  CaseHeader header;
  std::vector<SoftwareItem> software;
  std::vector<SignatureEntry> signatures;
  std::vector<RepairEntry> repairs;
  std::vector<DeviceRow> rows;
  uint64_t scans_without_devices = 0;  ///< scans that found no USB device
  uint64_t watch_records = 0;          ///< not itemised: arrivals and departures
  std::vector<std::string> problems;   ///< lines that could not be read into the report
};

struct ReportSummary {
  uint64_t scanned = 0, checked = 0, flagged = 0, clear = 0, unknown = 0, invalid = 0;
};
ReportSummary summarize(const CaseReport& report);

/// Reads the case folder `dir`. An error only when its records cannot be read at all (no
/// case.jsonl, or one larger than the limit); a case that does not verify is reported as such.
Result<CaseReport> read_case_report(const std::filesystem::path& dir,
                                    const ReportLimits& limits = {});

}  // namespace dfx::evidence
