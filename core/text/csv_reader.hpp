// The one CSV reader of dfx: RFC 4180 records read one at a time from a LineReader (a file, stdin
// or text in memory), so that TAC lists, register files and intake lists of any size are read in
// one pass with bounded memory.
//
// Accepted: fields separated by the delimiter (',' unless told otherwise), records ended by LF or
// CRLF (mixed in one file, as in the Osmocom export), fields in double quotes that may contain
// the delimiter, line breaks and doubled quotes (""). A last record without a line ending is
// accepted. Field text is returned as is (no trimming, no encoding check): what a field means is
// the caller's business. A blank line is a record of one empty field.
// Refused, naming the line: a quote inside an unquoted field, a character other than the
// delimiter or a line ending after a closing quote, a lone carriage return, a quoted field still
// open at the end of the input, and a record longer than the limit.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "text/line_reader.hpp"

namespace dfx::text {

/// One CSV record.
struct CsvRecord {
  std::size_t line = 0;             ///< 1-based line where the record starts
  std::vector<std::string> fields;  ///< at least one (an empty line is one empty field)
};

/// Why a record could not be read.
struct CsvError {
  std::size_t line = 0;  ///< 1-based line of the fault
  std::string message;   ///< without the input's name, e.g. "unexpected 'x' after the closing quote
                         ///< of field 3"
  /// True when the reader skipped the rest of that record and next() may be called again; false
  /// when nothing can be read past it (a quoted field left open, an over-long line, a read error).
  bool recoverable = false;
};

struct CsvOptions {
  char delimiter = ',';
  /// Longest record (a quoted field may span lines): a missing quote must not swallow the file.
  std::size_t max_record_bytes = 1 << 20;
};

class CsvReader {
 public:
  /// Reads records from `lines`, which must outlive the reader.
  explicit CsvReader(LineReader& lines, CsvOptions options = {})
      : lines_(lines), options_(options) {}

  /// The next record, nullopt at the end of the input, or why the next record is malformed.
  tl::expected<std::optional<CsvRecord>, CsvError> next();

  /// The input, for its name, line numbers and digest.
  [[nodiscard]] const LineReader& lines() const { return lines_; }

 private:
  LineReader& lines_;
  CsvOptions options_;
};

}  // namespace dfx::text
