// MEID / ESN / ECID conversions and the pseudo-ESN.
#include <gtest/gtest.h>

#include "ident/convert.hpp"
#include "printers.hpp"

namespace dfx::ident {
namespace {

TEST(MeidConvert, HexDecimalExample) {
  // python-stdnum's meid docstring: AF0123450ABCDE == 29360 87365 0070 3710 (check digit 0).
  EXPECT_EQ(meid_hex_to_decimal("AF0123450ABCDE"), "293608736500703710");
  EXPECT_EQ(meid_hex_to_decimal("af0123450abcde"), "293608736500703710");
  EXPECT_EQ(meid_decimal_to_hex("293608736500703710"), "AF0123450ABCDE");
  EXPECT_EQ(meid_check_digit("AF0123450ABCDE"), 'C');
  EXPECT_EQ(meid_check_digit("293608736500703710"), '0');
  // An all-decimal 14-digit body uses the decimal Luhn (IMEI rule): 35209900176148 -> 1.
  EXPECT_EQ(meid_check_digit("35209900176148"), '1');
}

TEST(MeidConvert, Bounds) {
  EXPECT_EQ(meid_decimal_to_hex("429496729516777215"), "FFFFFFFFFFFFFF");
  EXPECT_EQ(meid_hex_to_decimal("FFFFFFFFFFFFFF"), "429496729516777215");
  EXPECT_EQ(meid_decimal_to_hex("000000000000000000"), "00000000000000");
  EXPECT_FALSE(meid_decimal_to_hex("429496729616777215").has_value());  // high part 2^32
  EXPECT_FALSE(meid_decimal_to_hex("429496729516777216").has_value());  // low part 2^24
  EXPECT_FALSE(meid_decimal_to_hex("29360873650070371").has_value());   // 17 digits
  EXPECT_FALSE(meid_hex_to_decimal("AF0123450ABCDG").has_value());
  EXPECT_FALSE(meid_check_digit("AF0123450ABCD").has_value());
}

TEST(PseudoEsn, Examples) {
  EXPECT_EQ(to_pseudo_esn("AF0123450ABCDE"), "8016B128");  // python-stdnum docstring
  EXPECT_EQ(to_pseudo_esn("af0123450abcde"), "8016B128");
  EXPECT_EQ(to_pseudo_esn("A0000012345678"), "80CAA511");  // computed with python-stdnum 1.18
  EXPECT_FALSE(to_pseudo_esn("AF0123450ABCD").has_value());
  EXPECT_FALSE(to_pseudo_esn("293608736500703710").has_value());  // decimal form: convert first
}

TEST(EsnConvert, HexDecimal) {
  // 0x80 = 128, 0x16B128 = 1487144.
  EXPECT_EQ(esn_hex_to_decimal("8016B128"), "12801487144");
  EXPECT_EQ(esn_decimal_to_hex("12801487144"), "8016B128");
  EXPECT_EQ(esn_hex_to_decimal("00000001"), "00000000001");
  EXPECT_EQ(esn_decimal_to_hex("25516777215"), "FFFFFFFF");
  EXPECT_FALSE(esn_decimal_to_hex("25616777215").has_value());  // manufacturer 256
  EXPECT_FALSE(esn_decimal_to_hex("25516777216").has_value());  // serial 2^24
  EXPECT_FALSE(esn_hex_to_decimal("8016B12").has_value());
}

TEST(EcidConvert, DecimalToHex) {
  EXPECT_EQ(ecid_decimal_to_hex("8212084863533102"), "001D2CD90128002E");
  EXPECT_EQ(ecid_decimal_to_hex("18446744073709551615"), "FFFFFFFFFFFFFFFF");
  EXPECT_FALSE(ecid_decimal_to_hex("18446744073709551616").has_value());  // 2^64
  EXPECT_FALSE(ecid_decimal_to_hex("0").has_value());
  EXPECT_FALSE(ecid_decimal_to_hex("12a").has_value());
  EXPECT_FALSE(ecid_decimal_to_hex("").has_value());
}

}  // namespace
}  // namespace dfx::ident
