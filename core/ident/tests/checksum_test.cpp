// Luhn (base 10 and 16), the IMEI fast path and MOD 97-10, on published examples and against
// each other.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "ident/checksum.hpp"
#include "printers.hpp"

namespace dfx::ident {
namespace {

TEST(Luhn, PublishedExamples) {
  // python-stdnum's luhn docstring: checksum('7894') == 6, check digit '9'.
  EXPECT_EQ(luhn_checksum("7894"), 6);
  EXPECT_EQ(luhn_check_digit("7894"), '9');
  EXPECT_TRUE(luhn_valid("78949"));
  EXPECT_FALSE(luhn_valid("78948"));
  // Luhn mod 16: checksum('1234', hex alphabet) == 14.
  EXPECT_EQ(luhn_checksum("1234", 16), 14);
  // MEID AF0123450ABCDE has hex check digit C (3GPP2 / stdnum example).
  EXPECT_EQ(luhn_check_digit("AF0123450ABCDE", 16), 'C');
  EXPECT_EQ(luhn_check_digit("af0123450abcde", 16), 'C');
  EXPECT_TRUE(luhn_valid("AF0123450ABCDEC", 16));
  EXPECT_TRUE(luhn_valid("af0123450abcdec", 16));
  EXPECT_FALSE(luhn_valid("AF0123450ABCDED", 16));
  // Visa test card number.
  EXPECT_TRUE(luhn_valid("4111111111111111"));
}

TEST(Luhn, RejectsBadInput) {
  EXPECT_EQ(luhn_checksum(""), -1);
  EXPECT_EQ(luhn_checksum("12a4"), -1);      // 'a' is not a decimal digit
  EXPECT_EQ(luhn_checksum("12G4", 16), -1);  // 'G' is not a hex digit
  EXPECT_EQ(luhn_checksum("1234", 8), -1);   // only bases 10 and 16
  EXPECT_FALSE(luhn_check_digit("").has_value());
  EXPECT_FALSE(luhn_check_digit("1 2").has_value());
  EXPECT_FALSE(luhn_valid(""));
}

TEST(Luhn, CheckDigitAlwaysValidates) {
  std::mt19937_64 rng(1);
  for (int round = 0; round < 2000; ++round) {
    const unsigned base = round % 2 ? 16 : 10;
    std::string body;
    const int len = 1 + static_cast<int>(rng() % 30);
    for (int i = 0; i < len; ++i) body.push_back("0123456789ABCDEF"[rng() % base]);
    const auto cd = luhn_check_digit(body, base);
    ASSERT_TRUE(cd.has_value());
    EXPECT_TRUE(luhn_valid(body + *cd, base)) << body << " base " << base;
    // Every other final digit fails: Luhn detects all single-digit errors.
    for (unsigned d = 0; d < base; ++d) {
      const char other = "0123456789ABCDEF"[d];
      if (other != *cd) {
        EXPECT_FALSE(luhn_valid(body + other, base)) << body << other;
      }
    }
  }
}

TEST(IsValidImei, KnownValues) {
  EXPECT_TRUE(is_valid_imei("352099001761481"));
  EXPECT_TRUE(is_valid_imei("354178036859789"));  // stdnum docstring
  EXPECT_FALSE(is_valid_imei("354178036859781"));
  EXPECT_FALSE(is_valid_imei("35209900176148"));    // 14 digits: not for the fast path
  EXPECT_FALSE(is_valid_imei("3520990017614810"));  // 16 digits
  EXPECT_FALSE(is_valid_imei("35209900176148 "));
  EXPECT_FALSE(is_valid_imei("35-209900-17614"));
  EXPECT_FALSE(is_valid_imei("35209900176148:"));  // ':' - '0' == 10, just past the digits
  EXPECT_FALSE(is_valid_imei("/52099001761481"));  // '/' is just below '0'
  EXPECT_FALSE(is_valid_imei(""));
}

TEST(IsValidImei, AgreesWithGenericLuhnOnRandomInput) {
  std::mt19937_64 rng(2);
  int valid = 0;
  for (int round = 0; round < 100000; ++round) {
    std::string s(15, '0');
    for (char& c : s) c = static_cast<char>('0' + rng() % 10);
    if (round % 50 == 0) s[rng() % 15] = static_cast<char>("/:Aa \x7f"[rng() % 6]);
    const bool expected = luhn_valid(s);
    ASSERT_EQ(is_valid_imei(s), expected) << s;
    valid += expected;
  }
  EXPECT_GT(valid, 9000);  // about 1 in 10 random numbers passes
}

TEST(Mod97, Iso7064) {
  // IBAN GB82WEST12345698765432 rearranged to digits: mod 97 == 1.
  EXPECT_EQ(mod97("3214282912345698765432161182"), 1);
  EXPECT_TRUE(mod97_10_valid("89049032004008882600000000001240"));
  EXPECT_TRUE(mod97_10_valid("89001012012341234012345678901224"));  // GSMA SGP.22 example EID
  EXPECT_FALSE(mod97_10_valid("89049032004008882600000000001241"));
  EXPECT_EQ(mod97_10_check_digits("890490320040088826000000000012"), "40");
  EXPECT_EQ(mod97(""), -1);
  EXPECT_EQ(mod97("12x"), -1);
  EXPECT_FALSE(mod97_10_check_digits("").has_value());
}

TEST(Mod97, CheckDigitsAreStandardRangeAndValidate) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 5000; ++round) {
    std::string body;
    for (int i = 0; i < 30; ++i) body.push_back(static_cast<char>('0' + rng() % 10));
    const auto cd = mod97_10_check_digits(body);
    ASSERT_TRUE(cd.has_value());
    EXPECT_TRUE(mod97_10_valid(body + *cd)) << body;
    const int v = std::stoi(*cd);
    EXPECT_GE(v, 2);
    EXPECT_LE(v, 98);
  }
}

}  // namespace
}  // namespace dfx::ident
