// Fail-closed verdicts. The rules, in one place (docs/cli.md repeats them for users):
//  * an identifier that fails validation is `invalid` and is never sent to a register;
//  * otherwise it is `flagged` when any register holds a record of it (whatever others say);
//  * `clear` only when at least one configured register accepts its kind, every such register
//    answered `miss`, and the kind can prove absence: a free-form serial number cannot (a miss
//    may only mean it was written differently; registers list phones by IMEI), so it is at best
//    `unknown`, with the reason;
//  * `unknown` in every other case: a register erred or timed out, or no register accepts it.
// A device folds the verdicts of its identifiers (see fold_device).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "registers/answer.hpp"

namespace dfx::registers {

enum class Verdict { Clear, Flagged, Unknown, Invalid };

/// "clear", "flagged", "unknown", "invalid".
std::string_view to_string(Verdict verdict);

/// The verdict for one identifier. `answers` holds one answer per configured register that
/// accepts the identifier's kind (empty when none does). `can_clear` is false for kinds whose miss
/// proves nothing (see can_prove_absence).
Verdict identifier_verdict(bool valid, std::span<const Answer> answers, bool can_clear = true);

/// Whether every register missing an identifier of this kind ("imei", "serial"...) can make it
/// clear: false only for "serial".
bool can_prove_absence(std::string_view kind);

/// Why an identifier with these answers is not clear, in words ("" when it is clear, flagged or
/// invalid): no register accepts its kind, a register could not be asked, or its kind cannot
/// prove absence.
std::string not_clear_reason(Verdict verdict, std::string_view kind,
                             std::span<const Answer> answers);

/// True when the registers asked do not all say the same: some hit and some miss, or hits with
/// different statuses. (An error next to a miss is not a conflict: it is an unknown.)
bool registers_disagree(std::span<const Answer> answers);

/// One identifier of a device for folding.
struct DeviceIdentifier {
  Verdict verdict = Verdict::Unknown;
  bool checkable = false;   ///< at least one configured register accepts its kind
  bool handset_id = false;  ///< an IMEI, MEID or ESN: what stolen-device registers list phones by
  bool can_clear = true;    ///< false for a serial number: its misses neither clear nor block
  bool answered = true;     ///< every register accepting its kind answered (no error)
};

/// A device's verdict from its identifiers: `flagged` when any identifier is flagged; `clear`
/// only when every checkable identifier is clear AND at least one of them is a handset identity
/// (IMEI, MEID, ESN); `unknown` otherwise. So a phone whose IMEI could not be read (not
/// authorised, locked, refused) is never called clear on its serial number alone, and a device
/// with nothing checkable is unknown. Identifiers no register accepts (a USB serial when only
/// IMEI registers exist) do not block a clear verdict. `read_completely` is false when a probe of
/// the device failed: identifiers may be missing, so the best it can be is `unknown`.
Verdict fold_device(std::span<const DeviceIdentifier> identifiers, bool read_completely = true);

/// The worst of a list, for a command's exit status: flagged, then unknown, then invalid, then
/// clear; nullopt for an empty list.
std::optional<Verdict> worst(std::span<const Verdict> verdicts);

}  // namespace dfx::registers
