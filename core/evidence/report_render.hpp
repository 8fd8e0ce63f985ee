// The forms of a case report (case_report.hpp), each complete in itself:
//   HTML  one self-contained printable file for a court bundle: inline CSS, no script, nothing
//         fetched; every value escaped (identifiers and plugin output are hostile input);
//   CSV   one header row and one row per device or checked identifier, for a property system;
//   JSON  the whole model, schema "dfx.case-report/1", for programs.
// None hides a problem: a case that does not verify says so first, in every form.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "evidence/case_report.hpp"

namespace dfx::evidence {

/// "FLAGGED" (in capitals, so that it stands out in any form), "clear", "unknown", "invalid".
std::string verdict_label(std::string_view verdict);

/// The HTML document.
std::string render_html(const CaseReport& report);

/// The CSV text (RFC 4180 quoting; a cell starting with = + - @ is written as '<cell>).
std::string render_csv(const CaseReport& report);

/// The report as JSON.
nlohmann::json report_json(const CaseReport& report);

}  // namespace dfx::evidence
