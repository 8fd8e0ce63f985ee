// dfx::ident — parse, validate and normalize phone, SIM and Apple identifiers as people and
// devices write them. Pure functions: no I/O, no global state, no exceptions escaping.
//
//   auto r = dfx::ident::normalize("IMEI: 35-209900-176148-1");
//   if (r) use(r->canonical);                 // "352099001761481"
//   else   show(r.error().reason);            // e.g. "bad check digit: got 3, expected 1"
//
// Input handling common to all kinds (see clean_input.cpp; docs/identifiers.md lists every way
// this differs from python-stdnum, the reference, and why):
//  * characters python-stdnum reads as ASCII are read so: full-width digits, Unicode dashes and
//    spaces, full-width punctuation (the table is generated from stdnum);
//  * surrounding whitespace, CR/LF, tabs, control characters (NUL padding, STX/ETX), Unicode
//    spaces, a byte order mark, a zero-width space and a barcode scanner's AIM symbology prefix
//    (`]C1`, `]E0`, ...) are dropped;
//  * one leading label is dropped, case-insensitive, when followed by ':', '=', '#' or a space:
//    IMEI, IMEI1, IMEI2, IMEISV, MEID, ESN, pESN, ICCID, IMSI, EID, ECID, UDID, S/N, SN, SRNM,
//    Serial, Serial Number, and the AT answer prefixes +CGSN, +GSN, +CIMI, +CCID, ^ICCID, +ICCID.
//    "IMEI No.:" / "Serial No:" style is accepted. The label also hints the kind under Auto;
//  * a value wrapped in [brackets] or "quotes" is unwrapped (Apple recovery strings, AT replies);
//  * for all kinds except Serial, a leading 0x is noted and the separators python-stdnum strips
//    are removed: spaces and dashes (and their Unicode forms). Nothing else is silently dropped:
//    a '.', '/', ',' or tab inside a value makes it invalid, with the reason (a decimal point or
//    scientific notation from a spreadsheet, several identifiers in one value...);
//  * positions in messages are 1-based character (code point) positions in the original input.
//
// Kind::Auto precedence (first match wins; ambiguous choices add a note). There is no fallback to
// a free-form serial number: what fits no rule below is refused (Problem::Unrecognised), because
// a "serial" that misses every register would look checked. A serial is read only when asked
// for (Kind::Serial) or labelled (S/N:, Serial:, SN:, SRNM:):
//  1. a label names the kind: that kind is tried first; if the value fails as that kind but is
//     valid as the kind found by the rules below, that kind is returned with a note; otherwise
//     the labelled kind's rejection is returned. S/N-type labels always mean Serial;
//  2. a 0x prefix: 7-8 hex -> ESN, 14-15 hex -> MEID, anything else -> ECID;
//  3. digits only: 14 -> IMEI without check digit (note: also an IMSI/all-decimal MEID length),
//     15 -> IMEI, 16 -> IMEISV, 18 -> MEID (decimal), 19 starting 89 and Luhn-valid -> ICCID,
//     other 19 -> MEID (decimal + check digit) if valid, else ICCID when starting 89, else MEID;
//     20 -> ICCID (starting 89, or 98 nibble-swapped), 32 -> EID, 11 -> ESN (decimal),
//     8 -> ESN (hex form), other lengths 12-17 -> IMEI (rejected, wrong length), other lengths
//     refused. IMSIs are never auto-detected (their lengths collide with IMEIs): use
//     Kind::Imsi or an IMSI:/+CIMI label;
//  4. hex with at least one letter A-F: 14-15 -> MEID, 8 -> ESN, 24 or 40 -> UDID, 20 starting
//     89/98 whose only letters are F -> ICCID (padded or nibble-swapped), else refused;
//  5. otherwise, 12-17 characters of which at most two are non-hex non-digits -> IMEI (so a
//     mistyped letter O in an IMEI is reported at its position), else refused.
//  ECIDs are auto-detected only with a 0x prefix or an ECID: label.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

#include "ident/checksum.hpp"
#include "ident/convert.hpp"

namespace dfx::ident {

/// The identifier kinds dfx understands. Auto asks normalize() to pick the most plausible one.
enum class Kind : std::uint8_t {
  Imei,    ///< 15 digits: TAC(8) + serial(6) + Luhn check digit (14 accepted, check digit added)
  Imeisv,  ///< 16 digits: TAC(8) + serial(6) + software version number(2), no check digit
  Meid,    ///< 14 hex (+ optional check digit) or 18 decimal (+ optional check digit)
  Esn,     ///< 8 hex or 11 decimal (3-digit manufacturer + 8-digit serial)
  Iccid,   ///< SIM serial: 19-20 digits starting 89, Luhn over all digits
  Imsi,    ///< subscriber identity: MCC(3) + MNC(2-3) + MSIN, 14-15 digits
  Eid,     ///< eUICC identifier: 32 digits starting 89, ISO/IEC 7064 MOD 97-10
  Ecid,    ///< Apple exclusive chip ID: up to 16 hex digits (64 bits)
  Udid,    ///< Apple device ID: 40 hex (older devices) or 8-16 hex (newer devices)
  Serial,  ///< free-form manufacturer serial number
  Auto,    ///< let normalize() decide (see the precedence above)
};

/// Lower-case name: "imei", "imeisv", "meid", "esn", "iccid", "imsi", "eid", "ecid", "udid",
/// "serial", "auto".
std::string_view to_string(Kind kind) noexcept;

/// Inverse of to_string(Kind), case-insensitive; nullopt for an unknown name.
std::optional<Kind> kind_from_string(std::string_view name) noexcept;

/// Why a value was rejected, for programs; Rejection::reason says it in words.
enum class Problem : std::uint8_t {
  Empty,          ///< nothing left once labels, separators and whitespace are removed
  BadCharacter,   ///< a character that this kind cannot contain (see Rejection::position)
  WrongLength,    ///< the number of digits fits no form of this kind
  BadCheckDigit,  ///< the check digit(s) do not match
  OutOfRange,     ///< a part is too large or not allowed (MEID/ESN overflow, MCC, prefix 89...)
  Unrecognised,   ///< Kind::Auto found no kind this could be
  Mangled,        ///< a number format changed it: scientific notation, a decimal point,
                  ///< thousands grouping (digits may be lost: re-export as text)
  SeveralValues,  ///< more than one identifier, or a list delimiter (',' ';'), in one value
};

/// Lower-case name of a Problem: "empty", "bad-character", "wrong-length", "bad-check-digit",
/// "out-of-range", "unrecognised", "mangled", "several-values".
std::string_view to_string(Problem problem) noexcept;

/// Values derived from an identifier; a field is empty when it does not apply to the kind.
/// Hex values are upper-case unless stated.
struct Derived {
  // IMEI / IMEISV
  std::string tac;          ///< type allocation code, 8 digits
  std::string snr;          ///< serial number part, 6 digits
  std::string imei;         ///< the 15-digit IMEI (for an IMEISV: its first 14 digits + Luhn)
  std::string svn;          ///< IMEISV software version number, 2 digits
  std::string check_digit;  ///< IMEI/ICCID Luhn digit, EID's two MOD 97-10 digits
  // MEID / ESN
  std::string meid_hex;            ///< 14 hex digits
  std::string meid_hex_check;      ///< 14 hex digits + check digit
  std::string meid_decimal;        ///< 18 decimal digits
  std::string meid_decimal_check;  ///< 18 decimal digits + decimal Luhn check digit
  std::string pesn;                ///< pseudo-ESN of a MEID, 8 hex digits starting 80
  std::string manufacturer;        ///< MEID: 8 hex (regional + manufacturer code); ESN: 2 hex
  std::string serial;              ///< MEID / ESN serial part, 6 hex digits
  std::string esn_hex;             ///< 8 hex digits
  std::string esn_decimal;         ///< 11 decimal digits
  // IMSI
  std::string mcc;   ///< mobile country code, 3 digits
  std::string mnc;   ///< mobile network code, 2 or 3 digits (see imsi.cpp for the table)
  std::string msin;  ///< subscriber number, the rest
  // Apple
  std::string ecid_hex;      ///< 16 hex digits, zero-padded
  std::string ecid_decimal;  ///< the ECID as a decimal integer (lockdown's UniqueChipID)
  std::string chip_id;       ///< new-style UDID: the chip ID (CPID) in its first 8 hex digits

  /// The non-empty fields as (name, value), in declaration order; names are the member names.
  std::vector<std::pair<std::string_view, std::string_view>> fields() const;
};

/// A successfully normalized identifier.
struct Identifier {
  Kind kind = Kind::Serial;        ///< the kind it was read as (never Auto)
  std::string input;               ///< the text as given
  std::string canonical;           ///< the one form to store, compare and send to registers
  Derived derived;                 ///< values computed from it
  std::vector<std::string> notes;  ///< what was changed or assumed, e.g. "check digit 1 added"
};

/// Why normalize() refused a value.
struct Rejection {
  Kind kind = Kind::Auto;  ///< kind tried (the requested one, or Auto's best guess)
  std::string input;       ///< the text as given
  std::string reason;      ///< one sentence for a technician, e.g.
                           ///< "bad check digit: got 3, expected 7"
  Problem problem = Problem::Unrecognised;
  std::size_t position = 0;        ///< 1-based character position in `input`, 0 when none
  std::vector<std::string> notes;  ///< hints, e.g. "read as IMEI; for an IMSI choose kind imsi"
};

/// Parses `input` as `kind` (or the most plausible kind under Kind::Auto) and returns the
/// canonical form with derived values, or a Rejection explaining why not. Never throws except
/// std::bad_alloc.
///
/// Canonical forms: IMEI 15 digits (check digit added to 14), IMEISV 16 digits, MEID 14 upper
/// hex without check digit (decimal forms converted), ESN 8 upper hex, ICCID 19-20 digits
/// (un-swapped, pad removed), IMSI 14-15 digits, EID 32 digits, ECID 16 upper hex zero-padded,
/// UDID 40 lower hex or XXXXXXXX-XXXXXXXXXXXXXXXX upper hex, Serial trimmed/collapsed/upper-case.
/// Kind::Imei given a 16-digit value returns an Imeisv (as python-stdnum's imei module does).
tl::expected<Identifier, Rejection> normalize(std::string_view input, Kind kind = Kind::Auto);

}  // namespace dfx::ident
