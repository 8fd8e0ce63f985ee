// A strict RFC 4180 CSV record reader over text held in memory (TAC lists are a few MiB).
//
// Accepted: fields separated by ',', records ended by LF or CRLF (mixed in one file, as in the
// Osmocom export), fields in double quotes that may contain ',', CR, LF and doubled quotes ("").
// A last record without a line ending is accepted. Field text is returned as is (no trimming,
// no encoding check): what a field means is the caller's business.
// Refused, naming the line: a quote inside an unquoted field, a character other than ',' or a
// line ending after a closing quote, and a quoted field still open at the end of the text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace dfx::tac {

/// One CSV record.
struct CsvRecord {
  std::size_t line = 0;             ///< 1-based line where the record starts
  std::vector<std::string> fields;  ///< at least one (an empty line is one empty field)
};

/// Why a record could not be read.
struct CsvError {
  std::size_t line = 0;  ///< 1-based line of the offending character
  std::string message;   ///< e.g. "unexpected 'x' after the closing quote of field 3"
  /// True when the reader skipped to the next line and next() may be called again; false for
  /// a quoted field left open, which swallows the rest of the text (nothing to resume from).
  bool recoverable = false;
};

/// Reads records one at a time from `text`, which must outlive the reader.
class CsvReader {
 public:
  /// `first_line` is the line number of text[0] in the file (when a caller consumed a banner).
  explicit CsvReader(std::string_view text, std::size_t first_line = 1)
      : text_(text), line_(first_line) {}

  /// The next record, nullopt at the end of the text, or why the next record is malformed.
  tl::expected<std::optional<CsvRecord>, CsvError> next();

 private:
  /// After a recoverable error: moves past the end of the current line.
  void skip_line();

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_;
};

}  // namespace dfx::tac
