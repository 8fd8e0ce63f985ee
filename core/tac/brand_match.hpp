// Does the brand a device reports over USB agree with the brand its IMEI's TAC was allocated to?
// A phone whose USB descriptor says "Samsung Electronics Co., Ltd." but whose IMEI has an Oppo
// TAC has probably had its IMEI changed (or copied from another phone): a finding to show the
// technician, not a verdict. Pure functions, no I/O.
//
// Names are compared by a normalised form (see normalize_brand), then through a small alias
// table of brands that are the same company or handset line:
//   HMD Global ~ Nokia, Microsoft (Mobile) ~ Nokia, Sony Ericsson ~ Sony ~ Ericsson,
//   LGE ~ LG, RIM / Research In Motion ~ BlackBerry, TCL ~ TCT ~ Alcatel, Honor ~ Huawei,
//   Redmi / POCO ~ Xiaomi, ASUSTeK ~ Asus, BenQ-Siemens ~ BenQ ~ Siemens, Sagemcom ~ Sagem.
// Deliberately absent: ODM and parent-company pairs that also sell phones under their own name
// (Lenovo/Motorola, Oppo/OnePlus/Realme, BBK/Vivo): a mismatch there is worth a look.
//
// The answer is Unknown, never Mismatch, when either name is missing or when the USB
// manufacturer names a chipset or OS rather than a brand ("MediaTek Inc.", "Qualcomm CDMA
// Technologies MSM", "Android", "Linux ..."): phones in boot, download or diagnostic modes
// report those, and they say nothing about who made the handset.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tac/tac_db.hpp"

namespace dfx::tac {

/// Something the core noticed about a device that a technician should check.
struct Finding {
  std::string code;      ///< stable identifier for programs, e.g. "tac_mismatch"
  std::string message;   ///< one sentence for a person
  std::string plugin{};  ///< the plugin whose probe reported it ("" for the host's own)
};

/// How a reported manufacturer compares with a TAC's brand.
enum class BrandMatch {
  Match,     ///< same brand (after normalisation and aliases)
  Mismatch,  ///< two real brands that differ
  Unknown,   ///< a name is missing, or one is not a brand (chipset, OS, placeholder)
};

/// "match", "mismatch", "unknown".
std::string_view to_string(BrandMatch m) noexcept;

/// The comparison form of a manufacturer or brand name: ASCII letters lower-cased; text in
/// parentheses removed ("OnePlus Technology (Shenzhen) Co., Ltd."); '.', '\'', '-' and '&'
/// removed so that "B.V." is "bv", "T-Mobile" is "tmobile" and "AT&T" is "att"; every other
/// non-alphanumeric ASCII character separates words; after the first word, corporate and
/// generic words are dropped (inc, ltd, co, corp, corporation, company, electronics, mobile,
/// mobility, communication(s), comms, telecom, technology, technologies, gmbh, ag, sa, llc, plc,
/// oy, ab, bv, nv, kk, international, group, holdings, device(s), phone(s), computer ...).
/// Words are joined by one space. Examples: "Samsung Electronics Co., Ltd." -> "samsung",
/// "Sony Ericsson Mobile Communications AB" -> "sony ericsson", "Apple Inc." -> "apple".
/// Non-ASCII characters are kept as they are.
std::string normalize_brand(std::string_view name);

/// Compares the manufacturer string a device reports (USB iManufacturer, or a plugin's claim)
/// with the brand of its TAC. Match when the normalised names are equal, when the words of one
/// begin the other ("Sony" / "Sony Ericsson"), or when the alias table puts them in the same
/// family; Unknown as described at the top of this header; Mismatch otherwise.
BrandMatch compare_brands(std::string_view reported_manufacturer, std::string_view tac_brand);

/// The finding {"tac_mismatch", message} when compare_brands() says Mismatch, nullopt when it
/// says Match or Unknown. The message names both values, the TAC and its model, e.g.
/// "the device reports manufacturer \"SAMSUNG\" but TAC 35675904 is allocated to Oppo (N1):
/// the IMEI may have been changed or copied from another device".
std::optional<Finding> tac_mismatch_finding(std::string_view reported_manufacturer,
                                            const TacInfo& tac);

}  // namespace dfx::tac
