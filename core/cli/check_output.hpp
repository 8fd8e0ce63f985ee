// How `dfx check` prints its results: one JSON object per line, CSV for spreadsheets, or a table
// a person reads at a glance (verdict first, the registers' answers side by side).
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "registers/checker.hpp"
#include "registers/register_set.hpp"
#include "text/json_writer.hpp"

namespace dfx::cli {

/// One result as a JSON line:
///   {"input", "line"?, "identifier": {"kind", "canonical", "valid", "error"?, "lookup"?},
///    "verdict", "conflict", "duplicate_of"?, "hits": [{"register", "status", "reported_at",
///    "reporting_party", "reference"}], "registers": [{"id", "outcome", "latency_ms", "error"}]}
void write_check_json(text::OutputBuffer& out, const registers::CheckResult& r);

/// The CSV header line matching write_check_csv.
std::string check_csv_header();
/// One result as CSV rows: one per register answer (one per record for a hit), or one row with
/// empty register columns when no register was asked.
void write_check_csv(text::OutputBuffer& out, const registers::CheckResult& r);

/// Collects results and prints them as an aligned table with a summary line.
class CheckTable {
 public:
  void add(const registers::CheckResult& r);
  /// Prints the table, then "N values: ... flagged, ... clear ..." and the registers used.
  void print(std::ostream& out, std::span<const registers::RegisterStatus> registers) const;

 private:
  std::vector<std::vector<std::string>> rows_;
  std::size_t counts_[4] = {0, 0, 0, 0};  // by Verdict
  std::size_t duplicates_ = 0, conflicts_ = 0, serials_ = 0;
};

}  // namespace dfx::cli
