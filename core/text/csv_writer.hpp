// CSV output (RFC 4180) that is safe to open in a spreadsheet.
#pragma once

#include <string_view>

#include "text/output_buffer.hpp"

namespace dfx::text {

/// Appends one field and its separator (',' or, when `last`, a line end "\n"). The value is first
/// made printable (text/terminal.hpp: control characters and bidirectional controls escaped, the
/// same rule as every table). A field is quoted when it holds a comma or a quote, with quotes
/// doubled. A field starting with = + - @ (or a tab or carriage return, escaped by then) is written
/// as '<field> inside quotes, so that a spreadsheet shows a hostile value instead of running it as
/// a formula.
void write_csv_field(OutputBuffer& out, std::string_view value, bool last = false);

}  // namespace dfx::text
