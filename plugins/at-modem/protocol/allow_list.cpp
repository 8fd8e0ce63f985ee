#include "allow_list.hpp"

namespace dfx::at {
namespace {

// Every entry only reads (3GPP TS 27.007, ITU-T V.250, vendor manuals). AT+CRSM is limited to
// the one READ BINARY (command 176) of EF_ICCID (file 12258 = 0x2FE2, 10 bytes); every other
// +CRSM (UPDATE BINARY 214, UPDATE RECORD 220...) is off the list. Adding a line here is the only
// way to let the plugin send something new.
constexpr AllowedCommand kAllowList[] = {
    {"AT", {}, "probe: is an AT command interpreter listening", false},
    {"AT+CGMI", {"+CGMI"}, "manufacturer", false},
    {"AT+GMI", {"+GMI"}, "manufacturer (V.250 form, when AT+CGMI fails)", false},
    {"AT+CGMM", {"+CGMM"}, "model", false},
    {"AT+GMM", {"+GMM"}, "model (V.250 form, when AT+CGMM fails)", false},
    {"AT+CGMR", {"+CGMR"}, "firmware (modem) revision", false},
    {"AT+GMR", {"+GMR"}, "firmware revision (V.250 form, when AT+CGMR fails)", false},
    {"AT+CGSN", {"+CGSN"}, "IMEI", false},
    {"AT+CGSN=1", {"+CGSN"}, "IMEI (quoted form, when AT+CGSN fails)", false},
    {"AT+GSN", {"+GSN", "+CGSN"}, "IMEI (V.250 form, when both above fail)", false},
    {"AT+CGSN=2", {"+CGSN"}, "IMEISV", false},
    {"AT+CCID", {"+CCID", "+ICCID"}, "ICCID of the SIM", false},
    {"AT+ICCID", {"+ICCID", "+CCID"}, "ICCID of the SIM (vendor form, when AT+CCID fails)", false},
    {"AT+CRSM=176,12258,0,0,10",
     {"+CRSM"},
     "ICCID: READ BINARY of EF_ICCID on the SIM, when both above fail",
     false},
    {"AT+DEVCONINFO",
     {"+DEVCONINFO"},
     "Samsung device information: model, serial, IMEI, firmware (Samsung modems only)",
     false},
    {"AT+CIMI", {"+CIMI"}, "IMSI: only when the examiner asks (--at-modem-read-imsi yes)", true},
};

}  // namespace

std::span<const AllowedCommand> allow_list() {
  return kAllowList;
}

const AllowedCommand* find_allowed(std::string_view command) {
  for (const auto& entry : kAllowList)
    if (entry.command == command) return &entry;
  return nullptr;
}

bool is_allowed(std::string_view command, bool opted_in) {
  const AllowedCommand* entry = find_allowed(command);
  return entry != nullptr && (!entry->needs_opt_in || opted_in);
}

}  // namespace dfx::at
