// The DeviceInfo parser and PTP strings: good datasets (an AOSP phone, an older Samsung), and
// every kind of hostile input ending in an error that names the field and the offset.
#include <gtest/gtest.h>

#include "dataset_builder.hpp"
#include "device_info.hpp"
#include "ptp_string.hpp"

namespace dfx::mtp {
namespace {

using test::Bytes;
using test::device_info_bytes;
using test::device_info_head;

::testing::AssertionResult fails_with(const Result<DeviceInfo>& r, Errc code,
                                      const std::string& needle) {
  if (r) return ::testing::AssertionFailure() << "parsed, expected an error with " << needle;
  if (r.error().code != code)
    return ::testing::AssertionFailure()
           << "code " << to_string(r.error().code) << ": " << r.error().message;
  if (r.error().message.find(needle) == std::string::npos)
    return ::testing::AssertionFailure()
           << "message \"" << r.error().message << "\" lacks \"" << needle << "\"";
  return ::testing::AssertionSuccess();
}

TEST(DeviceInfo, ParsesAnAndroidPhonesDataset) {
  const auto bytes = device_info_bytes("samsung", "SM-G991B", "1.0", "R58N90DFX01");
  auto r = parse_device_info(bytes);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->standard_version, 100);
  EXPECT_EQ(r->vendor_extension_id, 6u);
  EXPECT_EQ(r->vendor_extension_version, 100);
  EXPECT_EQ(r->vendor_extension_desc, "microsoft.com: 1.0; android.com: 1.0;");
  EXPECT_EQ(r->functional_mode, 0);
  EXPECT_EQ(r->operations_supported,
            (std::vector<uint16_t>{0x1001, 0x1002, 0x1003, 0x1004, 0x1005}));
  EXPECT_EQ(r->events_supported, (std::vector<uint16_t>{0x4002, 0x4003}));
  EXPECT_EQ(r->device_properties_supported, (std::vector<uint16_t>{0xD401, 0xD402, 0x5001}));
  EXPECT_TRUE(r->capture_formats.empty());
  EXPECT_EQ(r->playback_formats, (std::vector<uint16_t>{0x3000, 0x3001, 0x3801}));
  EXPECT_EQ(r->manufacturer, "samsung");
  EXPECT_EQ(r->model, "SM-G991B");
  EXPECT_EQ(r->device_version, "1.0");
  EXPECT_EQ(r->serial_number, "R58N90DFX01");
  EXPECT_EQ(r->trailing_bytes, 0u);
}

// Shaped after libmtp's published mtp-detect log of a real Galaxy S III (libmtp
// logs/mtp-detect-samsung-gt-i9300.txt): its strings and lists as the log prints them, the
// serial number (an IMEI there) replaced by a made-up one.
TEST(DeviceInfo, ParsesADatasetShapedLikeLibmtpsGalaxyS3Log) {
  const std::string desc =
      "microsoft.com: 1.0; microsoft.com/WMPPD: 11.0; microsoft.com/WMPPD: 10.0; "
      "microsoft.com/WMDRMPD:10.1; microsoft.com/playready:1.10;";
  Bytes d;
  d.u16(100).u32(6).u16(100).str(desc).u16(0);
  d.array({0x1001, 0x1002, 0x1003, 0x1004, 0x1005, 0x1006, 0x1007, 0x1008, 0x1009, 0x100B, 0x100C,
           0x100D, 0x100F, 0x1014, 0x1015, 0x1016, 0x101B, 0x9810, 0x9811, 0x9802, 0x9801, 0x9803,
           0x9804, 0x9805, 0x9806, 0x9201, 0x9202, 0x1011, 0x1012, 0x1017, 0x9807, 0x9808, 0x9100,
           0x9101, 0x9102, 0x9103, 0x9104, 0x9105, 0x9106, 0x9107, 0x9108, 0x9109, 0x910A, 0x910B,
           0x910C, 0x910D, 0x910E, 0x910F, 0x9110, 0x9111, 0x9112, 0x9113, 0x9114, 0x9115, 0x9116});
  d.array({0x4002, 0x4003, 0x4004, 0x4005});
  d.array({0x5001, 0xD401, 0xD402, 0xD404, 0xD407, 0xD101, 0xD102, 0xD103, 0xD104, 0xD105});
  d.array({});
  d.array({0xB984, 0x3009, 0xB901, 0xB981, 0x3801, 0x3001, 0xBA05, 0x3000, 0x3807, 0x300A, 0x300B,
           0x300C, 0xB982, 0xBA10, 0xBA11, 0xBA03});
  d.str("SAMSUNG Electronics Co. Ltd.").str("GT-I9300").str("V1.0").str("351941062718283");
  auto r = parse_device_info(d.b);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->vendor_extension_desc, desc);
  EXPECT_EQ(r->operations_supported.size(), 55u);
  EXPECT_EQ(r->operations_supported.back(), 0x9116);
  EXPECT_EQ(r->device_properties_supported.size(), 10u);
  EXPECT_EQ(r->playback_formats.front(), 0xB984);
  EXPECT_EQ(r->manufacturer, "SAMSUNG Electronics Co. Ltd.");
  EXPECT_EQ(r->model, "GT-I9300");
  EXPECT_EQ(r->device_version, "V1.0");
  EXPECT_EQ(r->serial_number, "351941062718283");
  EXPECT_EQ(r->trailing_bytes, 0u);
}

TEST(DeviceInfo, EmptyStringsAndCountOneAreEmpty) {
  auto d = device_info_head("");
  d.str("").units({0}).str("").str("");  // Model written as count 1: just the NUL
  auto r = parse_device_info(d.b);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->vendor_extension_desc, "");
  EXPECT_EQ(r->manufacturer, "");
  EXPECT_EQ(r->model, "");
  EXPECT_EQ(r->serial_number, "");
}

TEST(DeviceInfo, DecodesUtf16IncludingSurrogatePairs) {
  auto d = device_info_head();
  // "Zoë" and U+1F4F1 (mobile phone) as a surrogate pair.
  d.units({'Z', 'o', 0x00EB, 0}).units({0xD83D, 0xDCF1, 0}).str("1.0").str("X1");
  auto r = parse_device_info(d.b);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->manufacturer, "Zo\xC3\xAB");
  EXPECT_EQ(r->model, "\xF0\x9F\x93\xB1");
}

TEST(DeviceInfo, TrailingBytesAreAcceptedAndCounted) {
  auto bytes = device_info_bytes("motorola", "moto g54 5G", "1.0", "ZY22K3LXQD");
  bytes.insert(bytes.end(), {0xDE, 0xAD, 0xBE});
  auto r = parse_device_info(bytes);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->serial_number, "ZY22K3LXQD");
  EXPECT_EQ(r->trailing_bytes, 3u);
}

TEST(DeviceInfo, EveryTruncationNamesTheFieldItCut) {
  const auto whole = device_info_bytes("samsung", "GT-I9300", "1.0", "351941062718283");
  // Cutting the dataset anywhere must fail (never crash, never parse), naming a field.
  for (std::size_t n = 0; n < whole.size(); ++n) {
    auto r = parse_device_info(std::span(whole).first(n));
    ASSERT_FALSE(r) << "a dataset cut at " << n << " bytes parsed";
    EXPECT_EQ(r.error().code, Errc::truncated) << n << ": " << r.error().message;
    EXPECT_NE(r.error().message.find(" at offset "), std::string::npos) << r.error().message;
  }
  EXPECT_TRUE(fails_with(parse_device_info(std::span(whole).first(1)), Errc::truncated,
                         "StandardVersion at offset 0"));
  EXPECT_TRUE(fails_with(parse_device_info(std::span(whole).first(5)), Errc::truncated,
                         "VendorExtensionID at offset 2"));
}

TEST(DeviceInfo, StringCountPastTheEndIsTruncatedWithFieldAndOffset) {
  auto d = device_info_head();
  const std::size_t at = d.b.size();
  d.u8(200).u16('S').u16('A');
  EXPECT_TRUE(fails_with(parse_device_info(d.b), Errc::truncated,
                         "Manufacturer at offset " + std::to_string(at) +
                             ": string count 200 needs 400 bytes but only 4 remain"));
}

TEST(DeviceInfo, StringWithoutItsNulIsMalformed) {
  auto d = device_info_head();
  d.str("samsung").units({'G', 'T', '-'});  // Model: 3 units, the last not NUL
  d.str("1.0").str("1");
  EXPECT_TRUE(fails_with(parse_device_info(d.b), Errc::malformed, "Model at offset"));
  EXPECT_TRUE(fails_with(parse_device_info(d.b), Errc::malformed, "is not the terminating NUL"));
}

TEST(DeviceInfo, NulInsideAStringIsMalformed) {
  auto d = device_info_head();
  d.str("samsung").str("SM").str("1.0").units({'R', 0, 'X', 0});
  EXPECT_TRUE(fails_with(parse_device_info(d.b), Errc::malformed, "SerialNumber at offset"));
}

TEST(DeviceInfo, OddCountsAreLegalBecauseTheCountIsInCodeUnits) {
  auto d = device_info_head();
  d.str("LG").str("abc").str("1.0").str("1234");  // counts 3, 4, 4, 5
  auto r = parse_device_info(d.b);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->manufacturer, "LG");
  EXPECT_EQ(r->serial_number, "1234");
}

TEST(DeviceInfo, UnpairedSurrogatesAreMalformed) {
  for (auto units :
       {std::initializer_list<uint16_t>{0xD83D, 'x', 0}, std::initializer_list<uint16_t>{0xDCF1, 0},
        std::initializer_list<uint16_t>{'a', 0xD83D, 0}}) {
    auto d = device_info_head();
    d.str("Google").units(units).str("1.0").str("1");
    EXPECT_TRUE(fails_with(parse_device_info(d.b), Errc::malformed, "Model at offset"));
    EXPECT_TRUE(fails_with(parse_device_info(d.b), Errc::malformed, "surrogate"));
  }
}

TEST(DeviceInfo, ArrayCountBeyondTheBytesLeftFailsBeforeAllocating) {
  Bytes d;
  d.u16(100).u32(6).u16(100).str("").u16(0);
  const std::size_t at = d.b.size();
  d.u32(8000).u16(0x1001);  // 8000 items announced (under the cap), 2 bytes present
  EXPECT_TRUE(fails_with(parse_device_info(d.b), Errc::truncated,
                         "OperationsSupported at offset " + std::to_string(at) +
                             ": array count 8000 needs 16000 bytes but only 2 remain"));
}

TEST(DeviceInfo, HugeArrayCountIsTooLarge) {
  Bytes d;
  d.u16(100).u32(6).u16(100).str("").u16(0).array({}).array({}).array({});
  d.u32(0xFFFFFFFFu);
  EXPECT_TRUE(fails_with(parse_device_info(d.b), Errc::too_large, "CaptureFormats at offset"));
  EXPECT_TRUE(fails_with(parse_device_info(d.b), Errc::too_large, "4294967295"));
}

TEST(PtpString, EncoderRoundTripsAndRefusesOverlongStrings) {
  for (const std::string s : {"", "a", "SAMSUNG", "Zo\xC3\xAB", "\xF0\x9F\x93\xB1 phone"}) {
    std::vector<uint8_t> out;
    ASSERT_TRUE(write_ptp_string(out, s));
    std::size_t off = 0;
    auto back = read_ptp_string(out, off, "S");
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, s);
    EXPECT_EQ(off, out.size());
  }
  std::vector<uint8_t> out;
  EXPECT_TRUE(write_ptp_string(out, std::string(254, 'x')));
  auto too_long = write_ptp_string(out, std::string(255, 'x'));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, Errc::too_large);
  EXPECT_FALSE(write_ptp_string(out, "\xFF\xFE"));  // not UTF-8
}

TEST(DeviceInfo, EncoderWritesWhatTheHandBuiltBytesSayAndParsesBack) {
  DeviceInfo info;
  info.vendor_extension_desc = "microsoft.com: 1.0; android.com: 1.0;";
  info.operations_supported = {0x1001, 0x1002, 0x1003, 0x1004, 0x1005};
  info.events_supported = {0x4002, 0x4003};
  info.device_properties_supported = {0xD401, 0xD402, 0x5001};
  info.playback_formats = {0x3000, 0x3001, 0x3801};
  info.manufacturer = "Google";
  info.model = "Pixel 7";
  info.device_version = "1.0";
  info.serial_number = "2B171FDH2000X7";
  auto bytes = encode_device_info(info);
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(*bytes, device_info_bytes("Google", "Pixel 7", "1.0", "2B171FDH2000X7"));
  auto back = parse_device_info(*bytes);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, info);
}

}  // namespace
}  // namespace dfx::mtp
