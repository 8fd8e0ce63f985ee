// CSV output (RFC 4180) that is safe to open in a spreadsheet.
#pragma once

#include <string_view>

#include "text/output_buffer.hpp"

namespace dfx::text {

/// Appends one field and its separator (',' or, when `last`, a line end "\n"). A field is quoted
/// when it holds a comma, quote, CR or LF, with quotes doubled. A field starting with = + - @ is
/// written as '<field> inside quotes, so that a spreadsheet shows a hostile value instead of
/// running it as a formula.
void write_csv_field(OutputBuffer& out, std::string_view value, bool last = false);

}  // namespace dfx::text
