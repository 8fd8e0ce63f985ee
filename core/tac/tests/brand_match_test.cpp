// tac::normalize_brand, compare_brands and tac_mismatch_finding: real USB manufacturer strings
// against real TAC brands (from the Osmocom list), both ways round.
#include <gtest/gtest.h>

#include "tac/brand_match.hpp"

namespace {

using dfx::tac::BrandMatch;
using dfx::tac::compare_brands;
using dfx::tac::normalize_brand;

TEST(TacBrand, NormalizeDropsCaseCorporateWordsPunctuationAndParentheses) {
  const std::pair<const char*, const char*> cases[] = {
      {"SAMSUNG", "samsung"},
      {"Samsung Electronics Co., Ltd.", "samsung"},
      {"Samsung Electronics Co.,Ltd", "samsung"},
      {"Apple Inc.", "apple"},
      {"Google LLC", "google"},
      {"Sony Mobile Communications Inc.", "sony"},
      {"Sony Ericsson Mobile Communications AB", "sony ericsson"},
      {"OnePlus Technology (Shenzhen) Co., Ltd.", "oneplus"},
      {"HUAWEI Technologies Co., Ltd", "huawei"},
      {"Motorola Mobility LLC", "motorola"},
      {"Fairphone B.V.", "fairphone"},
      {"HTC Corporation", "htc"},
      {"T-Mobile", "tmobile"},
      {"AT&T", "att"},
      {"  LG   Electronics  ", "lg"},
      {"AEG Mobile Comms", "aeg"},
      {"Alcatel Mobile Phones", "alcatel"},
      {"Mobile Telesystems", "mobile telesystems"},  // the first word is never dropped
      {"Kyōcera", "kyōcera"},                        // non-ASCII kept as is
      {"", ""},
      {"(none)", ""},
      {"...", ""},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(normalize_brand(in), want) << in;
}

TEST(TacBrand, SameCompanyWrittenDifferentlyMatches) {
  const std::pair<const char*, const char*> cases[] = {
      {"SAMSUNG", "Samsung"},
      {"Samsung Electronics Co., Ltd.", "Samsung"},
      {"Apple Inc.", "Apple"},
      {"Google", "Google"},
      {"Google LLC", "Google"},
      {"motorola", "Motorola"},
      {"Motorola Mobility LLC", "Motorola"},
      {"HUAWEI", "Huawei"},
      {"OnePlus Technology (Shenzhen) Co., Ltd.", "OnePlus"},
      {"Sony Mobile Communications", "Sony"},
      {"BenQ", "BenQ-Siemens"},   // one word "benqsiemens": joined by the alias table
      {"Sony", "Sony Ericsson"},  // the words of one begin the other
      {"Sony Ericsson", "Sony"},
      {"SonyEricsson", "Ericsson"},
      {"AEG", "AEG Mobile Comms"},
  };
  for (const auto& [usb, tac] : cases)
    EXPECT_EQ(compare_brands(usb, tac), BrandMatch::Match) << usb << " / " << tac;
}

TEST(TacBrand, AliasTableJoinsBrandsOfOneCompany) {
  const std::pair<const char*, const char*> cases[] = {
      {"HMD Global", "Nokia"},
      {"HMD Global Oy", "Nokia"},
      {"Nokia", "Microsoft"},
      {"Microsoft Mobile", "Nokia"},
      {"LGE", "LG"},
      {"LG Electronics Inc.", "LGE"},
      {"Research In Motion", "BlackBerry"},
      {"RIM", "BlackBerry"},
      {"TCL", "Alcatel"},
      {"TCT Mobile Limited", "Alcatel"},
      {"Alcatel-Lucent", "TCL"},
      {"HONOR", "Huawei"},
      {"Huawei", "Honor"},
      {"Redmi", "Xiaomi"},
      {"POCO", "Xiaomi"},
      {"ASUSTeK Computer Inc.", "Asus"},
      {"Sagemcom", "Sagem"},
  };
  for (const auto& [usb, tac] : cases) {
    EXPECT_EQ(compare_brands(usb, tac), BrandMatch::Match) << usb << " / " << tac;
    EXPECT_EQ(compare_brands(tac, usb), BrandMatch::Match) << "symmetric: " << tac << " / " << usb;
  }
}

TEST(TacBrand, DifferentCompaniesMismatch) {
  const std::pair<const char*, const char*> cases[] = {
      {"SAMSUNG", "Oppo"},
      {"Apple Inc.", "Samsung"},
      {"Google", "LG"},        // a Nexus reports "LGE", not "Google": Google + LG TAC is odd
      {"Lenovo", "Motorola"},  // parent and brand: deliberately not aliased
      {"OnePlus", "Oppo"},
      {"Sony", "Ericsson"},  // Sony Ericsson is both, but Sony alone is not Ericsson
      {"Nokia", "HTC"},
      {"Xiaomi", "Huawei"},
      {"Samsung", "Samsung-ish Clone Co"},  // words differ: "samsungish"
  };
  for (const auto& [usb, tac] : cases) {
    EXPECT_EQ(compare_brands(usb, tac), BrandMatch::Mismatch) << usb << " / " << tac;
    EXPECT_EQ(compare_brands(tac, usb), BrandMatch::Mismatch) << tac << " / " << usb;
  }
}

TEST(TacBrand, MissingNamesAndChipsetOrOsStringsAreUnknown) {
  const char* not_brands[] = {"",
                              "   ",
                              "(null)",
                              "MediaTek Inc.",
                              "MediaTek",
                              "Qualcomm CDMA Technologies MSM",
                              "QUALCOMM Incorporated",
                              "Spreadtrum Communications Inc.",
                              "UNISOC",
                              "Android",
                              "Linux 5.10.43 with dwc3-gadget",
                              "Linux Foundation",
                              "NVIDIA Corp.",
                              "Texas Instruments",
                              "Unknown",
                              "N/A",
                              "USB"};
  for (const char* m : not_brands) {
    EXPECT_EQ(compare_brands(m, "Samsung"), BrandMatch::Unknown) << m;
    EXPECT_EQ(compare_brands("Samsung", m), BrandMatch::Unknown) << m;
  }
}

TEST(TacBrand, FindingOnMismatchOnly) {
  const dfx::tac::TacInfo oppo{"35675904", "Oppo", "N1", ""};
  auto f = dfx::tac::tac_mismatch_finding("Samsung Electronics Co., Ltd.", oppo);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->code, "tac_mismatch");
  EXPECT_EQ(f->message,
            "the device reports manufacturer \"Samsung Electronics Co., Ltd.\" but TAC 35675904 "
            "is allocated to Oppo (N1): the IMEI may have been changed or copied from another "
            "device");
  EXPECT_FALSE(dfx::tac::tac_mismatch_finding("OPPO", oppo));
  EXPECT_FALSE(dfx::tac::tac_mismatch_finding("MediaTek Inc.", oppo));
  EXPECT_FALSE(dfx::tac::tac_mismatch_finding("", oppo));
  const dfx::tac::TacInfo no_model{"01124500", "Apple", "", ""};
  auto g = dfx::tac::tac_mismatch_finding("Google", no_model);
  ASSERT_TRUE(g);
  EXPECT_NE(g->message.find("is allocated to Apple:"), std::string::npos) << g->message;
}

TEST(TacBrand, MatchNames) {
  EXPECT_EQ(dfx::tac::to_string(BrandMatch::Match), "match");
  EXPECT_EQ(dfx::tac::to_string(BrandMatch::Mismatch), "mismatch");
  EXPECT_EQ(dfx::tac::to_string(BrandMatch::Unknown), "unknown");
}

}  // namespace
