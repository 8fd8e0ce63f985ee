#include "cli/check_output.hpp"

#include <cstdio>

#include "cli/table.hpp"
#include "cli/text_io.hpp"
#include "text/csv_writer.hpp"

namespace dfx::cli {
namespace {

using registers::Answer;
using registers::CheckResult;
using registers::Outcome;
using registers::Verdict;

std::string_view kind_name(const CheckResult& r) {
  if (r.identifier) return ident::to_string(r.identifier->kind);
  return r.identifier.error().kind == ident::Kind::Auto
             ? std::string_view()
             : ident::to_string(r.identifier.error().kind);
}

void latency(text::OutputBuffer& out, double ms) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.3f", ms);
  out.raw(std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0));
}

// ,"key":"value" or ,"key":null for an empty value.
void opt_field(text::OutputBuffer& out, std::string_view key, std::string_view value) {
  out.raw(",\"");
  out.raw(key);
  out.raw("\":");
  if (value.empty())
    out.raw("null");
  else
    text::write_json_string(out, value);
}

}  // namespace

void write_check_json(text::OutputBuffer& out, const CheckResult& r) {
  out.raw("{\"input\":");
  text::write_json_string(out, r.input.value);
  if (r.input.line) {
    out.raw(",\"line\":");
    text::write_json_number(out, r.input.line);
  }
  out.raw(",\"identifier\":{\"kind\":");
  if (kind_name(r).empty())
    out.raw("null");
  else
    text::write_json_string(out, kind_name(r));
  if (r.identifier) {
    out.raw(",\"canonical\":");
    text::write_json_string(out, r.identifier->canonical);
    out.raw(",\"valid\":true");
    if (r.lookup && r.lookup->identifier != r.identifier->canonical) {
      out.raw(",\"lookup\":{\"kind\":");
      text::write_json_string(out, r.lookup->kind);
      out.raw(",\"identifier\":");
      text::write_json_string(out, r.lookup->identifier);
      out.raw("}");
    }
  } else {
    out.raw(",\"canonical\":null,\"valid\":false,\"error\":");
    text::write_json_string(out, r.identifier.error().reason);
  }
  out.raw("},\"verdict\":\"");
  out.raw(registers::to_string(r.verdict));
  out.raw(r.conflict ? "\",\"conflict\":true" : "\",\"conflict\":false");
  if (!r.not_clear.empty()) {
    out.raw(",\"not_clear\":");
    text::write_json_string(out, r.not_clear);
  }
  if (r.duplicate_of) {
    out.raw(",\"duplicate_of\":");
    text::write_json_number(out, r.duplicate_of);
  }
  out.raw(",\"hits\":[");
  bool first = true;
  for (const Answer& a : r.answers) {
    for (const auto& h : a.hits) {
      out.raw(first ? "{\"register\":" : ",{\"register\":");
      first = false;
      text::write_json_string(out, a.register_id);
      out.raw(",\"status\":");
      text::write_json_string(out, h.status);
      opt_field(out, "reported_at", h.reported_at);
      opt_field(out, "reporting_party", h.reporting_party);
      opt_field(out, "reference", h.reference);
      out.raw("}");
    }
  }
  out.raw("],\"registers\":[");
  first = true;
  for (const Answer& a : r.answers) {
    out.raw(first ? "{\"id\":" : ",{\"id\":");
    first = false;
    text::write_json_string(out, a.register_id);
    out.raw(",\"outcome\":\"");
    out.raw(registers::to_string(a.outcome));
    out.raw("\",\"latency_ms\":");
    latency(out, a.latency_ms);
    opt_field(out, "asked_at", a.asked_at);
    opt_field(out, "answer_sha256", a.answer_sha256);
    opt_field(out, "error", a.error);
    out.raw("}");
  }
  out.raw("]}\n");
}

std::string check_csv_header() {
  return "line,input,kind,identifier,valid,verdict,conflict,duplicate_of,register,outcome,status,"
         "reported_at,reporting_party,reference,error,not_clear\n";
}

void write_check_csv(text::OutputBuffer& out, const CheckResult& r) {
  const std::string line = r.input.line ? std::to_string(r.input.line) : "";
  const std::string dup = r.duplicate_of ? std::to_string(r.duplicate_of) : "";
  const auto prefix = [&] {
    text::write_csv_field(out, line);
    text::write_csv_field(out, r.input.value);
    text::write_csv_field(out, kind_name(r));
    text::write_csv_field(
        out, r.identifier ? std::string_view(r.identifier->canonical) : std::string_view());
    text::write_csv_field(out, r.identifier ? "true" : "false");
    text::write_csv_field(out, registers::to_string(r.verdict));
    text::write_csv_field(out, r.conflict ? "true" : "false");
    text::write_csv_field(out, dup);
  };
  if (r.answers.empty()) {
    prefix();
    for (int i = 0; i < 6; ++i) text::write_csv_field(out, "");
    text::write_csv_field(
        out, r.identifier ? std::string_view() : std::string_view(r.identifier.error().reason));
    text::write_csv_field(out, r.not_clear, true);
    return;
  }
  for (const Answer& a : r.answers) {
    const std::size_t rows = a.hits.empty() ? 1 : a.hits.size();
    for (std::size_t i = 0; i < rows; ++i) {
      prefix();
      text::write_csv_field(out, a.register_id);
      text::write_csv_field(out, registers::to_string(a.outcome));
      const registers::Hit none;
      const auto& h = a.hits.empty() ? none : a.hits[i];
      text::write_csv_field(out, h.status);
      text::write_csv_field(out, h.reported_at);
      text::write_csv_field(out, h.reporting_party);
      text::write_csv_field(out, h.reference);
      text::write_csv_field(out, a.error);
      text::write_csv_field(out, r.not_clear, true);
    }
  }
}

namespace {

std::string verdict_word(Verdict v) {
  switch (v) {
    case Verdict::Flagged:
      return "FLAGGED";
    case Verdict::Unknown:
      return "UNKNOWN";
    case Verdict::Invalid:
      return "INVALID";
    case Verdict::Clear:
      return "clear";
  }
  return "UNKNOWN";
}

// One line per register answer (per record for a hit), so that answers sit side by side.
std::vector<std::string> answer_lines(const Answer& a) {
  std::vector<std::string> out;
  if (a.outcome == Outcome::Miss) out.push_back(a.register_id + ": no record");
  if (a.outcome == Outcome::Error) out.push_back(a.register_id + ": NOT ASKED: " + a.error);
  for (const auto& h : a.hits) {
    std::string s = a.register_id + ": " + h.status;
    if (!h.reported_at.empty()) s += ", reported " + h.reported_at;
    if (!h.reporting_party.empty()) s += " by " + h.reporting_party;
    if (!h.reference.empty()) s += ", ref " + h.reference;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

void CheckTable::add(const CheckResult& r) {
  ++counts_[static_cast<int>(r.verdict)];
  std::vector<std::string> details;
  if (!r.identifier) details.push_back(r.identifier.error().reason);
  if (r.conflict) details.push_back("CONFLICT: the reports disagree (all shown below)");
  if (r.duplicate_of) {
    ++duplicates_;
    details.push_back(std::string("duplicate of ") + (r.input.line ? "line " : "value ") +
                      std::to_string(r.duplicate_of));
  }
  if (r.conflict) ++conflicts_;
  if (!r.not_clear.empty()) details.push_back(r.not_clear);
  if (r.verdict == Verdict::Unknown && !registers::can_prove_absence(kind_name(r))) ++serials_;
  const bool all_miss = !r.answers.empty() && r.verdict == Verdict::Clear;
  if (all_miss) {
    std::string regs;
    for (const auto& a : r.answers) regs += (regs.empty() ? "" : ", ") + a.register_id;
    details.push_back("no record in " + regs);
  } else {
    for (const auto& a : r.answers)
      for (auto& l : answer_lines(a)) details.push_back(std::move(l));
  }
  if (details.empty()) details.emplace_back();
  rows_.push_back({r.input.line ? std::to_string(r.input.line) : "-", printable(r.input.value),
                   std::string(kind_name(r).empty() ? "-" : kind_name(r)),
                   r.identifier ? r.identifier->canonical : "-", verdict_word(r.verdict),
                   printable(details[0])});
  for (std::size_t i = 1; i < details.size(); ++i)
    rows_.push_back({"", "", "", "", "", printable(details[i])});
}

void CheckTable::print(std::ostream& out,
                       std::span<const registers::RegisterStatus> registers) const {
  Table t({"LINE", "INPUT", "KIND", "IDENTIFIER", "VERDICT", "DETAILS"});
  for (const auto& row : rows_) t.add(row);
  t.print(out);
  const std::size_t total = counts_[0] + counts_[1] + counts_[2] + counts_[3];
  out << '\n'
      << total << (total == 1 ? " value: " : " values: ")
      << counts_[static_cast<int>(Verdict::Flagged)] << " flagged, "
      << counts_[static_cast<int>(Verdict::Clear)] << " clear, "
      << counts_[static_cast<int>(Verdict::Unknown)] << " unknown"
      << (serials_ ? " (" + std::to_string(serials_) + " serial numbers, which cannot clear)" : "")
      << ", " << counts_[static_cast<int>(Verdict::Invalid)] << " invalid";
  if (duplicates_) out << "; " << duplicates_ << " duplicate" << (duplicates_ == 1 ? "" : "s");
  if (conflicts_) out << "; " << conflicts_ << " with conflicting registers";
  out << '\n';
  for (const auto& reg : registers) {
    out << "register " << reg.id << " (" << reg.plugin
        << (reg.plugin_version.empty() ? "" : " " + reg.plugin_version) << "): ";
    if (reg.error.empty()) {
      std::string kinds;
      for (const auto& k : reg.accepts) kinds += (kinds.empty() ? "" : ",") + k;
      out << "ok, accepts " << kinds << '\n';
    } else {
      out << "NOT AVAILABLE: " << reg.error << '\n';
    }
  }
}

}  // namespace dfx::cli
