// Intake lists as people really make them: a depot clerk's export from a spreadsheet or a property
// system, saved as .csv, .CSV or .txt, with commas, semicolons or tabs, a header or none, a byte
// order mark, CRLF line ends, quoted fields. What the file is, is read from its content, never
// from the case of an extension.
//
//   - A first non-blank line that names an identifier column (identifier, imei, meid, esn, iccid,
//     eid, ecid, udid, serial or value; any case) under one of the delimiters , ; and tab makes
//     the file a table: values come from that column, read as the kind it names ("imei" -> IMEI,
//     "serial" -> serial; identifier/value -> detected). Other columns (exhibit numbers, notes)
//     are ignored.
//   - Anything else is a list, one value per line (a line that holds several identifiers is then
//     one invalid value, named as such by the identifier rules, never a "serial").
//   - A spreadsheet file (.xlsx, .ods: a zip archive; .xls) is refused with what to do.
//   - When the first values (kColumnSample) are mostly not identifiers, the run stops with an
//     error naming the first refusal: a wrong column or delimiter, a header that is not
//     recognised, or a spreadsheet's number format must not turn into rows that look checked.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "ident/identifier.hpp"
#include "text/line_reader.hpp"

namespace dfx::intake {

/// One value to check, where it came from, and the kind to read it as.
struct Value {
  std::string text;
  std::size_t line = 0;
  ident::Kind kind = ident::Kind::Auto;
};

/// What the file turned out to be (for messages and tests).
struct Shape {
  bool table = false;           ///< false: one value per line
  char delimiter = ',';         ///< for a table
  std::string column;           ///< for a table: the header's name of the column read
  std::size_t header_line = 0;  ///< for a table
};

/// How many of a table's first values are looked at before trusting the column, and how many of
/// them must be identifiers.
inline constexpr std::size_t kColumnSample = 32;

/// How to read.
struct Options {
  ident::Kind kind = ident::Kind::Auto;  ///< --kind: overrides a column's name unless Auto
  /// Judge the first values of a list too (a table's column always is). Off for a person typing
  /// at a terminal, who expects an answer per line, not after 32 of them.
  bool judge_lists = true;
};

/// Reads `lines` as an intake list and calls on_value for each value, in order, until it returns
/// false. Errors read "<input>:<line>: <why>". `shape`, when given, receives what the file is.
Result<void> read(text::LineReader& lines, const Options& options,
                  const std::function<bool(Value)>& on_value, Shape* shape = nullptr);

}  // namespace dfx::intake
