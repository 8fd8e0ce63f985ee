// Differential tests against python-stdnum, the reference implementation for IMEI and MEID.
//
// Inputs are generated deterministically (fixed seeds, see differential_inputs.hpp), written to
// a temporary file, tests/stdnum_oracle.py runs once over them, and validity plus canonical
// forms are compared field by field:
//  * ASCII inputs inside stdnum's alphabet, Unicode inputs (look-alike digits, Unicode
//    separators, characters that are not separators): dfx must answer exactly as stdnum;
//  * every Unicode character (the BMP and the mathematical alphanumerics) inside an IMEI: dfx
//    must read each one as stdnum reads it;
//  * decorated inputs (labels, brackets, scanner prefixes, control characters at the ends): dfx
//    must answer for the decorated value what stdnum answers for the bare one;
//  * the deliberate differences listed in docs/identifiers.md hold as listed.
// If python3 or python-stdnum is missing the tests FAIL: scripts/setup installs python3-stdnum.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "differential_inputs.hpp"
#include "ident/identifier.hpp"
#include "printers.hpp"
#include "stdnum_oracle.hpp"

namespace dfx::ident {
namespace {

using testing::ask_stdnum;
using testing::OracleLine;

constexpr const char* kFieldNames[] = {"imei_valid",   "imei_type",          "imei_canonical",
                                       "meid_valid",   "meid_hex",           "meid_hex_check",
                                       "meid_decimal", "meid_decimal_check", "pesn"};

/// dfx's answers in the oracle's format.
OracleLine dfx_fields(const std::string& input) {
  OracleLine f;
  const auto imei = normalize(input, Kind::Imei);
  if (imei) {
    f = {"1", imei->kind == Kind::Imei ? "IMEI" : "IMEISV", imei->canonical};
  } else {
    f = {"0", "-", "-"};
  }
  const auto meid = normalize(input, Kind::Meid);
  if (meid) {
    const Derived& d = meid->derived;
    f.insert(f.end(), {"1", meid->canonical, d.meid_hex_check, d.meid_decimal, d.meid_decimal_check,
                       d.pesn});
  } else {
    f.insert(f.end(), {"0", "-", "-", "-", "-", "-"});
  }
  return f;
}

/// Shows an input with its non-printable characters escaped.
std::string shown(const std::string& s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", u);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

struct Tally {
  std::size_t inputs = 0, mismatches = 0, imei_valid = 0, meid_valid = 0;
  std::ostringstream report;
};

/// Compares dfx on `inputs[i]` with stdnum on `asked[i]` (the same text unless decorated).
Tally compare(const std::vector<std::string>& inputs, const std::vector<std::string>& asked) {
  Tally t;
  std::vector<OracleLine> theirs;
  const std::string error = ask_stdnum(asked, theirs);
  if (!error.empty()) {
    ADD_FAILURE() << error;
    return t;
  }
  t.inputs = inputs.size();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const OracleLine ours = dfx_fields(inputs[i]);
    if (theirs[i].size() != ours.size()) {
      ADD_FAILURE() << "malformed oracle line " << i + 1;
      return t;
    }
    t.imei_valid += theirs[i][0] == "1";
    t.meid_valid += theirs[i][3] == "1";
    for (std::size_t f = 0; f < ours.size(); ++f) {
      if (ours[f] == theirs[i][f]) continue;
      if (++t.mismatches <= 20) {
        t.report << "  input [" << shown(inputs[i]) << "]";
        if (asked[i] != inputs[i]) t.report << " (stdnum asked [" << shown(asked[i]) << "])";
        t.report << " " << kFieldNames[f] << ": dfx '" << ours[f] << "', stdnum '" << theirs[i][f]
                 << "'";
        const auto why = normalize(inputs[i], f < 3 ? Kind::Imei : Kind::Meid);
        if (!why) t.report << " (dfx: " << why.error().reason << ")";
        t.report << "\n";
      }
      break;  // one report per input is enough
    }
  }
  return t;
}

void expect_agreement(const Tally& t, const char* what) {
  EXPECT_EQ(t.mismatches, 0U) << t.mismatches << " of " << t.inputs << " " << what
                              << " inputs disagree with python-stdnum; first ones:\n"
                              << t.report.str();
  std::cout << "[ stdnum   ] " << t.inputs << " " << what << " inputs: " << t.imei_valid
            << " valid IMEIs, " << t.meid_valid << " valid MEIDs, " << t.mismatches
            << " mismatches\n";
}

TEST(StdnumDifferential, AsciiInputsAgree) {
  const auto inputs = testing::make_ascii_inputs();
  ASSERT_GE(inputs.size(), 15000U);
  const Tally t = compare(inputs, inputs);
  expect_agreement(t, "ASCII");
  // The generator must exercise both outcomes of both validators.
  EXPECT_GT(t.imei_valid, 4000U);
  EXPECT_LT(t.imei_valid, t.inputs - 4000U);
  EXPECT_GT(t.meid_valid, 4000U);
  EXPECT_LT(t.meid_valid, t.inputs - 4000U);
}

TEST(StdnumDifferential, UnicodeInputsAgree) {
  std::vector<testing::CharEquivalent> map;
  const std::string error = testing::stdnum_char_map(map);
  ASSERT_TRUE(error.empty()) << error;
  const auto inputs = testing::make_unicode_inputs(map);
  ASSERT_GE(inputs.size(), 4500U);
  const Tally t = compare(inputs, inputs);
  expect_agreement(t, "Unicode");
  EXPECT_GT(t.imei_valid, 1000U);
  EXPECT_GT(t.meid_valid, 1000U);
  EXPECT_GT(t.inputs - t.imei_valid, 1000U);
}

TEST(StdnumDifferential, EveryCharacterInsideAnImeiIsReadAsStdnumReadsIt) {
  // One input per character: 3520990017 + the character + 61481. A character stdnum reads as a
  // separator leaves a valid IMEI; one it reads as a digit makes a 16-digit IMEISV whose digits
  // show which; any other makes it invalid.
  std::vector<std::string> inputs;
  auto add_range = [&inputs](std::uint32_t from, std::uint32_t to) {
    for (std::uint32_t cp = from; cp <= to; ++cp) {
      if (cp == '\n' || cp == '\r' || (cp >= 0xD800 && cp <= 0xDFFF)) continue;
      inputs.push_back("3520990017" + testing::utf8(cp) + "61481");
    }
  };
  add_range(0x01, 0xFFFF);
  add_range(0x1D400, 0x1D7FF);  // mathematical alphanumerics: bold, monospace... digits
  const Tally t = compare(inputs, inputs);
  expect_agreement(t, "single-character");
  EXPECT_GT(t.imei_valid, 40U);  // space, '-' and stdnum's Unicode separators and digits
}

TEST(StdnumDifferential, DecoratedInputsAnswerAsTheBareValue) {
  const auto decorated = testing::make_decorated_inputs();
  std::vector<std::string> inputs, bare;
  for (const auto& d : decorated) {
    inputs.push_back(d.input);
    bare.push_back(d.bare);
  }
  const Tally t = compare(inputs, bare);
  expect_agreement(t, "decorated");
  EXPECT_GT(t.imei_valid, 500U);
  EXPECT_GT(t.meid_valid, 500U);
}

// The differences docs/identifiers.md lists where dfx and stdnum answer differently for the
// same text (the decorations above are the others). If stdnum changes, this says which entry of
// the list to revisit.
TEST(StdnumDifferential, DeliberateDifferencesHoldAsDocumented) {
  struct Difference {
    const char* doc;  // the entry in docs/identifiers.md
    std::string input;
    bool stdnum_imei, stdnum_meid, dfx_imei, dfx_meid;
  };
  const std::vector<Difference> differences = {
      // Python's str.upper() turns the ligature U+FB00 into "FF": stdnum reads it as two hex
      // digits. dfx refuses it: no device or label writes a ligature in a MEID.
      {"ligature", "AF0123450ABC\xEF\xAC\x80", false, true, false, false},
  };
  std::vector<std::string> inputs;
  for (const auto& d : differences) inputs.push_back(d.input);
  std::vector<OracleLine> theirs;
  const std::string error = ask_stdnum(inputs, theirs);
  ASSERT_TRUE(error.empty()) << error;
  for (std::size_t i = 0; i < differences.size(); ++i) {
    const auto& d = differences[i];
    SCOPED_TRACE(d.doc);
    EXPECT_EQ(theirs[i][0] == "1", d.stdnum_imei);
    EXPECT_EQ(theirs[i][3] == "1", d.stdnum_meid);
    EXPECT_EQ(normalize(d.input, Kind::Imei).has_value(), d.dfx_imei);
    EXPECT_EQ(normalize(d.input, Kind::Meid).has_value(), d.dfx_meid);
  }
}

}  // namespace
}  // namespace dfx::ident
