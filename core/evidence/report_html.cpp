// The HTML form of a case report: one file that prints as a court bundle exhibit. Inline CSS
// only, no script and nothing fetched, so the file shows the same wherever it is opened and
// cannot change or call out once it is in a bundle. Every value is first made printable (control
// and bidirectional characters escaped: text/terminal.hpp) and then HTML-escaped: a device's
// strings and a plugin's messages are hostile input.
#include <cstdio>
#include <string>
#include <vector>

#include "evidence/report_render.hpp"
#include "text/terminal.hpp"

namespace dfx::evidence {
namespace {

// A4 portrait at print; each scanned device starts a page. Verdicts are in words as well as
// colours (a bundle may be photocopied in black and white): FLAGGED is in capitals and bold.
constexpr const char* kStyle = R"(
@page { size: A4; margin: 14mm 12mm; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt;
  color: #111; margin: 20px; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 4px; }
h2 { font-size: 13pt; margin: 20px 0 6px; border-bottom: 2px solid #444; padding-bottom: 2px; }
h3 { font-size: 11pt; margin: 14px 0 4px; }
h4 { font-size: 10pt; margin: 10px 0 4px; }
p.sub { margin: 0; color: #333; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { border: 1px solid #aaa; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
table.kv th { width: 24%; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
.mono { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.5pt;
  word-break: break-all; }
.ident { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.5pt;
  white-space: nowrap; }
.time { white-space: nowrap; font-size: 8.5pt; }
.verdict { font-weight: bold; white-space: nowrap; padding: 1px 6px; border-radius: 3px; }
.v-flagged { background: #b00020; color: #fff; font-size: 110%; }
.v-clear { background: #dcefdc; color: #14532d; }
.v-unknown { background: #fff0c2; color: #5c4400; }
.v-invalid { background: #eee0f3; color: #4a148c; }
tr.flagged td { background: #fde8ea; font-weight: bold; }
tr.flagged td:first-child { border-left: 6px solid #b00020; }
tr.refused td { color: #7a4d00; background: #fff7e0; }
.banner { border: 3px solid; padding: 8px 12px; margin: 12px 0; }
.banner.ok { border-color: #2e7d32; background: #edf7ed; }
.banner.bad { border-color: #b00020; background: #fdecea; font-size: 11pt; }
.integrity-bad { color: #b00020; font-weight: bold; }
section.device { break-before: page; page-break-before: always; }
section.check { break-inside: avoid; page-break-inside: avoid; }
section.first-check { break-before: page; page-break-before: always; }
.none { color: #555; font-style: italic; }
footer { margin-top: 24px; border-top: 1px solid #999; color: #444; font-size: 9pt; }
@media print { body { margin: 0; } a { color: inherit; text-decoration: none; } }
)";

// Printable, then escaped for HTML text and attribute values alike.
std::string esc(std::string_view s) {
  const std::string p = text::printable(s);
  std::string out;
  out.reserve(p.size());
  for (char c : p) switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  return out;
}

std::string or_dash(std::string_view s) {
  return s.empty() ? "&#8211;" : esc(s);
}
std::string mono(std::string_view s) {
  return "<span class=\"mono\">" + or_dash(s) + "</span>";
}

// An identifier is read whole, so it is not broken across lines; a value too long to be one (a
// hostile input) may be, so that it cannot push a table off the printed page.
std::string ident(std::string_view s) {
  if (s.size() > 40) return mono(s);
  return "<span class=\"ident\">" + or_dash(s) + "</span>";
}

std::string time_cell(std::string_view s) {
  return "<span class=\"time\">" + or_dash(s) + "</span>";
}

std::string verdict_span(const std::string& verdict) {
  return "<span class=\"verdict v-" + esc(verdict) + "\">" + esc(verdict_label(verdict)) +
         "</span>";
}

std::string integrity_text(Integrity i) {
  const std::string t = esc(to_string(i));
  return i == Integrity::not_verified ? "<span class=\"integrity-bad\">" + t + "</span>" : t;
}

std::string milliseconds(const std::optional<double>& ms) {
  if (!ms) return "&#8211;";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f ms", *ms);
  return buf;
}

class Writer {
 public:
  explicit Writer(const CaseReport& r) : r_(r) {}

  std::string document() {
    const auto& h = r_.header;
    out_ +=
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Case report " +
        esc(h.case_id) + "</title>\n<style>" + kStyle + "</style></head>\n<body>\n";
    out_ += "<h1>dfx case report: " + esc(h.case_id) + "</h1>\n<p class=\"sub\">Exhibit " +
            or_dash(h.exhibit) + " &#183; examiner " + or_dash(h.examiner) +
            " &#183; report made " + esc(r_.generated) + " (UTC) by dfx " + esc(r_.generated_by) +
            " &#183; " +
            (r_.redacted ? "identifiers REDACTED: all but their last four characters masked"
                         : "identifiers shown in full") +
            "</p>\n";
    banner();
    case_header();
    verification();
    software();
    device_table();
    bool first_check = true;
    for (std::size_t i = 0; i < r_.rows.size(); ++i) {
      if (r_.rows[i].source == RowSource::scan) {
        device_details(r_.rows[i], i + 1);
      } else {
        check_details(r_.rows[i], i + 1, first_check);
        first_check = false;
      }
    }
    out_ += "<footer>End of the report of case " + esc(h.case_id) + ": " +
            std::to_string(r_.rows.size()) + " rows from " +
            std::to_string(r_.verification.records) +
            " verified records. Verify the case itself "
            "with <span class=\"mono\">dfx case verify</span>; this report is a reading of it, "
            "not a substitute.</footer>\n</body></html>\n";
    return std::move(out_);
  }

 private:
  void kv(const std::string& key, const std::string& html_value) {
    out_ += "<tr><th>" + key + "</th><td>" + html_value + "</td></tr>\n";
  }

  void list(const std::vector<std::string>& items, const char* none) {
    if (items.empty()) {
      out_ += std::string("<p class=\"none\">") + none + "</p>\n";
      return;
    }
    out_ += "<ul>\n";
    for (const auto& i : items) out_ += "<li>" + esc(i) + "</li>\n";
    out_ += "</ul>\n";
  }

  const SignatureEntry* last_signature() const {
    const SignatureEntry* last = nullptr;
    for (const auto& s : r_.signatures)
      if (s.verified) last = &s;
    return last;
  }

  void banner() {
    const auto& v = r_.verification;
    if (!v.ok()) {
      out_ += "<div class=\"banner bad\"><strong>THIS CASE DOES NOT VERIFY (" +
              esc(to_string(v.problem)) + ").</strong> " + esc(v.message) +
              "<br>This report shows the records as they are. Rows marked NOT VERIFIED come from "
              "records at or after the problem: nothing vouches for them, and they must be "
              "examined before anything is concluded from them.</div>\n";
      return;
    }
    out_ += "<div class=\"banner ok\"><strong>The case verifies:</strong> " +
            std::to_string(v.records) +
            " records, every hash, link and signature holds; chain head " + mono(v.head_hash) +
            ". ";
    if (const auto* s = last_signature())
      out_ += "Signed through record " + std::to_string(v.signed_through) + " by key " +
              mono(s->key) + " (" + esc(s->type) + ", record " + std::to_string(s->seq) +
              "), signature " + mono(s->signature) + ". ";
    else
      out_ += "No signature covers any record: the records are protected by the chain alone. ";
    if (v.signed_through + 1 < static_cast<int64_t>(v.records) && v.signed_through >= 0)
      out_ += "Records after " + std::to_string(v.signed_through) +
              " are protected by the chain alone. ";
    out_ += v.closed ? "The case is closed.</div>\n" : "The case is open.</div>\n";
  }

  void case_header() {
    const auto& h = r_.header;
    out_ += "<h2>Case</h2>\n<table class=\"kv\">\n";
    kv("Case", or_dash(h.case_id));
    kv("Exhibit", or_dash(h.exhibit));
    kv("Examiner", or_dash(h.examiner));
    std::string operators;
    for (const auto& o : h.operators) operators += (operators.empty() ? "" : ", ") + esc(o);
    kv("Operators of the records", operators.empty() ? "&#8211;" : operators);
    kv("Note", or_dash(h.note));
    std::string stations;
    for (const auto& w : h.workstations) stations += (stations.empty() ? "" : ", ") + esc(w);
    kv("Workstations", stations.empty() ? "&#8211;" : stations);
    kv("Case opened (UTC)", or_dash(h.opened));
    kv("Last record (UTC)", or_dash(h.last_record));
    kv("Opened with", "dfx " + or_dash(h.dfx_version));
    kv("Workstation key of the case", mono(h.key));
    kv("Case folder", mono(r_.folder));
    kv("Report made (UTC)", esc(r_.generated) + " by dfx " + esc(r_.generated_by));
    out_ += "</table>\n";
  }

  void verification() {
    const auto& v = r_.verification;
    out_ += "<h2>Verification</h2>\n<table class=\"kv\">\n";
    kv("Status", v.ok() ? "verifies"
                        : "<strong>DOES NOT VERIFY (" + esc(to_string(v.problem)) +
                              ")</strong>: " + esc(v.message));
    kv("Records verified", std::to_string(v.records));
    kv("Chain head (hash of the last verified record)", mono(v.head_hash));
    kv("Signed through record", v.signed_through < 0 ? "none" : std::to_string(v.signed_through));
    kv("Closed", v.closed ? "yes" : "no");
    std::string keys;
    for (const auto& k : v.keys) keys += (keys.empty() ? "" : "<br>") + mono(k);
    kv("Workstation keys the case introduced", keys.empty() ? "&#8211;" : keys);
    out_ += "</table>\n<h3>Signatures</h3>\n";
    if (r_.signatures.empty())
      out_ += "<p class=\"none\">No checkpoint or close record.</p>\n";
    else {
      out_ +=
          "<table><thead><tr><th>Record</th><th>Type</th><th>Time (UTC)</th><th>Signs "
          "record</th><th>Head hash</th><th>Key</th><th>Signature</th><th>Checked</th></tr>"
          "</thead>\n";
      for (const auto& s : r_.signatures)
        out_ += "<tr><td>" + std::to_string(s.seq) + "</td><td>" + esc(s.type) + "</td><td>" +
                time_cell(s.time) + "</td><td>" + std::to_string(s.head_seq) + "</td><td>" +
                mono(s.head_hash) + "</td><td>" + mono(s.key) + "</td><td>" + mono(s.signature) +
                "</td><td>" +
                (s.verified ? "valid" : "<span class=\"integrity-bad\">NOT VERIFIED</span>") +
                "</td></tr>\n";
      out_ += "</table>\n";
    }
    if (!r_.repairs.empty()) {
      out_ += "<h3>Repairs</h3>\n<ul>\n";
      for (const auto& p : r_.repairs)
        out_ += "<li>Record " + std::to_string(p.seq) + " (" + esc(p.time) + "): removed " +
                std::to_string(p.removed_bytes) + " bytes, SHA-256 " + mono(p.removed_sha256) +
                ": " + esc(p.reason) + "</li>\n";
      out_ += "</ul>\n";
    }
    if (!r_.problems.empty()) {
      out_ += "<h3>Lines not in this report</h3>\n";
      list(r_.problems, "");
    }
  }

  void software() {
    out_ += "<h2>Tool and plugin versions</h2>\n";
    if (r_.software.empty()) {
      out_ += "<p class=\"none\">No record describes the tool.</p>\n";
      return;
    }
    out_ +=
        "<table><thead><tr><th>Kind</th><th>Name</th><th>Version</th><th>SHA-256</th>"
        "<th>Path</th><th>First record</th><th>Records</th></tr></thead>\n";
    for (const auto& s : r_.software)
      out_ += "<tr><td>" + esc(s.kind) + "</td><td>" + esc(s.name) + "</td><td>" +
              or_dash(s.version) + "</td><td>" +
              (s.sha256.empty() ? "<strong>not hashed</strong>: " + esc(s.error) : mono(s.sha256)) +
              "</td><td>" + mono(s.path) + "</td><td>" + std::to_string(s.first_seq) + "</td><td>" +
              std::to_string(s.records) + "</td></tr>\n";
    out_ += "</table>\n";
  }

  static std::string identifier_list(const DeviceRow& row) {
    std::string out;
    for (const auto& id : row.identifiers) {
      const std::string& v = id.canonical.empty() ? id.input : id.canonical;
      out +=
          (out.empty() ? "" : "<br>") + esc(id.kind.empty() ? "value" : id.kind) + " " + ident(v);
    }
    return out.empty() ? "&#8211;" : out;
  }

  void device_table() {
    const ReportSummary s = summarize(r_);
    out_ += "<h2>Devices and identifiers</h2>\n<p>" + std::to_string(s.scanned) +
            " devices scanned, " + std::to_string(s.checked) + " identifiers checked: <strong>" +
            std::to_string(s.flagged) + " FLAGGED</strong>, " + std::to_string(s.clear) +
            " clear, " + std::to_string(s.unknown) + " unknown, " + std::to_string(s.invalid) +
            " invalid.";
    if (r_.scans_without_devices > 0)
      out_ += " " + std::to_string(r_.scans_without_devices) + " scans found no USB device.";
    if (r_.watch_records > 0)
      out_ += " The case also holds " + std::to_string(r_.watch_records) +
              " watch records (phones arriving and leaving), not itemised here.";
    out_ += "</p>\n";
    if (r_.rows.empty()) {
      out_ += "<p class=\"none\">The case records no device and no checked identifier.</p>\n";
      return;
    }
    out_ +=
        "<table><thead><tr><th>#</th><th>Source</th><th>Record</th><th>Time (UTC)</th>"
        "<th>Device or value</th><th>Identifiers</th><th>Verdict</th><th>Integrity</th></tr>"
        "</thead>\n";
    for (std::size_t i = 0; i < r_.rows.size(); ++i) {
      const auto& row = r_.rows[i];
      const std::string n = std::to_string(i + 1);
      out_ += std::string("<tr") + (row.verdict == "flagged" ? " class=\"flagged\"" : "") +
              "><td><a href=\"#row-" + n + "\">" + n + "</a></td><td>" +
              esc(to_string(row.source)) + "</td><td>" + std::to_string(row.seq) + "</td><td>" +
              time_cell(row.time) + "</td><td>" + esc(row.label) + "</td><td>" +
              identifier_list(row) + "</td><td>" + verdict_span(row.verdict) + "</td><td>" +
              integrity_text(row.integrity) + "</td></tr>\n";
    }
    out_ += "</table>\n";
  }

  void registers(const std::vector<IdentifierView>& ids) {
    std::string rows;
    for (const auto& id : ids)
      for (const auto& a : id.registers) {
        std::string records;
        for (const auto& h : id.hits)
          if (h.register_id == a.register_id)
            records += (records.empty() ? "" : "<br>") + esc(h.status) +
                       (h.reported_at.empty() ? "" : ", reported " + esc(h.reported_at)) +
                       (h.reporting_party.empty() ? "" : " by " + esc(h.reporting_party)) +
                       (h.reference.empty() ? "" : ", reference " + esc(h.reference));
        rows += "<tr><td>" + esc(id.kind) + " " + ident(id.canonical) + "</td><td>" +
                esc(a.register_id) + "</td><td>" + esc(a.outcome) + "</td><td>" +
                milliseconds(a.latency_ms) + "</td><td>" + time_cell(a.asked_at) + "</td><td>" +
                mono(a.answer_sha256) + "</td><td>" + (records.empty() ? "&#8211;" : records) +
                "</td><td>" + or_dash(a.error) + "</td></tr>\n";
      }
    if (rows.empty()) {
      out_ += "<p class=\"none\">No register was asked.</p>\n";
      return;
    }
    out_ +=
        "<table><thead><tr><th>Identifier</th><th>Register</th><th>Outcome</th><th>Latency"
        "</th><th>Asked (UTC)</th><th>SHA-256 of the answer</th><th>Records (status, date, "
        "reporting party, reference)</th><th>Error</th></tr>"
        "</thead>\n" +
        rows + "</table>\n";
  }

  void transcript(const TranscriptView& t) {
    const std::string state = t.state == TranscriptState::listed
                                  ? "the file is the one recorded; its requests are listed"
                                  : esc(to_string(t.state));
    out_ += "<h4>Transcript of " + (t.plugin.empty() ? std::string("the device") : esc(t.plugin)) +
            ": " + state + "</h4>\n";
    if (t.state == TranscriptState::not_recorded) {
      out_ += "<p>No transcript recorded" + (t.problem.empty() ? "" : ": " + esc(t.problem)) +
              ".</p>\n";
      return;
    }
    out_ += "<p>File " + mono(t.file) + ", SHA-256 " + mono(t.sha256) + ".";
    if (t.exchanges)
      out_ += " The record counts " + std::to_string(*t.exchanges) + " requests" +
              (t.reached_device ? ", " + std::to_string(*t.reached_device) + " reached the device"
                                : "") +
              (t.refused ? ", " + std::to_string(*t.refused) + " refused by dfx" : "") + ".";
    if (!t.statement.empty()) out_ += " " + esc(t.statement) + ".";
    out_ += "</p>\n";
    if (!t.outside_surface.empty()) {
      out_ +=
          "<p><strong>Requests outside the plugin's declared surface reached the device:"
          "</strong></p>\n";
      list(t.outside_surface, "");
    }
    if (t.state != TranscriptState::listed) {
      out_ += "<p><strong>" + esc(t.problem) + "</strong></p>\n";
      list(t.notes, "");
      return;
    }
    out_ += "<p>Recorded by " + or_dash(t.plugin_id) + " " + or_dash(t.plugin_version) +
            " (library SHA-256 " + mono(t.library_sha256) + "), started " + or_dash(t.started) +
            " (UTC).</p>\n";
    if (t.listed.empty()) {
      out_ += "<p class=\"none\">The transcript holds no request.</p>\n";
    } else {
      out_ +=
          "<table><thead><tr><th>#</th><th>Operation</th><th>Request</th><th>Length</th>"
          "<th>Status</th></tr></thead>\n";
      for (const auto& x : t.listed) {
        const std::string status =
            x.reached_device ? esc(x.status) + (x.message.empty() ? "" : ": " + esc(x.message))
                             : "refused by dfx, never sent (" + esc(x.status) + ")" +
                                   (x.message.empty() ? "" : ": " + esc(x.message));
        out_ += std::string("<tr") + (x.reached_device ? "" : " class=\"refused\"") + "><td>" +
                std::to_string(x.n) + "</td><td>" + esc(x.op) + "</td><td>" + or_dash(x.request) +
                "</td><td>" + (x.length ? std::to_string(*x.length) : "&#8211;") + "</td><td>" +
                status + "</td></tr>\n";
      }
      if (t.not_listed > 0)
        out_ += "<tr><td colspan=\"5\">... " + std::to_string(t.not_listed) +
                " more requests, not listed here (see the transcript file)</td></tr>\n";
      out_ += "</table>\n";
    }
    if (!t.notes.empty()) list(t.notes, "");
  }

  void record_rows(const DeviceRow& row) {
    kv("Record", std::to_string(row.seq) + " (" + esc(to_string(row.source)) + "), " +
                     esc(row.time) + " UTC, operator " + or_dash(row.operator_name) +
                     ", workstation " + or_dash(row.workstation));
    kv("Integrity", integrity_text(row.integrity));
  }

  void device_details(const DeviceRow& row, std::size_t n) {
    out_ += "<section class=\"device\" id=\"row-" + std::to_string(n) + "\">\n<h2>" +
            std::to_string(n) + ". Device: " + esc(row.label) + " &#8212; " +
            verdict_span(row.verdict) + "</h2>\n<table class=\"kv\">\n";
    record_rows(row);
    kv("USB", "location " + or_dash(row.location) + ", id " + or_dash(row.usb_id));
    kv("Manufacturer", or_dash(row.manufacturer));
    kv("Product", or_dash(row.product));
    kv("USB serial number", ident(row.usb_serial));
    kv("Probe status", or_dash(row.status));
    out_ += "</table>\n<h3>Identifiers and where they were read</h3>\n";
    if (row.identifiers.empty()) {
      out_ += "<p class=\"none\">No identifier was read.</p>\n";
    } else {
      out_ +=
          "<table><thead><tr><th>Kind</th><th>Value</th><th>Verdict</th><th>TAC brand and "
          "model</th><th>Read by (plugin, claim, value as read, method)</th></tr></thead>\n";
      for (const auto& id : row.identifiers) {
        std::string sources;
        for (const auto& s : id.sources)
          sources += (sources.empty() ? "" : "<br>") + esc(s.plugin) + ", " + esc(s.claim) + ", " +
                     ident(s.value) + ", " + esc(s.method);
        out_ += "<tr><td>" + esc(id.kind) + "</td><td>" +
                (id.valid ? ident(id.canonical) : "invalid: " + esc(id.error)) + "</td><td>" +
                verdict_span(id.verdict.empty() ? "unknown" : id.verdict) + "</td><td>" +
                or_dash(id.brand + (id.model.empty() ? "" : " " + id.model)) + "</td><td>" +
                (sources.empty() ? "&#8211;" : sources) + "</td></tr>\n";
      }
      out_ += "</table>\n";
    }
    out_ += "<h3>Register answers</h3>\n";
    registers(row.identifiers);
    out_ += "<h3>Findings</h3>\n";
    std::vector<std::string> findings;
    for (const auto& f : row.findings)
      findings.push_back(f.code + ": " + f.message +
                         (f.plugin.empty() ? "" : " (" + f.plugin + ")"));
    list(findings, "None.");
    out_ += "<h3>Limitations</h3>\n";
    list(row.limitations, "None recorded.");
    out_ += "<h3>Probes and claims</h3>\n";
    if (row.probes.empty()) {
      out_ += "<p class=\"none\">No plugin probed the device.</p>\n";
    } else {
      out_ +=
          "<table><thead><tr><th>Plugin</th><th>Version</th><th>Status</th><th>Duration</th>"
          "<th>Claims (kind, value, method)</th><th>Error</th></tr></thead>\n";
      for (const auto& p : row.probes) {
        std::string claims;
        for (const auto& c : p.claims)
          claims += (claims.empty() ? "" : "<br>") + esc(c.kind) + " " + ident(c.value) + " (" +
                    esc(c.method) + ")";
        out_ +=
            "<tr><td>" + esc(p.plugin) + "</td><td>" + or_dash(p.version) + "</td><td>" +
            esc(p.status) + (p.code.empty() || p.code == p.status ? "" : " (" + esc(p.code) + ")") +
            "</td><td>" + milliseconds(p.duration_ms) + "</td><td>" +
            (claims.empty() ? "&#8211;" : claims) + "</td><td>" + or_dash(p.error) + "</td></tr>\n";
      }
      out_ += "</table>\n";
    }
    out_ += "<h3>Requests sent to the phone</h3>\n";
    if (row.transcripts.empty()) out_ += "<p>No transcript recorded.</p>\n";
    for (const auto& t : row.transcripts) transcript(t);
    out_ += "</section>\n";
  }

  void check_details(const DeviceRow& row, std::size_t n, bool first) {
    out_ += std::string("<section class=\"check") + (first ? " first-check" : "") + "\" id=\"row-" +
            std::to_string(n) + "\">\n<h2>" + std::to_string(n) +
            ". Checked identifier: " + esc(row.label) + " &#8212; " + verdict_span(row.verdict) +
            "</h2>\n<table class=\"kv\">\n";
    record_rows(row);
    for (const auto& id : row.identifiers) {
      kv("Read as", or_dash(id.kind));
      kv("Canonical form", id.valid ? ident(id.canonical) : "invalid: " + esc(id.error));
      if (!id.not_clear.empty()) kv("Not clear because", esc(id.not_clear));
    }
    out_ += "</table>\n";
    registers(row.identifiers);
    if (!row.limitations.empty()) {
      out_ += "<h3>Limitations</h3>\n";
      list(row.limitations, "");
    }
    out_ += "</section>\n";
  }

  const CaseReport& r_;
  std::string out_;
};

}  // namespace

std::string verdict_label(std::string_view verdict) {
  return verdict == "flagged" ? "FLAGGED" : std::string(verdict);
}

std::string render_html(const CaseReport& report) {
  return Writer(report).document();
}

}  // namespace dfx::evidence
