// Register files as rows of named text fields: CSV with a header line, or JSON lines. Reading
// only: what the fields must contain is checked by the importer (import.cpp).
//
// CSV: the first non-blank line is the header; columns are found by name (case-insensitive,
// any order): identifier, status, source are required; reported_at, reference, notes and kind
// are optional; an unknown or repeated column refuses the file (a typo must not drop data
// silently). Records follow RFC 4180 (text/csv_reader.hpp): quoted fields may hold ',', '"'
// (doubled) and line breaks. Blank lines are ignored; fields are trimmed of spaces and tabs. JSON
// lines: one object per non-blank line, with the same names as keys; values are strings (null
// allowed for the optional ones); an unknown key is an error of that row.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "text/line_reader.hpp"

namespace dfx::register_store {

/// The fields a register row may have.
enum Column : std::size_t {
  kColKind,
  kColIdentifier,
  kColStatus,
  kColReportedAt,
  kColSource,
  kColReference,
  kColNotes,
  kColumnCount
};

/// The name of a column in headers and JSON keys: "kind", "identifier", ...
std::string_view column_name(Column c);

/// One row as read: present[c] tells whether the file gave field c.
struct RawRow {
  std::size_t line = 0;  ///< 1-based line where the row starts
  std::array<std::string, kColumnCount> value;
  std::array<bool, kColumnCount> present{};
};

/// Why a row could not be read.
struct RowError {
  std::size_t line = 0;  ///< 1-based line; 0 when the error is not about one line
  std::string reason;    ///< without the file name, except when line is 0
  /// True when the rest of the file cannot be read (bad header, unclosed quote, line too long,
  /// I/O error): skip_invalid cannot go on past it.
  bool fatal = false;
};

/// The file formats.
enum class Format { Csv, JsonLines };

/// "csv" or "jsonl".
std::string_view to_string(Format f);

/// Reads rows one at a time.
class RowReader {
 public:
  virtual ~RowReader() = default;
  /// Fills `row` and returns true, returns false at the end of the file, or a RowError.
  virtual tl::expected<bool, RowError> next(RawRow& row) = 0;
  /// The underlying file (name, SHA-256).
  virtual const text::LineReader& source() const = 0;
};

/// A reader of `format` over `lines`.
std::unique_ptr<RowReader> make_row_reader(Format format, text::LineReader lines);

}  // namespace dfx::register_store
