// What the core makes of a probed device: the identifiers its plugins read, normalized and
// de-duplicated with every source kept; each one checked against the registers; the device's
// fail-closed verdict; and findings such as a TAC whose brand contradicts the manufacturer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "registers/checker.hpp"
#include "registers/register_set.hpp"
#include "scan/scanner.hpp"
#include "tac/brand_match.hpp"
#include "tac/tac_cache.hpp"

namespace dfx::scan {

/// Where an identifier was read: which plugin, under which claim kind, how.
struct IdentifierSource {
  std::string plugin;
  std::string claim;  ///< the claim kind, e.g. "imei2", "usb_serial"
  std::string value;  ///< as read
  std::string method;
};

/// One identifier of a device (several claims of the same identifier are one entry).
struct DeviceIdentifier {
  registers::CheckResult check;  ///< normalization, register answers, verdict
  std::vector<IdentifierSource> sources;
  std::string brand, model;  ///< from the TAC list, for IMEIs ("" when unknown)
  bool checkable = false;    ///< some configured register accepts its kind
};

/// The assessment of one device.
struct Assessment {
  std::vector<DeviceIdentifier> identifiers;
  registers::Verdict verdict = registers::Verdict::Unknown;  ///< see registers::fold_device
                                                             ///< (unknown when a probe failed)
  std::vector<tac::Finding> findings;
};

/// The identifier kind a claim kind is read as, or nullopt for claims that are not identifiers
/// (model, manufacturer, adb_state...): imei, imei1, imei2 -> imei; meid; esn; iccid; imsi;
/// eid; ecid; udid; serial and usb_serial -> serial (a 24- or 40-hex one -> udid, as Apple
/// devices in normal mode report their UDID there; a usb_serial holding ':' or spaces is the
/// structured text of a boot mode, not an identifier).
std::optional<ident::Kind> identifier_kind(std::string_view claim_kind, std::string_view value);

/// Assesses devices. `registers` may be null (registers not consulted: every verdict unknown).
class Assessor {
 public:
  Assessor(registers::RegisterSet* registers, const tac::TacCache* tacs)
      : registers_(registers), tacs_(tacs) {}
  Assessment assess(const DeviceReport& device);

 private:
  registers::RegisterSet* registers_;
  const tac::TacCache* tacs_;
};

/// "imei_disagreement" findings, from a device's assessed identifiers: for every two plugins that
/// each read valid IMEIs from the device but share none (an older Samsung's MTP serial number read
/// as its IMEI against the modem's AT+CGSN, say). A dual-SIM phone's two IMEIs are not a
/// disagreement as long as the readings overlap; invalid values are reported as invalid, not
/// compared.
std::vector<tac::Finding> imei_disagreements(const std::vector<DeviceIdentifier>& identifiers);

/// The device's verdict once its findings are known. A "<what>_withheld" finding (a plugin's:
/// the device answered but kept identifiers back, as an iPhone with a SIM-locked SIM keeps its
/// IMEI, or an unpaired iPhone its serial number and IMEI) means the registers were not asked
/// about everything the device is; an "imei_disagreement" means which IMEI is the device's is not
/// certain. Either way `clear` becomes `unknown`. Other verdicts stand.
registers::Verdict limit_by_findings(registers::Verdict verdict,
                                     const std::vector<tac::Finding>& findings);

/// {"verdict", "identifiers": [...], "findings": [...]} for a device's JSON.
void add_assessment_json(nlohmann::json& device, const Assessment& a);

}  // namespace dfx::scan
