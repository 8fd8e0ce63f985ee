// IMSI (3GPP TS 23.003, ITU-T E.212): MCC (3 digits) + MNC (2 or 3) + MSIN; 14-15 digits in
// practice (the standard allows shorter; dfx only sees IMSIs read from phones and SIMs).
//
// MCC rule (deliberately conservative): 200-799 are the geographic MCC ranges and are accepted.
// Also accepted, with a note: 001 (ITU test network, used by lab equipment and test SIMs),
// 901 (international/shared codes: satellite and IoT SIMs) and 999 (internal/private networks).
// Everything else (000, 002-199, 800-900, 902-998) is rejected.
//
// The MNC length is not encoded in the IMSI; it is a property of the MCC (and sometimes of the
// network). The table below lists MCCs whose networks use 3-digit MNCs (North America and
// Caribbean, Mexico, Honduras, Argentina, Colombia, Falklands). India's 405 mixes 2- and
// 3-digit MNCs: there, and for every MCC not listed, a 2-digit MNC is assumed and, for 405,
// a note says the split is uncertain.
#include <algorithm>
#include <array>
#include <string>

#include "numtext.hpp"
#include "parsers.hpp"

namespace dfx::ident::detail {
namespace {

constexpr std::array<unsigned, 24> kThreeDigitMnc = {302, 310, 311, 312, 313, 314, 315, 316,
                                                     334, 338, 342, 344, 346, 348, 354, 356,
                                                     358, 360, 365, 376, 708, 722, 732, 750};

bool three_digit_mnc(unsigned mcc) {
  return std::binary_search(kThreeDigitMnc.begin(), kThreeDigitMnc.end(), mcc);
}

}  // namespace

Result parse_imsi(const Cleaned& c) {
  constexpr Kind kind = Kind::Imsi;
  if (c.size == 0) return reject(c, kind, Problem::Empty, "empty: no digits found");
  if (const std::size_t bad = find_bad(c, is_digit); bad != kNoIndex)
    return reject_char(c, kind, bad, "non-digit");
  const std::string_view v = c.view();
  const std::size_t n = c.size;
  if (n != 14 && n != 15)
    return reject(c, kind, Problem::WrongLength,
                  "wrong length: " + std::to_string(n) + " digits, IMSI needs 14 or 15");

  const auto mcc = static_cast<unsigned>(*parse_dec(v.substr(0, 3)));
  Identifier id = make_identifier(c, kind);
  if (mcc == 1) {
    id.notes.emplace_back("MCC 001: test network (lab equipment or test SIM)");
  } else if (mcc == 901) {
    id.notes.emplace_back(
        "MCC 901: international shared code (satellite, IoT or roaming-only SIM)");
  } else if (mcc == 999) {
    id.notes.emplace_back("MCC 999: internal use (private network SIM)");
  } else if (mcc < 200 || mcc > 799) {
    return reject(c, kind, Problem::OutOfRange,
                  "MCC " + std::string(v.substr(0, 3)) +
                      " is not a mobile country code in use (200-799, or 001/901/999)",
                  0);
  }
  const std::size_t mnc_len = three_digit_mnc(mcc) ? 3 : 2;
  if (mcc == 405)
    id.notes.emplace_back("MCC 405 (India) uses both 2- and 3-digit MNCs: 2 digits assumed");
  id.canonical.assign(v);
  id.derived.mcc.assign(v.substr(0, 3));
  id.derived.mnc.assign(v.substr(3, mnc_len));
  id.derived.msin.assign(v.substr(3 + mnc_len));
  return id;
}

}  // namespace dfx::ident::detail
