// dfx case report DIR [--format html|csv|json] [--redact] [--output FILE]: a case read into a
// report for a court bundle (HTML), a property system (CSV) or a program (JSON); see
// evidence/case_report.hpp and docs/evidence.md, "Reports".
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace dfx::cli {

/// Adds `report` under the `case` command.
Command add_case_report(CLI::App& case_app);

}  // namespace dfx::cli
