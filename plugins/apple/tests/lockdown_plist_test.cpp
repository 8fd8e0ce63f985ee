// lockdown plists: requests as lockdownd reads them, answers (XML and binary) as hostile input.
#include <gtest/gtest.h>
#include <plist/plist.h>

#include <cstdlib>

#include "lockdown_plist.hpp"
#include "pair_record.hpp"

namespace {

using namespace dfx::apple;
using lockdown::Value;

std::vector<uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

std::vector<uint8_t> binary_of(std::string_view xml) {
  plist_t p = nullptr;
  plist_from_xml(xml.data(), static_cast<uint32_t>(xml.size()), &p);
  char* bin = nullptr;
  uint32_t n = 0;
  plist_to_bin(p, &bin, &n);
  std::vector<uint8_t> out(bin, bin + n);
  std::free(bin);
  plist_free(p);
  return out;
}

constexpr std::string_view kAnswer = R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>Request</key><string>GetValue</string>
<key>Value</key><dict>
  <key>UniqueChipID</key><integer>8215880223637550</integer>
  <key>ProductType</key><string>iPhone11,2</string>
  <key>TelephonyCapability</key><true/>
  <key>BasebandSerialNumber</key><data>AAEC</data>
</dict></dict></plist>)";

TEST(LockdownPlist, RequestsAreLengthPrefixedXml) {
  const auto r = lockdown::request("GetValue", {{"Key", "ProductType"}});
  ASSERT_GT(r.size(), 4u);
  const uint32_t length = uint32_t{r[0]} << 24 | uint32_t{r[1]} << 16 | uint32_t{r[2]} << 8 | r[3];
  EXPECT_EQ(length, r.size() - 4);
  auto v = lockdown::parse(std::span<const uint8_t>(r).subspan(4));
  ASSERT_TRUE(v) << v.status().message();
  EXPECT_EQ(v->find("Request")->text, "GetValue");
  EXPECT_EQ(v->find("Key")->text, "ProductType");
  EXPECT_EQ(v->find("Label")->text, "dfx");
}

TEST(LockdownPlist, ReadsXmlAndBinaryAnswersAlike) {
  for (const auto& form : {bytes(kAnswer), binary_of(kAnswer)}) {
    auto v = lockdown::parse(form);
    ASSERT_TRUE(v) << v.status().message();
    auto checked = lockdown::check_answer(std::move(*v), "GetValue");
    ASSERT_TRUE(checked);
    const Value* values = checked->find("Value");
    ASSERT_NE(values, nullptr);
    EXPECT_EQ(values->find("UniqueChipID")->text, "8215880223637550");
    EXPECT_EQ(values->find("UniqueChipID")->kind, Value::Kind::Integer);
    EXPECT_EQ(values->find("TelephonyCapability")->text, "true");
    EXPECT_EQ(values->find("BasebandSerialNumber")->text, std::string("\x00\x01\x02", 3));
  }
}

TEST(LockdownPlist, GarbageIsAnErrorNotAValue) {
  auto garbage = bytes("bplist00");
  for (int i = 0; i < 64; ++i) garbage.push_back(static_cast<uint8_t>(i * 37));
  auto b = lockdown::parse(garbage);
  ASSERT_FALSE(b);
  EXPECT_NE(b.status().message().find("binary plist"), std::string::npos);
  EXPECT_FALSE(lockdown::parse(bytes("hello")));
  EXPECT_FALSE(lockdown::parse(bytes("<plist><dict><key>a</key>")));
  EXPECT_FALSE(lockdown::parse({}));
}

// libplist 2.2 aborts on a string or key holding NUL; such answers are refused before it sees
// them (regressions from fuzz_lockdown_plist).
TEST(LockdownPlist, ANulCharacterInAStringOrKeyIsRefusedNotACrash) {
  std::vector<uint8_t> utf16 = bytes("bplist00");
  // {"Request": "G\0"} with the value as a 2-unit UTF-16 string: objects dict, key, value.
  const std::vector<uint8_t> objects = {0xD1, 0x01, 0x02,                            // dict, 1 pair
                                        0x57, 'R',  'e',  'q',  'u', 'e', 's', 't',  // ASCII key
                                        0x62, 0x00, 'G',  0x00, 0x00};               // UTF-16 "G\0"
  utf16.insert(utf16.end(), objects.begin(), objects.end());
  const std::vector<uint8_t> offsets = {8, 11, 19};
  utf16.insert(utf16.end(), offsets.begin(), offsets.end());
  const std::vector<uint8_t> trailer = {0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 3,
                                        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 24};
  utf16.insert(utf16.end(), trailer.begin(), trailer.end());
  auto b = lockdown::parse(utf16);
  ASSERT_FALSE(b);
  EXPECT_NE(b.status().message().find("NUL"), std::string::npos) << b.status().message();
  for (const char* xml :
       {"<plist version=\"1.0\"><dict><key>Re&#0;quest</key><string>x</string></dict></plist>",
        "<plist version=\"1.0\"><dict><key>Request</key><string>&#x000;</string></dict></plist>"}) {
    auto x = lockdown::parse(bytes(xml));
    ASSERT_FALSE(x) << xml;
    EXPECT_NE(x.status().message().find("NUL"), std::string::npos) << x.status().message();
  }
  EXPECT_TRUE(lockdown::parse(bytes("<plist version=\"1.0\"><string>&#10;&#x41;</string></plist>")))
      << "other character references are fine";
}

TEST(LockdownPlist, DeepNestingIsRefused) {
  std::string xml = "<plist version=\"1.0\">";
  for (int i = 0; i < 20; ++i) xml += "<array>";
  for (int i = 0; i < 20; ++i) xml += "</array>";
  xml += "</plist>";
  auto v = lockdown::parse(bytes(xml));
  ASSERT_FALSE(v);
  EXPECT_NE(v.status().message().find("nested"), std::string::npos);
}

TEST(LockdownPlist, AnswersAreCheckedAgainstTheirRequest) {
  auto v = lockdown::parse(bytes(kAnswer));
  ASSERT_TRUE(v);
  EXPECT_FALSE(lockdown::check_answer(*v, "QueryType"));
  auto e = lockdown::parse(
      bytes("<plist version=\"1.0\"><dict><key>Request</key><string>StartSession</string>"
            "<key>Error</key><string>InvalidHostID</string></dict></plist>"));
  ASSERT_TRUE(e);
  auto refused = lockdown::check_answer(*e, "StartSession");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().message(), "InvalidHostID");
}

TEST(PairRecord, NeedsEveryFieldTheSessionUses) {
  const std::string full =
      "<plist version=\"1.0\"><dict>"
      "<key>HostID</key><string>H</string><key>SystemBUID</key><string>B</string>"
      "<key>HostCertificate</key><data>QQ==</data><key>HostPrivateKey</key><data>QQ==</data>"
      "<key>DeviceCertificate</key><data>QQ==</data><key>RootCertificate</key><data>QQ==</data>"
      "</dict></plist>";
  auto r = parse_pair_record(bytes(full));
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->host_id, "H");
  EXPECT_EQ(r->device_certificate, "A");
  std::string missing = full;
  missing.replace(missing.find("<key>HostID</key><string>H</string>"),
                  std::string("<key>HostID</key><string>H</string>").size(), "");
  auto m = parse_pair_record(bytes(missing));
  ASSERT_FALSE(m);
  EXPECT_NE(m.status().message().find("HostID"), std::string::npos);
}

TEST(PairRecord, OnlyUdidsBecomeFileNames) {
  EXPECT_TRUE(valid_udid("00008020001D2CD90128002E"));
  EXPECT_TRUE(valid_udid("00008020-001D2CD90128002E"));
  EXPECT_TRUE(valid_udid(std::string(40, 'a')));
  EXPECT_FALSE(valid_udid("../../etc/passwd"));
  EXPECT_FALSE(valid_udid("00008020/001D2CD90128002E"));
  EXPECT_FALSE(valid_udid(""));
}

}  // namespace
