// Differential test against python-stdnum, the reference implementation for IMEI and MEID.
//
// Thousands of inputs are generated deterministically (fixed seed): valid values, single-digit
// errors, transpositions, wrong lengths, hex letters, ' '/'-' separators, overflowing decimal
// MEIDs, all-decimal 14/15-character MEIDs and random strings. They are written to a temporary
// file, tests/stdnum_oracle.py runs once over it, and validity plus canonical forms are compared
// line by line.
//
// Inputs stay inside python-stdnum's alphabet (digits, A-F, a-f, space, '-'): outside it dfx
// deliberately accepts more (labels, '/', '.', tabs, 0x, scanner prefixes), see README.md.
// If python3 or python-stdnum is missing the test FAILS: scripts/setup installs python3-stdnum.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "gen.hpp"
#include "ident/identifier.hpp"
#include "printers.hpp"

#ifndef DFX_IDENT_PYTHON
#error "DFX_IDENT_PYTHON must be defined by CMake"
#endif
#ifndef DFX_IDENT_STDNUM_ORACLE
#error "DFX_IDENT_STDNUM_ORACLE must be defined by CMake"
#endif

namespace dfx::ident {
namespace {

using testing::Gen;

constexpr const char* kFieldNames[] = {"imei_valid",   "imei_type",          "imei_canonical",
                                       "meid_valid",   "meid_hex",           "meid_hex_check",
                                       "meid_decimal", "meid_decimal_check", "pesn"};

std::string change_one_digit(Gen& g, std::string s) {
  const std::size_t i = g.below(s.size());
  s[i] = static_cast<char>('0' + (s[i] - '0' + 1 + static_cast<int>(g.below(9))) % 10);
  return s;
}

std::string transpose(Gen& g, std::string s) {
  const std::size_t i = g.below(s.size() - 1);
  std::swap(s[i], s[i + 1]);
  return s;
}

std::string random_case(Gen& g, std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'F' && g.coin(50)) c = static_cast<char>(c + 32);
  return s;
}

std::vector<std::string> make_inputs() {
  Gen g(0x5eed'1d3f'0000'0001ULL);
  std::vector<std::string> v = {"",
                                " ",
                                "-",
                                " - ",
                                "35-209900-176148-1",
                                " 352099001761481 ",
                                "AF 01 23 45 0A BC DE C",
                                "29360 87365 0070 3710 0",
                                "429496729516777215",
                                "429496729616777215",
                                "429496729516777216",
                                "000000000000000000",
                                "00000000000000",
                                "000000000000000"};
  auto add = [&v](int count, auto make) {
    for (int i = 0; i < count; ++i) v.push_back(make());
  };
  // IMEI family.
  add(2000, [&] { return g.imei(); });
  add(500, [&] { return g.imei().substr(0, 14); });
  add(500, [&] { return g.imei().substr(0, 14) + g.digits(2); });
  add(1000, [&] { return change_one_digit(g, g.imei()); });
  add(1000, [&] { return transpose(g, g.imei()); });
  add(500, [&] { return g.digits(g.below(25)); });
  add(500, [&] {
    std::string s = g.imei();
    s[g.below(s.size())] = "ABCDEFabcdef"[g.below(12)];
    return s;
  });
  // Separators and surrounding spaces on valid values of every form.
  add(1500, [&] {
    std::string s;
    switch (g.below(4)) {
      case 0:
        s = g.imei();
        break;
      case 1:
        s = g.imei().substr(0, 14) + g.digits(2);
        break;
      case 2:
        s = random_case(g, g.meid_hex());
        break;
      default:
        s = *meid_hex_to_decimal(g.hex(14));
        break;
    }
    s = g.sprinkle(s, " -", g.below(5));
    if (g.coin(20)) s = " " + s;
    if (g.coin(20)) s += "  ";
    return s;
  });
  // MEID hex forms.
  add(1000, [&] { return random_case(g, g.meid_hex()); });
  add(1000, [&] {
    const std::string h = g.meid_hex();
    return random_case(g, h + *meid_check_digit(h));
  });
  add(500, [&] {
    const std::string h = g.meid_hex();
    const char cd = *meid_check_digit(h);
    char other = cd;
    while (other == cd) other = "0123456789ABCDEF"[g.below(16)];
    return h + other;
  });
  add(500, [&] { return g.hex(14 + g.below(2)); });  // any regional code, maybe all-decimal
  // MEID decimal forms, including check digits and overflowing parts.
  add(700, [&] { return *meid_hex_to_decimal(g.hex(14)); });
  add(700, [&] {
    const std::string d = *meid_hex_to_decimal(g.hex(14));
    return d + *luhn_check_digit(d);
  });
  add(300, [&] {
    return change_one_digit(g, [&] {
      const std::string d = *meid_hex_to_decimal(g.hex(14));
      return d + *luhn_check_digit(d);
    }());
  });
  add(500, [&] {
    // High part 4294967296..9999999999 or low part 16777216..99999999.
    std::string high = std::to_string(g.below(4294967296ULL));
    std::string low = std::to_string(g.below(16777216ULL));
    if (g.coin())
      high = std::to_string(4294967296ULL + g.below(5705032704ULL));
    else
      low = std::to_string(16777216ULL + g.below(83222784ULL));
    std::string d =
        std::string(10 - high.size(), '0') + high + std::string(8 - low.size(), '0') + low;
    if (g.coin(30)) d += *luhn_check_digit(d);
    return d;
  });
  // All-decimal 14/15-character MEIDs: stdnum validates these as IMEIs.
  add(500, [&] { return g.digits(14); });
  add(500, [&] { return g.imei(); });
  add(500, [&] {
    const std::string body = g.digits(14);
    return body + *luhn_check_digit(body, 16);  // the hex-Luhn digit: valid only by chance
  });
  // Random strings over stdnum's alphabet.
  add(1500, [&] {
    std::string s(g.below(25), '0');
    for (char& c : s) c = "0123456789ABCDEFabcdef -"[g.below(24)];
    return s;
  });
  return v;
}

std::vector<std::string> dfx_fields(const std::string& input) {
  std::vector<std::string> f;
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

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, '\t')) out.push_back(field);
  return out;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q.push_back(c);
  }
  return q + "'";
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(StdnumDifferential, ImeiAndMeidAgreeWithPythonStdnum) {
  std::string python = DFX_IDENT_PYTHON;
  if (const char* env = std::getenv("DFX_IDENT_PYTHON"); env != nullptr && *env != '\0')
    python = env;
  ASSERT_FALSE(python.empty())
      << "no python3 was found when CMake configured dfx_ident; install python3 and "
         "python3-stdnum (scripts/setup does), then re-run cmake";
  const std::string oracle = DFX_IDENT_STDNUM_ORACLE;
  ASSERT_TRUE(std::filesystem::exists(oracle)) << "oracle script missing: " << oracle;

  const std::vector<std::string> inputs = make_inputs();
  ASSERT_GE(inputs.size(), 15000U);

  const auto dir =
      std::filesystem::temp_directory_path() / ("dfx-ident-stdnum-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto in_path = dir / "inputs.txt", out_path = dir / "stdnum.tsv",
             err_path = dir / "stderr.txt";
  {
    std::ofstream out(in_path, std::ios::binary);
    for (const std::string& s : inputs) out << s << '\n';
  }
  const std::string cmd = shell_quote(python) + " " + shell_quote(oracle) + " " +
                          shell_quote(in_path.string()) + " " + shell_quote(out_path.string()) +
                          " 2> " + shell_quote(err_path.string());
  const int status = std::system(cmd.c_str());
  const std::string err = read_file(err_path);
  const std::string answers = read_file(out_path);
  std::filesystem::remove_all(dir);
  const bool oracle_ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  ASSERT_TRUE(oracle_ok)
      << "python-stdnum oracle failed (" << python << " " << oracle << ", exit status "
      << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << "): " << err
      << "\nInstall python3-stdnum (scripts/setup) or point -DDFX_IDENT_PYTHON / the "
         "DFX_IDENT_PYTHON environment variable at a python3 that has it.";

  std::vector<std::string> lines;
  {
    std::stringstream ss(answers);
    std::string line;
    while (std::getline(ss, line)) lines.push_back(line);
  }
  ASSERT_EQ(lines.size(), inputs.size()) << "the oracle answered a different number of lines";

  std::size_t mismatches = 0, imei_valid = 0, imei_invalid = 0, meid_valid = 0, meid_invalid = 0;
  std::ostringstream report;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::vector<std::string> theirs = split_tabs(lines[i]);
    const std::vector<std::string> ours = dfx_fields(inputs[i]);
    ASSERT_EQ(theirs.size(), ours.size()) << "malformed oracle line " << i + 1 << ": " << lines[i];
    (theirs[0] == "1" ? imei_valid : imei_invalid)++;
    (theirs[3] == "1" ? meid_valid : meid_invalid)++;
    for (std::size_t f = 0; f < ours.size(); ++f) {
      if (ours[f] == theirs[f]) continue;
      if (++mismatches <= 20) {
        report << "  line " << i + 1 << " input [" << inputs[i] << "] " << kFieldNames[f]
               << ": dfx '" << ours[f] << "', stdnum '" << theirs[f] << "'";
        const auto why = normalize(inputs[i], f < 3 ? Kind::Imei : Kind::Meid);
        if (!why) report << " (dfx: " << why.error().reason << ")";
        report << "\n";
      }
      break;  // one report per input is enough
    }
  }
  EXPECT_EQ(mismatches, 0U) << mismatches << " of " << inputs.size()
                            << " inputs disagree with python-stdnum; first ones:\n"
                            << report.str();
  // The generator must exercise both outcomes of both validators.
  EXPECT_GT(imei_valid, 4000U);
  EXPECT_GT(imei_invalid, 4000U);
  EXPECT_GT(meid_valid, 4000U);
  EXPECT_GT(meid_invalid, 4000U);
  std::cout << "[ stdnum   ] " << inputs.size() << " inputs: IMEI " << imei_valid << " valid / "
            << imei_invalid << " invalid, MEID " << meid_valid << " valid / " << meid_invalid
            << " invalid, " << mismatches << " mismatches\n";
}

}  // namespace
}  // namespace dfx::ident
