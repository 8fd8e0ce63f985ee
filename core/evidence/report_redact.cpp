#include "evidence/report_redact.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <unordered_set>
#include <vector>

namespace dfx::evidence {
namespace {

// Claim kinds whose values are identifiers (scan/assessment.hpp, identifier_kind).
bool identifier_claim(std::string_view kind) {
  static constexpr std::string_view kinds[] = {"imei", "imei1",  "imei2",     "imeisv", "meid",
                                               "esn",  "iccid",  "imsi",      "eid",    "ecid",
                                               "udid", "serial", "usb_serial"};
  return std::find(std::begin(kinds), std::end(kinds), kind) != std::end(kinds);
}

bool alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Masks the identifiers it was told about, and long digit runs, in any text. Matching starts only
// where a word starts, and looks up each length the known values have: a report of 100,000 check
// rows is masked in one pass over its text, not one pass per identifier.
class Masker {
 public:
  // Values shorter than this are masked where they are the value shown, but not searched for in
  // free text, where they would match ordinary words and numbers.
  static constexpr std::size_t kMinSearched = 5;
  static constexpr std::size_t kDigitRun = 11;

  void learn(std::string_view value) {
    add(lower(value));
    std::string digits;
    for (char c : value)
      if (std::isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
    if (digits.size() >= 6) add(digits);
  }

  [[nodiscard]] std::string text(std::string_view s) const {
    if (s.empty()) return {};
    const std::string low = lower(s);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
      std::size_t matched = 0;
      if (alnum(s[i]) && (i == 0 || !alnum(s[i - 1])))
        for (auto it = by_length_.rbegin(); it != by_length_.rend() && matched == 0; ++it)
          if (i + it->first <= s.size() &&
              it->second.count(std::string_view(low).substr(i, it->first)) != 0)
            matched = it->first;
      if (matched != 0) {
        out += mask_identifier(s.substr(i, matched));
        i += matched;
      } else {
        out.push_back(s[i++]);
      }
    }
    return mask_digit_runs(out);
  }

 private:
  void add(std::string v) {
    if (v.size() < kMinSearched) return;
    auto& set = by_length_[v.size()];
    if (set.count(v) == 0) set.insert(std::move(v));
  }

  // The end of the word (run of letters and digits) starting at `i`, and whether it is all digits.
  static std::size_t word_end(const std::string& s, std::size_t i, bool& digits) {
    digits = true;
    while (i < s.size() && alnum(s[i])) digits &= std::isdigit(static_cast<unsigned char>(s[i++]));
    return i;
  }

  // Numbers of kDigitRun digits or more standing alone, also when written in groups separated by
  // single spaces or dashes ("35 390812 345678 9"): all their digits but the last four masked.
  static std::string mask_digit_runs(std::string s) {
    for (std::size_t i = 0; i < s.size();) {
      bool digits = false;
      std::size_t end = word_end(s, i, digits);
      if (end == i) {
        ++i;
        continue;
      }
      if (!digits) {
        i = end;
        continue;
      }
      std::vector<std::pair<std::size_t, std::size_t>> groups = {{i, end}};
      std::size_t count = end - i;
      while (end + 1 < s.size() && (s[end] == ' ' || s[end] == '-')) {
        bool next_digits = false;
        const std::size_t next_end = word_end(s, end + 1, next_digits);
        if (next_end == end + 1 || !next_digits) break;
        groups.emplace_back(end + 1, next_end);
        count += next_end - end - 1;
        end = next_end;
      }
      if (count >= kDigitRun) {
        std::size_t to_mask = count - 4;
        for (const auto& [from, to] : groups)
          for (std::size_t k = from; k < to && to_mask > 0; ++k, --to_mask) s[k] = '*';
      }
      i = end;
    }
    return s;
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::map<std::size_t, std::unordered_set<std::string, Hash, std::equal_to<>>> by_length_;
};

void learn_row(Masker& m, const DeviceRow& row) {
  m.learn(row.usb_serial);
  for (const auto& id : row.identifiers) {
    m.learn(id.canonical);
    m.learn(id.input);
    for (const auto& s : id.sources) m.learn(s.value);
  }
  for (const auto& p : row.probes)
    for (const auto& c : p.claims)
      if (identifier_claim(c.kind)) m.learn(c.value);
}

// An identifier field: masked whatever its length.
void value(std::string& s) {
  if (!s.empty()) s = mask_identifier(s);
}

void redact_row(const Masker& m, DeviceRow& row) {
  const auto t = [&m](std::string& s) { s = m.text(s); };
  for (auto* s : {&row.operator_name, &row.workstation, &row.location, &row.manufacturer,
                  &row.product, &row.status})
    t(*s);
  if (row.source == RowSource::check)
    value(row.label);
  else
    t(row.label);
  value(row.usb_serial);
  for (auto& p : row.probes) {
    t(p.error);
    for (auto& c : p.claims) {
      identifier_claim(c.kind) ? value(c.value) : t(c.value);
      t(c.method);
    }
  }
  for (auto& f : row.findings) t(f.message);
  for (auto& w : row.warnings) t(w);
  for (auto& l : row.limitations) t(l);
  for (auto& id : row.identifiers) {
    value(id.canonical);
    value(id.input);
    for (auto* s : {&id.error, &id.not_clear, &id.brand, &id.model}) t(*s);
    for (auto& s : id.sources) {
      value(s.value);
      t(s.method);
    }
    for (auto& h : id.hits)
      for (auto* s : {&h.status, &h.reported_at, &h.reporting_party, &h.reference}) t(*s);
    for (auto& a : id.registers) t(a.error);
  }
  for (auto& tr : row.transcripts) {
    for (auto* s : {&tr.problem, &tr.statement, &tr.started}) t(*s);
    for (auto& s : tr.outside_surface) t(s);
    for (auto& s : tr.notes) t(s);
    for (auto& x : tr.listed) {
      t(x.request);
      t(x.message);
    }
  }
}

}  // namespace

std::string mask_identifier(std::string_view value) {
  // Characters, not bytes: a value from a device may hold UTF-8 text.
  std::size_t chars = 0;
  for (char c : value) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  const std::size_t keep = chars > 4 ? 4 : 0;
  std::size_t masked = 0, at = 0;
  std::string out;
  for (; at < value.size() && masked < chars - keep; ++masked) {
    ++at;
    while (at < value.size() && (static_cast<unsigned char>(value[at]) & 0xC0) == 0x80) ++at;
    out.push_back('*');
  }
  out.append(value.substr(at));
  return out;
}

void redact(CaseReport& report) {
  Masker m;
  for (const auto& row : report.rows) learn_row(m, row);
  const auto t = [&m](std::string& s) { s = m.text(s); };
  auto& h = report.header;
  for (auto* s : {&report.folder, &h.case_id, &h.examiner, &h.exhibit, &h.note, &h.workstation})
    t(*s);
  for (auto& s : h.operators) t(s);
  for (auto& s : h.workstations) t(s);
  t(report.verification.message);
  t(report.verification.case_id);
  for (auto& s : report.signatures) t(s.reason);
  for (auto& s : report.repairs) t(s.reason);
  for (auto& s : report.problems) t(s);
  for (auto& row : report.rows) redact_row(m, row);
  report.redacted = true;
}

}  // namespace dfx::evidence
