// `dfx register import`: a register file (CSV or JSON lines) into the local register, all or
// nothing, in one streaming pass.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "register_store/register_store.hpp"
#include "register_store/row_reader.hpp"

namespace dfx::register_store {

struct ImportOptions {
  /// The file format; nullopt: from the extension (.csv; .jsonl or .ndjson).
  std::optional<Format> format;
  /// false: the first invalid row fails the import and nothing is stored. true: invalid rows
  /// are left out and listed, the others stored (a fatal error, e.g. a bad header, still fails).
  bool skip_invalid = false;
};

/// A row left out under skip_invalid.
struct SkippedRow {
  std::size_t line = 0;
  std::string
      reason;  ///< e.g. "status \"stole\" is not one of stolen, lost, blocked, fraud, other"
};

/// Most skipped rows listed one by one; the rest are only counted (a file of 10M bad rows must
/// not fill the memory with reasons).
inline constexpr std::size_t kMaxListedSkips = 10000;

/// What an import did.
struct ImportReport {
  ImportInfo info;                  ///< as stored (counts, SHA-256, absolute path)
  std::vector<SkippedRow> skipped;  ///< the first kMaxListedSkips skipped rows, in file order
};

/// Why an import failed; nothing was stored.
struct ImportFailure {
  /// True when the file's content is at fault (an invalid row, a bad header, no valid row):
  /// `dfx register import` exits 4. False for I/O and database errors (exit 1).
  bool invalid_input = false;
  /// "<file>:<line>: <why>" for row errors, e.g.
  /// "intake.csv:17: identifier \"352099001761488\": bad check digit: got 8, expected 1".
  std::string message;
};

/// Imports `file` into `store` in one transaction: every row is read, normalized with
/// dfx::ident (an IMEISV is stored as its IMEI; without a kind column the kind is detected),
/// validated and upserted; the import is committed only when the whole file was read (other
/// processes see the previous register until then). `name` is how messages name the file
/// (the path as the user typed it); the stored record keeps its absolute path and SHA-256.
tl::expected<ImportReport, ImportFailure> import_file(RegisterStore& store,
                                                      const std::filesystem::path& file,
                                                      const ImportOptions& options = {});

/// The format of `file` from its extension, or nullopt (.csv -> Csv; .jsonl, .ndjson ->
/// JsonLines; case-insensitive).
std::optional<Format> format_from_extension(const std::filesystem::path& file);

/// Checks and normalizes one row: the record to store, or why the row is invalid (a sentence
/// without file and line). Exposed for tests.
tl::expected<Record, std::string> validate_row(const RawRow& row);

}  // namespace dfx::register_store
