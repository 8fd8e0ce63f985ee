// The Osmocom TAC list format (https://tacdb.osmocom.org/, CSV export):
//
//   Osmocom TAC database under CC-BY-SA v3.0 (c) Harald Welte 2016      <- licence banner
//   tac,name,name,contributor,comment,gsmarena,gsmarena,aka              <- header
//   35675904,Oppo,N1,Kévin Redon,,http://...,http://...,
//   49013920,Nokia,1610,OsmoDevCon 2014,,,http://...,"1610+,1611,1611+,NHE-5NX"
//
// The first `name` column is the brand, the second the model; `aka` lists other model names.
// Parsing is separate from storage so that an import can be checked completely before the
// database is touched.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "text/line_reader.hpp"

namespace dfx::tac {

/// One TAC of the list.
struct TacRow {
  std::string tac;       ///< 8 ASCII digits
  std::string brand;     ///< never empty
  std::string model;     ///< may be empty
  std::string aka;       ///< other names of the model, comma-separated as in the list; may be empty
  std::size_t line = 0;  ///< 1-based line in the file
};

/// A row left out under `skip_invalid`.
struct SkippedRow {
  std::size_t line = 0;  ///< 1-based line in the file
  std::string reason;    ///< why, e.g. "TAC \"3567590\" is not 8 digits"
};

/// A parsed list.
struct TacList {
  std::string banner;  ///< the licence line ("" when the file starts with the header)
  std::vector<TacRow> rows;
  std::vector<SkippedRow> skipped;
  /// Rows that repeat an earlier row's TAC with the same brand and model: harmless, kept once
  /// (the Osmocom export has a few, from two contributors).
  std::size_t repeated = 0;
};

struct OsmocomOptions {
  /// false: the first malformed row fails the whole parse. true: malformed rows are listed in
  /// TacList::skipped and the others kept (an unclosed quote still fails: it hides the rest).
  bool skip_invalid = false;
};

/// Parses an Osmocom TAC list read from `lines` (streamed: memory grows with the TACs kept, not
/// with the file). Error messages read "<file>:<line>: <why>".
///
/// Rules: an optional UTF-8 BOM; line 1 is the licence banner unless it already is the header;
/// the header must start with the columns tac,name,name (case-insensitive); blank lines are
/// ignored; every row must have as many fields as the header; spaces and tabs around a field are
/// removed (the Osmocom export has a few TACs with a leading space); the TAC must then be 8
/// digits; the brand must not be empty; every field must be valid UTF-8. A TAC listed again
/// with the same brand and model is counted in `repeated`; listed again with another brand or
/// model, it is malformed (dfx will not pick one of two answers silently).
/// A list with no valid row is an error (importing it would empty the database).
Result<TacList> parse_osmocom_tac_list(text::LineReader& lines, const OsmocomOptions& options = {});

/// parse_osmocom_tac_list() of a list held in `text`; `source` names it in messages.
Result<TacList> parse_osmocom_tac_list(std::string_view text, std::string_view source,
                                       const OsmocomOptions& options = {});

}  // namespace dfx::tac
