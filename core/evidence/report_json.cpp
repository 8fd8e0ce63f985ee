// The JSON form of a case report: the model as it is, names as in case_report.hpp.
#include "evidence/report_render.hpp"

namespace dfx::evidence {
namespace {

using nlohmann::json;

template <typename T>
json optional_json(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json identifier_json(const IdentifierView& id) {
  json sources = json::array(), hits = json::array(), registers = json::array();
  for (const auto& s : id.sources)
    sources.push_back(
        {{"plugin", s.plugin}, {"claim", s.claim}, {"value", s.value}, {"method", s.method}});
  for (const auto& h : id.hits)
    hits.push_back({{"register", h.register_id},
                    {"status", h.status},
                    {"reported_at", h.reported_at},
                    {"reporting_party", h.reporting_party},
                    {"reference", h.reference}});
  for (const auto& a : id.registers)
    registers.push_back({{"id", a.register_id},
                         {"outcome", a.outcome},
                         {"latency_ms", optional_json(a.latency_ms)},
                         {"asked_at", a.asked_at},
                         {"answer_sha256", a.answer_sha256},
                         {"error", a.error}});
  return {{"kind", id.kind},           {"canonical", id.canonical}, {"input", id.input},
          {"valid", id.valid},         {"error", id.error},         {"verdict", id.verdict},
          {"not_clear", id.not_clear}, {"conflict", id.conflict},   {"brand", id.brand},
          {"model", id.model},         {"sources", sources},        {"hits", hits},
          {"registers", registers}};
}

json transcript_json(const TranscriptView& t) {
  json requests = json::array();
  for (const auto& x : t.listed)
    requests.push_back({{"n", x.n},
                        {"op", x.op},
                        {"request", x.request},
                        {"length", optional_json(x.length)},
                        {"status", x.status},
                        {"reached_device", x.reached_device},
                        {"message", x.message}});
  return {{"state", std::string(to_string(t.state))},
          {"plugin", t.plugin},
          {"file", t.file},
          {"sha256", t.sha256},
          {"problem", t.problem},
          {"bytes", optional_json(t.bytes)},
          {"exchanges", optional_json(t.exchanges)},
          {"reached_device", optional_json(t.reached_device)},
          {"refused", optional_json(t.refused)},
          {"statement", t.statement},
          {"outside_declared_surface", t.outside_surface},
          {"plugin_id", t.plugin_id},
          {"plugin_version", t.plugin_version},
          {"library_sha256", t.library_sha256},
          {"started", t.started},
          {"requests", requests},
          {"not_listed", t.not_listed},
          {"notes", t.notes}};
}

json row_json(const DeviceRow& row) {
  json ids = json::array();
  for (const auto& id : row.identifiers) ids.push_back(identifier_json(id));
  json j = {{"source", std::string(to_string(row.source))},
            {"record", row.seq},
            {"time", row.time},
            {"operator", row.operator_name},
            {"workstation", row.workstation},
            {"integrity", std::string(to_string(row.integrity))},
            {"verdict", row.verdict},
            {"label", row.label},
            {"identifiers", ids},
            {"limitations", row.limitations}};
  if (row.source == RowSource::check) return j;
  json probes = json::array(), findings = json::array(), transcripts = json::array();
  for (const auto& p : row.probes) {
    json claims = json::array();
    for (const auto& c : p.claims)
      claims.push_back({{"kind", c.kind}, {"value", c.value}, {"method", c.method}});
    probes.push_back({{"plugin", p.plugin},
                      {"version", p.version},
                      {"status", p.status},
                      {"code", p.code},
                      {"error", p.error},
                      {"duration_ms", optional_json(p.duration_ms)},
                      {"claims", claims}});
  }
  for (const auto& f : row.findings)
    findings.push_back({{"code", f.code}, {"message", f.message}, {"plugin", f.plugin}});
  for (const auto& t : row.transcripts) transcripts.push_back(transcript_json(t));
  j.update({{"location", row.location},
            {"usb_id", row.usb_id},
            {"manufacturer", row.manufacturer},
            {"product", row.product},
            {"usb_serial", row.usb_serial},
            {"status", row.status},
            {"probes", probes},
            {"findings", findings},
            {"warnings", row.warnings},
            {"transcripts", transcripts}});
  return j;
}

}  // namespace

json report_json(const CaseReport& r) {
  const auto& v = r.verification;
  const auto& h = r.header;
  const ReportSummary s = summarize(r);
  json software = json::array(), signatures = json::array(), repairs = json::array(),
       rows = json::array();
  for (const auto& i : r.software)
    software.push_back({{"kind", i.kind},
                        {"name", i.name},
                        {"version", i.version},
                        {"path", i.path},
                        {"sha256", i.sha256},
                        {"error", i.error},
                        {"first_record", i.first_seq},
                        {"records", i.records}});
  for (const auto& g : r.signatures)
    signatures.push_back({{"record", g.seq},
                          {"type", g.type},
                          {"time", g.time},
                          {"head_seq", g.head_seq},
                          {"head_hash", g.head_hash},
                          {"key", g.key},
                          {"signature", g.signature},
                          {"reason", g.reason},
                          {"verified", g.verified}});
  for (const auto& p : r.repairs)
    repairs.push_back({{"record", p.seq},
                       {"time", p.time},
                       {"removed_bytes", p.removed_bytes},
                       {"removed_sha256", p.removed_sha256},
                       {"reason", p.reason}});
  for (const auto& row : r.rows) rows.push_back(row_json(row));
  return {{"schema", kReportSchema},
          {"generated", r.generated},
          {"generated_by", r.generated_by},
          {"redacted", r.redacted},
          {"folder", r.folder},
          {"verification",
           {{"ok", v.ok()},
            {"problem", std::string(to_string(v.problem))},
            {"message", v.message},
            {"records", v.records},
            {"head_hash", v.head_hash},
            {"signed_through", v.signed_through},
            {"closed", v.closed},
            {"keys", v.keys}}},
          {"case",
           {{"case_id", h.case_id},
            {"examiner", h.examiner},
            {"exhibit", h.exhibit},
            {"note", h.note},
            {"workstation", h.workstation},
            {"dfx_version", h.dfx_version},
            {"key", h.key},
            {"opened", h.opened},
            {"last_record", h.last_record},
            {"operators", h.operators},
            {"workstations", h.workstations}}},
          {"software", software},
          {"signatures", signatures},
          {"repairs", repairs},
          {"summary",
           {{"scanned_devices", s.scanned},
            {"checked_identifiers", s.checked},
            {"flagged", s.flagged},
            {"clear", s.clear},
            {"unknown", s.unknown},
            {"invalid", s.invalid},
            {"scans_without_devices", r.scans_without_devices},
            {"watch_records", r.watch_records}}},
          {"devices", rows},
          {"problems", r.problems}};
}

}  // namespace dfx::evidence
