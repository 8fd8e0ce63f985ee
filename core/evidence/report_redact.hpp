// `dfx case report --redact`: a report that can leave the examiner's hands (a depot's property
// system, a bundle shared beyond the court) with every identifier of a phone or SIM masked to its
// last four characters, which is enough to match a report to a handset in hand and not enough to
// re-register or clone it.
//
// The identifiers are those the case read: IMEI, IMEISV, MEID, ESN, ICCID, IMSI, EID, ECID, UDID
// and serial numbers (claims, normalized identifiers, check inputs, the USB serial number). They
// are masked where they are the value shown, and wherever they appear in free text (messages,
// errors, findings, notes, transcript messages), as read and in any letter case, and with
// separators removed. A run of 11 or more digits standing alone in free text is masked too, so
// that an identifier the case did not name as one (a plugin's message quoting another) does not
// pass. Hashes, keys and signatures are not identifiers and stay whole: they are what lets a
// reader check the report against the case.
#pragma once

#include <string>
#include <string_view>

#include "evidence/case_report.hpp"

namespace dfx::evidence {

/// `value` with every character but the last four replaced by '*'; every character when it has
/// four or fewer.
std::string mask_identifier(std::string_view value);

/// Masks every identifier of `report` as above and marks it redacted.
void redact(CaseReport& report);

}  // namespace dfx::evidence
