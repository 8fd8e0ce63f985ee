// The CSV form of a case report, for a depot's property system: one header row, then one row per
// scanned device or checked identifier, with the identifiers a property system keys on in their
// own columns. Fields are written by the one CSV writer of dfx (text/csv_writer.hpp): RFC 4180
// quoting, control characters escaped, and a cell starting with = + - @ written as '<cell> so
// that a spreadsheet shows a hostile value instead of running it as a formula.
#include <algorithm>
#include <string>
#include <vector>

#include "evidence/report_render.hpp"
#include "text/csv_writer.hpp"

namespace dfx::evidence {
namespace {

const std::vector<std::string> kColumns = {"case_id",       "exhibit",
                                           "case_verifies", "chain_head",
                                           "row",           "source",
                                           "record",        "record_time",
                                           "operator",      "workstation",
                                           "integrity",     "verdict",
                                           "device",        "manufacturer",
                                           "model",         "usb_id",
                                           "usb_location",  "usb_serial",
                                           "imei",          "meid",
                                           "serial",        "other_identifiers",
                                           "flagged_by",    "findings",
                                           "limitations",   "transcript"};

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts)
    if (!p.empty()) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string value_of(const IdentifierView& id) {
  return id.canonical.empty() ? id.input : id.canonical;
}

// The values of identifiers of `kind`, or (kind empty) those of every other kind as kind:value.
std::string identifiers(const DeviceRow& row, const std::string& kind) {
  static const std::vector<std::string> own = {"imei", "meid", "serial"};
  std::vector<std::string> out;
  for (const auto& id : row.identifiers) {
    if (!kind.empty() && id.kind == kind) out.push_back(value_of(id));
    const bool has_column = std::find(own.begin(), own.end(), id.kind) != own.end();
    if (kind.empty() && !has_column)
      out.push_back((id.kind.empty() ? std::string("value") : id.kind) + ":" + value_of(id) +
                    (id.valid ? "" : " (invalid)"));
  }
  return joined(out);
}

std::string hits(const DeviceRow& row) {
  std::vector<std::string> out;
  for (const auto& id : row.identifiers)
    for (const auto& h : id.hits)
      out.push_back(h.register_id + ": " + h.status +
                    (h.reported_at.empty() ? "" : ", reported " + h.reported_at) +
                    (h.reporting_party.empty() ? "" : " by " + h.reporting_party) +
                    (h.reference.empty() ? "" : ", ref " + h.reference));
  return joined(out);
}

std::string transcripts(const DeviceRow& row) {
  if (row.source == RowSource::check) return "";
  if (row.transcripts.empty()) return "no transcript recorded";
  std::vector<std::string> out;
  for (const auto& t : row.transcripts) {
    std::string s = (t.plugin.empty() ? std::string("device") : t.plugin) + ": " +
                    std::string(to_string(t.state));
    if (t.state == TranscriptState::listed) {
      uint64_t refused = 0;
      for (const auto& x : t.listed) refused += x.reached_device ? 0 : 1;
      s += " (" + std::to_string(t.listed.size() + t.not_listed) + " requests, " +
           std::to_string(refused) + " refused by dfx)";
    } else if (!t.problem.empty()) {
      s += " (" + t.problem + ")";
    }
    out.push_back(s);
  }
  return joined(out);
}

}  // namespace

std::string render_csv(const CaseReport& r) {
  text::OutputBuffer out;
  for (std::size_t i = 0; i < kColumns.size(); ++i)
    text::write_csv_field(out, kColumns[i], i + 1 == kColumns.size());
  const auto& v = r.verification;
  const std::string verifies =
      v.ok() ? "yes" : "NO (" + std::string(to_string(v.problem)) + "): " + v.message;
  std::size_t n = 0;
  for (const auto& row : r.rows) {
    std::vector<std::string> findings;
    for (const auto& f : row.findings) findings.push_back(f.code + ": " + f.message);
    const std::vector<std::string> cells = {r.header.case_id,
                                            r.header.exhibit,
                                            verifies,
                                            v.head_hash,
                                            std::to_string(++n),
                                            std::string(to_string(row.source)),
                                            std::to_string(row.seq),
                                            row.time,
                                            row.operator_name,
                                            row.workstation,
                                            std::string(to_string(row.integrity)),
                                            verdict_label(row.verdict),
                                            row.label,
                                            row.manufacturer,
                                            row.product,
                                            row.usb_id,
                                            row.location,
                                            row.usb_serial,
                                            identifiers(row, "imei"),
                                            identifiers(row, "meid"),
                                            identifiers(row, "serial"),
                                            identifiers(row, ""),
                                            hits(row),
                                            joined(findings),
                                            joined(row.limitations),
                                            transcripts(row)};
    for (std::size_t i = 0; i < cells.size(); ++i)
      text::write_csv_field(out, cells[i], i + 1 == cells.size());
  }
  return std::string(out.view());
}

}  // namespace dfx::evidence
