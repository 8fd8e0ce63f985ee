// Round-trip properties on thousands of generated values (fixed seeds):
//  * a valid identifier survives any spelling a person or device may use and re-normalizes to
//    the same canonical form;
//  * normalize is idempotent on its own canonical output;
//  * MEID/ESN hex -> decimal -> hex is the identity; ICCID swap -> un-swap is the identity.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "gen.hpp"
#include "ident/identifier.hpp"
#include "printers.hpp"

namespace dfx::ident {
namespace {

using testing::Gen;

// Separators dfx removes, as python-stdnum does: space and dash, and their Unicode forms
// (no-break space, ideographic space, en dash, minus sign, full-width hyphen-minus; UTF-8).
const std::vector<std::string> kSeparators = {
    " ", "-", "  ", "\xC2\xA0", "\xE3\x80\x80", "\xE2\x80\x93", "\xE2\x88\x92", "\xEF\xBC\x8D"};

std::string with_separators(Gen& g, const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && g.coin(25)) out += kSeparators[g.below(kSeparators.size())];
    out.push_back(s[i]);
  }
  return out;
}

std::string dress(Gen& g, const std::string& value, const std::vector<std::string>& labels) {
  std::string s = with_separators(g, value);
  if (g.coin(20)) s = "[" + s + "]";
  if (g.coin(50)) s = labels[g.below(labels.size())] + s;
  if (g.coin(20)) s = "]C1" + s;
  if (g.coin(30)) s = " \t" + s;
  if (g.coin(30)) s += g.coin(50) ? "\r\n" : "\n";
  return s;
}

TEST(RoundTrip, ImeiSurvivesFormatting) {
  Gen g(11);
  const std::vector<std::string> labels = {"IMEI: ", "imei1:", "IMEI2 = ", "IMEI No.: ", "IMEI "};
  for (int i = 0; i < 5000; ++i) {
    const std::string imei = g.imei();
    const std::string typed = dress(g, g.coin(20) ? imei.substr(0, 14) : imei, labels);
    for (const Kind kind : {Kind::Auto, Kind::Imei}) {
      const auto r = normalize(typed, kind);
      ASSERT_TRUE(r.has_value()) << "[" << typed << "]: " << r.error().reason;
      ASSERT_EQ(r->canonical, imei) << "[" << typed << "]";
      ASSERT_EQ(r->kind, Kind::Imei);
    }
    ASSERT_TRUE(is_valid_imei(imei));
  }
}

TEST(RoundTrip, MeidSurvivesFormattingInEveryForm) {
  Gen g(12);
  const std::vector<std::string> labels = {"MEID: ", "meid:", "MEID "};
  for (int i = 0; i < 3000; ++i) {
    const std::string hex = g.meid_hex();
    const std::string dec = *meid_hex_to_decimal(hex);
    std::string form;
    switch (g.below(4)) {
      case 0:
        form = hex;
        break;
      case 1:
        form = hex + *meid_check_digit(hex);
        break;
      case 2:
        form = dec;
        break;
      default:
        form = dec + *luhn_check_digit(dec);
        break;
    }
    if (g.coin(30))
      for (char& c : form) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string typed = dress(g, form, labels);
    for (const Kind kind : {Kind::Auto, Kind::Meid}) {
      const auto r = normalize(typed, kind);
      ASSERT_TRUE(r.has_value()) << "[" << typed << "]: " << r.error().reason;
      ASSERT_EQ(r->kind, Kind::Meid) << "[" << typed << "]";
      ASSERT_EQ(r->canonical, hex) << "[" << typed << "]";
      ASSERT_EQ(r->derived.meid_decimal, dec);
      ASSERT_EQ(r->derived.pesn, *to_pseudo_esn(hex));
    }
  }
}

TEST(RoundTrip, MeidHexDecimalHex) {
  Gen g(13);
  for (int i = 0; i < 20000; ++i) {
    const std::string hex = g.hex(14);
    const auto dec = meid_hex_to_decimal(hex);
    ASSERT_TRUE(dec.has_value());
    ASSERT_EQ(dec->size(), 18U);
    ASSERT_EQ(meid_decimal_to_hex(*dec), hex);
  }
}

TEST(RoundTrip, EsnHexDecimalHex) {
  Gen g(14);
  for (int i = 0; i < 20000; ++i) {
    const std::string hex = g.hex(8);
    const auto dec = esn_hex_to_decimal(hex);
    ASSERT_TRUE(dec.has_value());
    ASSERT_EQ(esn_decimal_to_hex(*dec), hex);
    const auto r = normalize(*dec, Kind::Esn);
    ASSERT_TRUE(r.has_value());
    ASSERT_EQ(r->canonical, hex);
  }
}

TEST(RoundTrip, IccidSwapUnswap) {
  Gen g(15);
  for (int i = 0; i < 3000; ++i) {
    std::string body = "89" + g.digits(g.coin() ? 16 : 17);
    const std::string iccid = body + *luhn_check_digit(body);
    std::string raw = iccid.size() == 19 ? iccid + "F" : iccid;
    for (std::size_t k = 0; k < raw.size(); k += 2) std::swap(raw[k], raw[k + 1]);
    for (const std::string& typed : {iccid, raw, with_separators(g, iccid)}) {
      const auto r = normalize(typed, g.coin() ? Kind::Iccid : Kind::Auto);
      ASSERT_TRUE(r.has_value()) << typed << ": " << r.error().reason;
      ASSERT_EQ(r->kind, Kind::Iccid);
      ASSERT_EQ(r->canonical, iccid) << typed;
    }
  }
}

TEST(RoundTrip, EidSurvivesGrouping) {
  Gen g(16);
  for (int i = 0; i < 2000; ++i) {
    const std::string body = "89" + g.digits(28);
    const std::string eid = body + *mod97_10_check_digits(body);
    const auto r = normalize(with_separators(g, eid));
    ASSERT_TRUE(r.has_value()) << eid << ": " << r.error().reason;
    ASSERT_EQ(r->kind, Kind::Eid);
    ASSERT_EQ(r->canonical, eid);
  }
}

TEST(Idempotent, CanonicalFormNormalizesToItself) {
  Gen g(17);
  std::vector<std::pair<std::string, Kind>> values;
  for (int i = 0; i < 500; ++i) {
    values.emplace_back(g.imei().substr(0, 14), Kind::Imei);
    values.emplace_back(g.imei() + g.digits(1), Kind::Imeisv);
    values.emplace_back(g.meid_hex(), Kind::Meid);
    values.emplace_back(*meid_hex_to_decimal(g.hex(14)), Kind::Meid);
    values.emplace_back(g.hex(8), Kind::Esn);
    values.emplace_back("310" + g.digits(12), Kind::Imsi);
    values.emplace_back(g.hex(1 + g.below(16)), Kind::Ecid);
    values.emplace_back(g.hex(40), Kind::Udid);
    values.emplace_back(g.hex(24), Kind::Udid);
    values.emplace_back("s/n " + g.hex(12), Kind::Serial);
  }
  for (const auto& [input, kind] : values) {
    const auto first = normalize(input, kind);
    if (!first) {
      ASSERT_EQ(first.error().reason, "ECID is zero") << input;  // the only expected failure
      continue;
    }
    const auto second = normalize(first->canonical, first->kind);
    ASSERT_TRUE(second.has_value()) << first->canonical << ": " << second.error().reason;
    ASSERT_EQ(second->canonical, first->canonical);
    ASSERT_EQ(second->kind, first->kind);
  }
}

TEST(Robustness, ArbitraryBytesNeverCrash) {
  Gen g(18);
  for (int i = 0; i < 20000; ++i) {
    std::string s(g.below(90), '\0');
    for (char& c : s) c = static_cast<char>(g.below(256));
    for (const Kind kind : {Kind::Auto, Kind::Imei, Kind::Meid, Kind::Iccid, Kind::Serial}) {
      const auto r = normalize(s, kind);
      if (r) {
        ASSERT_NE(r->kind, Kind::Auto);
        ASSERT_FALSE(r->canonical.empty());
      } else {
        ASSERT_FALSE(r.error().reason.empty());
        // A position, when given, points inside the input.
        ASSERT_LE(r.error().position, s.size());
      }
    }
  }
}

}  // namespace
}  // namespace dfx::ident
