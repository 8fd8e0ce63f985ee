// `dfx tac import`: a TAC list file -> the TAC table, all or nothing.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "tac/osmocom.hpp"
#include "tac/tac_db.hpp"

namespace dfx::tac {

/// What an import did.
struct ImportReport {
  ImportRecord record;              ///< as stored in the database
  std::vector<SkippedRow> skipped;  ///< rows left out under skip_invalid, in file order
  std::size_t repeated = 0;         ///< rows repeating an earlier one exactly (kept once)
};

/// Reads `file` (a regular file, streamed), parses it as an Osmocom TAC list and, only when that
/// succeeded, replaces the TAC table of `db` in one transaction (see TacDatabase::replace_all).
/// Errors name the file as given and the line: "lists/tacdb.csv:1995: TAC \"3557230\" is not 8
/// digits". The record keeps the file's absolute path and SHA-256, so that a report can name the
/// exact list used.
Result<ImportReport> import_osmocom_file(TacDatabase& db, const std::filesystem::path& file,
                                         const OsmocomOptions& options = {});

}  // namespace dfx::tac
