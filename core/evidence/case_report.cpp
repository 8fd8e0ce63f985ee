#include "evidence/case_report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "base/utc_time.hpp"
#include "base/version.hpp"
#include "evidence/json_access.hpp"
#include "evidence/record.hpp"
#include "evidence/report_transcript.hpp"

namespace dfx::evidence {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using namespace json_access;

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end())
    list.push_back(value);
}

void add_software(CaseReport& r, SoftwareItem item) {
  for (auto& s : r.software)
    if (s.kind == item.kind && s.name == item.name && s.version == item.version &&
        s.path == item.path && s.sha256 == item.sha256 && s.error == item.error) {
      ++s.records;
      return;
    }
  item.records = 1;
  r.software.push_back(std::move(item));
}

// The binaries and plugin libraries a record's "tool" member names (evidence/tool_info.hpp).
void add_tool(CaseReport& r, const json& tool, uint64_t seq) {
  const auto& binaries = member(tool, "binaries");
  if (binaries.is_object())
    for (const auto& [name, b] : binaries.items())
      add_software(r, {"binary", name, str(tool, "dfx_version"), str(b, "path"), str(b, "sha256"),
                       str(b, "error"), seq, 0});
  for (const auto& p : array(tool, "plugins"))
    add_software(r, {"plugin", str(p, "id"), str(p, "version"),
                     str(p, member(p, "path").is_string() ? "path" : "library"), str(p, "sha256"),
                     str(p, "error"), seq, 0});
}

// The register plugins a record's "registers" member names (cli/case_recorder.hpp): each
// register's plugin, version and library hash, listed as software with the register's id.
void add_registers(CaseReport& r, const json& registers, uint64_t seq) {
  for (const auto& g : registers)
    add_software(
        r, {"register", str(g, "id") + " (" + str(g, "plugin") + ")", str(g, "plugin_version"), "",
            str(g, "library_sha256"), str(g, "error"), seq, 0});
}

std::string normalized_verdict(const std::string& v) {
  static const char* const known[] = {"flagged", "clear", "unknown", "invalid"};
  return std::find(std::begin(known), std::end(known), v) != std::end(known) ? v : "unknown";
}

void read_registers(const json& j, IdentifierView& id) {
  for (const auto& h : array(j, "hits"))
    id.hits.push_back({str(h, "register"), str(h, "status"), str(h, "reported_at"),
                       str(h, "reporting_party"), str(h, "reference")});
  for (const auto& a : array(j, "registers")) {
    RegisterAnswer answer{str(a, "id"), str(a, "outcome"),  str(a, "error"),
                          std::nullopt, str(a, "asked_at"), str(a, "answer_sha256")};
    if (member(a, "latency_ms").is_number()) answer.latency_ms = number_or(a, "latency_ms");
    id.registers.push_back(std::move(answer));
  }
}

IdentifierView scan_identifier(const json& j) {
  IdentifierView id;
  id.kind = str(j, "kind");
  id.canonical = str(j, "canonical");
  id.valid = bool_or(j, "valid");
  id.error = str(j, "error");
  id.brand = str(j, "brand");
  id.model = str(j, "model");
  id.verdict = str(j, "verdict");
  id.not_clear = str(j, "not_clear");
  id.conflict = bool_or(j, "conflict");
  for (const auto& s : array(j, "sources"))
    id.sources.push_back({str(s, "plugin"), str(s, "claim"), str(s, "value"), str(s, "method")});
  read_registers(j, id);
  return id;
}

// A check result (cli/check_output.hpp, write_check_json) as an identifier.
IdentifierView check_identifier(const json& j) {
  IdentifierView id;
  const auto& ident = member(j, "identifier");
  id.input = str(j, "input");
  id.kind = str(ident, "kind");
  id.canonical = str(ident, "canonical");
  id.valid = bool_or(ident, "valid");
  id.error = str(ident, "error");
  id.verdict = str(j, "verdict");
  id.not_clear = str(j, "not_clear");
  id.conflict = bool_or(j, "conflict");
  read_registers(j, id);
  return id;
}

std::string shown_value(const IdentifierView& id) {
  if (!id.canonical.empty()) return id.canonical;
  if (!id.input.empty()) return id.input;
  return id.sources.empty() ? std::string("(no value)") : id.sources.front().value;
}

void identifier_limitations(const IdentifierView& id, std::vector<std::string>& out) {
  const std::string what =
      (id.kind.empty() ? std::string("value") : id.kind) + " " + shown_value(id);
  if (!id.valid) {
    out.push_back(what + " is invalid" + (id.error.empty() ? "" : ": " + id.error) +
                  "; no register was asked about it");
    return;
  }
  if (id.conflict) out.push_back(what + ": the registers' reports disagree");
  if (!id.not_clear.empty()) out.push_back(what + ": " + id.not_clear);
  for (const auto& a : id.registers)
    if (a.outcome == "error")
      out.push_back(a.register_id + " could not be asked about " + what +
                    (a.error.empty() ? "" : ": " + a.error));
  if (id.registers.empty())
    out.push_back(what +
                  ": no register was asked (none configured accepts it, or registers "
                  "were not consulted)");
}

void row_limitations(DeviceRow& row, const std::string& recorded_verdict) {
  auto& out = row.limitations;
  if (row.integrity == Integrity::not_verified)
    out.push_back(
        "the case does not vouch for this record: it is at or after the first problem "
        "verification found");
  if (recorded_verdict != row.verdict)
    out.push_back("the record's verdict \"" + recorded_verdict +
                  "\" is not one dfx writes: shown as unknown");
  if (row.source == RowSource::scan) {
    if (row.status == "unprobed")
      out.push_back("no plugin read this device: only what USB itself reports is known");
    for (const auto& p : row.probes)
      if (p.status != "ok")
        out.push_back("the probe by " + p.plugin + " failed (" + p.code + ")" +
                      (p.error.empty() ? "" : ": " + p.error));
    for (const auto& w : row.warnings) out.push_back(w);
    if (row.identifiers.empty()) out.push_back("no identifier was read from this device");
  }
  for (const auto& id : row.identifiers) identifier_limitations(id, out);
  if (row.source != RowSource::scan) return;
  if (row.transcripts.empty())
    out.push_back("no transcript recorded: what was asked of the phone cannot be shown");
  for (const auto& t : row.transcripts) {
    const std::string whose = "USB transcript" + (t.plugin.empty() ? "" : " of " + t.plugin);
    if (t.state == TranscriptState::not_recorded)
      out.push_back(whose + ": " + (t.problem.empty() ? "none recorded" : t.problem));
    else if (t.state != TranscriptState::listed)
      out.push_back(whose + ": " + t.problem);
    if (!t.outside_surface.empty())
      out.push_back(whose + ": requests outside the plugin's declared surface reached the device");
  }
}

ProbeView probe_view(const json& p) {
  ProbeView v{str(p, "plugin"),
              str(p, "plugin_version"),
              str(p, "status"),
              str(p, "code"),
              str(p, "error"),
              std::nullopt,
              {}};
  if (member(p, "duration_ms").is_number()) v.duration_ms = number_or(p, "duration_ms");
  for (const auto& c : array(p, "claims"))
    v.claims.push_back({str(c, "kind"), str(c, "value"), str(c, "method")});
  return v;
}

DeviceRow scan_row(const fs::path& dir, const json& record, const json& d,
                   const ReportLimits& limits) {
  DeviceRow row;
  row.source = RowSource::scan;
  row.location = str(d, "location");
  const std::string vid = str(d, "vendor_id"), pid = str(d, "product_id");
  if (!vid.empty() || !pid.empty()) row.usb_id = vid + ":" + pid;
  row.manufacturer = str(d, "manufacturer");
  if (row.manufacturer.empty()) row.manufacturer = str(d, "vendor_name");
  row.product = str(d, "product");
  if (row.product.empty()) row.product = str(d, "product_name");
  row.label =
      row.manufacturer + (row.manufacturer.empty() || row.product.empty() ? "" : " ") + row.product;
  if (row.label.empty()) row.label = "(unnamed device)";
  row.usb_serial = str(d, "serial_number");
  row.status = str(d, "status");
  for (const auto& p : array(d, "probes")) {
    row.probes.push_back(probe_view(p));
    if (member(p, "transcript").is_object()) {
      row.transcripts.push_back(read_transcript(dir, p["transcript"], str(p, "plugin"), limits));
    } else if (member(p, "transcript_missing").is_string()) {
      TranscriptView none;
      none.plugin = str(p, "plugin");
      none.problem = str(p, "transcript_missing");
      row.transcripts.push_back(std::move(none));
    }
  }
  // A transcript of the whole device, when a record keeps one there rather than per probe.
  if (member(d, "transcript").is_object())
    row.transcripts.push_back(read_transcript(dir, d["transcript"], "", limits));
  for (const auto& id : array(d, "identifiers")) row.identifiers.push_back(scan_identifier(id));
  for (const auto& f : array(d, "findings"))
    row.findings.push_back({str(f, "code"), str(f, "message"), str(f, "plugin")});
  for (const auto& w : array(d, "warnings"))
    if (w.is_string()) row.warnings.push_back("USB: " + w.get<std::string>());
  for (const auto& w : array(record, "warnings"))
    if (w.is_string()) row.warnings.push_back("workstation: " + w.get<std::string>());
  return row;
}

// The transcript's plugin library should be the one the records' tool description hashed.
void check_library_hashes(CaseReport& r) {
  for (auto& row : r.rows)
    for (auto& t : row.transcripts) {
      if (t.state != TranscriptState::listed || t.library_sha256.empty()) continue;
      bool named = false, same = false;
      for (const auto& s : r.software)
        if (s.kind == "plugin" && s.name == t.plugin_id) {
          named = true;
          same |= s.sha256 == t.library_sha256;
        }
      if (named && !same)
        t.notes.push_back("the transcript's plugin library (SHA-256 " + t.library_sha256 +
                          ") is not the one the records' tool description hashed");
    }
}

class Reader {
 public:
  Reader(fs::path dir, const ReportLimits& limits, CaseReport& r)
      : dir_(std::move(dir)), limits_(limits), r_(r) {}

  void record(const json& rec, uint64_t index, bool intact) {
    const std::string type = str(rec, "type");
    const uint64_t seq = unsigned_or(rec, "seq", index);
    add_unique(r_.header.operators, str(rec, "operator"));
    add_unique(r_.header.workstations, str(rec, "workstation"));
    r_.header.last_record = str(rec, "time");
    if (member(rec, "tool").is_object()) add_tool(r_, rec["tool"], seq);
    if (member(rec, "registers").is_array()) add_registers(r_, rec["registers"], seq);
    if (index == 0 && type == "case") {
      auto& h = r_.header;
      h.case_id = str(rec, "case_id");
      h.examiner = str(rec, "operator");
      h.exhibit = str(rec, "exhibit");
      h.note = str(rec, "note");
      h.workstation = str(rec, "workstation");
      h.dfx_version = str(rec, "dfx_version");
      h.key = str(rec, "key");
      h.opened = str(rec, "time");
    } else if (type == "scan") {
      if (member(rec, "device").is_object())
        add_row(rec, scan_row(dir_, rec, rec["device"], limits_), str(rec["device"], "verdict"),
                seq, intact);
      else
        ++r_.scans_without_devices;
    } else if (type == "check") {
      for (const auto& result : array(rec, "results")) {
        DeviceRow row;
        row.source = RowSource::check;
        row.identifiers.push_back(check_identifier(result));
        row.label = row.identifiers.back().input;
        if (const auto& dup = member(result, "duplicate_of"); dup.is_number_unsigned())
          row.limitations.push_back("the same identifier as input line " + dup.dump() +
                                    " of the batch");
        add_row(rec, std::move(row), str(result, "verdict"), seq, intact);
      }
    } else if (type == "watch") {
      ++r_.watch_records;
    } else if (type == "checkpoint" || type == "close") {
      r_.signatures.push_back({seq, type, str(rec, "time"), str(rec, "key"), str(rec, "signature"),
                               str(rec, "head_hash"), str(rec, "reason"),
                               unsigned_or(rec, "head_seq"), intact});
    } else if (type == "repair") {
      r_.repairs.push_back({seq, str(rec, "time"), str(rec, "removed_sha256"), str(rec, "reason"),
                            unsigned_or(rec, "removed_bytes")});
    } else if (type != "workstation" && type != "case") {
      r_.problems.push_back("record " + std::to_string(seq) + " is of type \"" + type +
                            "\", which this report does not itemise");
    }
  }

 private:
  void add_row(const json& rec, DeviceRow row, const std::string& verdict, uint64_t seq,
               bool intact) {
    row.seq = seq;
    row.time = str(rec, "time");
    row.operator_name = str(rec, "operator");
    row.workstation = str(rec, "workstation");
    const auto& v = r_.verification;
    row.integrity = !intact                                         ? Integrity::not_verified
                    : static_cast<int64_t>(seq) <= v.signed_through ? Integrity::signed_by_key
                                                                    : Integrity::chained;
    row.verdict = normalized_verdict(verdict);
    row_limitations(row, verdict);
    r_.rows.push_back(std::move(row));
  }

  fs::path dir_;
  const ReportLimits& limits_;
  CaseReport& r_;
};

}  // namespace

std::string_view to_string(TranscriptState state) {
  switch (state) {
    case TranscriptState::listed:
      return "listed";
    case TranscriptState::not_recorded:
      return "not recorded";
    case TranscriptState::missing:
      return "missing";
    case TranscriptState::mismatch:
      return "not as recorded";
    case TranscriptState::unreadable:
      return "unreadable";
  }
  return "?";
}

std::string_view to_string(RowSource source) {
  return source == RowSource::scan ? "scan" : "check";
}

std::string_view to_string(Integrity integrity) {
  switch (integrity) {
    case Integrity::signed_by_key:
      return "signed";
    case Integrity::chained:
      return "chain only";
    case Integrity::not_verified:
      return "NOT VERIFIED";
  }
  return "?";
}

ReportSummary summarize(const CaseReport& report) {
  ReportSummary s;
  for (const auto& row : report.rows) {
    ++(row.source == RowSource::scan ? s.scanned : s.checked);
    if (row.verdict == "flagged") ++s.flagged;
    if (row.verdict == "clear") ++s.clear;
    if (row.verdict == "unknown") ++s.unknown;
    if (row.verdict == "invalid") ++s.invalid;
  }
  return s;
}

Result<CaseReport> read_case_report(const fs::path& dir, const ReportLimits& limits) {
  bool absent = false;
  const auto content = read_case_file(dir / kRecordsFile, limits.max_records_bytes, &absent);
  if (!content)
    return fail(absent ? "no case at " + dir.string() + " (no " + kRecordsFile + ")"
                       : content.error().message);
  // The project's own verification (chain, signatures and the files the records name), so that
  // the report says exactly what `dfx case verify` says.
  auto verification = verify_case(dir);
  if (!verification) return tl::unexpected(verification.error());
  CaseReport r;
  r.folder = dir.string();
  r.generated = utc_now_iso8601();
  r.generated_by = kVersion;
  r.verification = std::move(*verification);
  Reader reader(dir, limits, r);
  uint64_t index = 0, line_no = 0;
  for (std::size_t at = 0; at < content->size();) {
    const std::size_t nl = content->find('\n', at);
    const std::size_t end = nl == std::string::npos ? content->size() : nl;
    const std::string_view line = std::string_view(*content).substr(at, end - at);
    at = end + 1;
    ++line_no;
    const json rec = json::parse(line, nullptr, false);
    if (rec.is_discarded() || !rec.is_object()) {
      r.problems.push_back("line " + std::to_string(line_no) + " (" + std::to_string(line.size()) +
                           " bytes) is not a JSON record" +
                           (nl == std::string::npos ? " (a torn last line)" : "") +
                           ": not in this report");
      continue;
    }
    reader.record(rec, index, index < r.verification.records);
    ++index;
  }
  check_library_hashes(r);
  return r;
}

}  // namespace dfx::evidence
