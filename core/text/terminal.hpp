// Text from devices and files shown on a terminal.
#pragma once

#include <string>
#include <string_view>

namespace dfx::text {

/// A value for a terminal, a table or a spreadsheet cell: C0 and C1 control characters, DEL and
/// invalid UTF-8 bytes shown as \xNN, and the Unicode bidirectional controls (U+061C, U+200E,
/// U+200F, U+202A-U+202E, U+2066-U+2069) as \uNNNN, so that a hostile value cannot move the
/// cursor, change the terminal's state or make text read in another order than it is stored.
/// Idempotent: printable(printable(s)) == printable(s). The one escaping rule of every table,
/// log line and CSV field dfx writes.
std::string printable(std::string_view s);

}  // namespace dfx::text
