// What one register record is, and the rules a field must pass before it is stored. Pure
// functions (no I/O), shared by the importer and the tests.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace dfx::register_store {

/// The statuses a register record may have (plugin.h's dfx_register_hit.status), lower-case.
inline constexpr std::array<std::string_view, 5> kStatuses = {"stolen", "lost", "blocked", "fraud",
                                                              "other"};

/// The identifier kinds the register stores (canonical forms from dfx::ident). An IMEISV is
/// stored as its IMEI, so "imeisv" is not among them.
inline constexpr std::array<std::string_view, 9> kStoredKinds = {
    "imei", "meid", "esn", "iccid", "imsi", "eid", "ecid", "udid", "serial"};

/// One record, as stored and as returned by lookups.
struct Record {
  std::string kind;         ///< one of kStoredKinds
  std::string identifier;   ///< canonical form (dfx::ident::normalize)
  std::string status;       ///< one of kStatuses
  std::string reported_at;  ///< ISO 8601 date or date-time as given; "" when unknown
  std::string source;       ///< the reporting party (police force, network, owner...)
  std::string reference;    ///< the party's reference (crime number...); may be ""
  std::string notes;        ///< free text; may be ""

  friend bool operator==(const Record&, const Record&) = default;
};

/// The lower-case status for `text` (case-insensitive, surrounding spaces ignored), or nullopt.
std::optional<std::string> parse_status(std::string_view text);

/// "" when `text` is an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm[:ss[.f+]]
/// optionally followed by Z, ±hh:mm or ±hhmm) naming a real calendar day and time; otherwise
/// one sentence saying what is wrong, e.g. "day 31 does not exist in 2024-04".
std::string reported_at_problem(std::string_view text);

/// `text` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view text);

}  // namespace dfx::register_store
