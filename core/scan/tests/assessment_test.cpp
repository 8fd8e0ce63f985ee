// What the core makes of a probed device's claims (scan/assessment.hpp), without registers:
// grouping, kinds, TAC brand findings and the device fold. With registers it is covered end to
// end by tests/lab/lab_android_test.cpp.
#include "scan/assessment.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace {

using namespace dfx;
using dfx::ident::Kind;

probe::ProbeOutcome probe_with(const std::string& plugin, std::vector<probe::Claim> claims,
                               bool ok = true) {
  probe::ProbeOutcome p;
  p.plugin_id = plugin;
  p.ok = ok;
  p.code = ok ? "ok" : "plugin_error";
  p.claims = std::move(claims);
  return p;
}

TEST(Assessment, ClaimKindsThatAreIdentifiers) {
  EXPECT_EQ(scan::identifier_kind("imei2", "1"), Kind::Imei);
  EXPECT_EQ(scan::identifier_kind("meid", "1"), Kind::Meid);
  EXPECT_EQ(scan::identifier_kind("usb_serial", "R58M41ABCDE"), Kind::Serial);
  EXPECT_EQ(scan::identifier_kind("usb_serial", "00008020001D2CD90128002E"), Kind::Udid);
  EXPECT_FALSE(scan::identifier_kind("usb_serial", "CPID:8020 ECID:001D2CD90128002E SRNM:[X]"))
      << "an Apple Recovery/DFU string is not a serial number";
  EXPECT_FALSE(scan::identifier_kind("model", "Pixel 7"));
  EXPECT_FALSE(scan::identifier_kind("adb_state", "device"));
}

TEST(Assessment, OneEntryPerIdentifierWithEverySource) {
  scan::DeviceReport d;
  d.probes.push_back(probe_with("android", {{"serial", "2B171FDH2000X7", "adb: getprop"},
                                            {"imei", "353911101234566", "adb: service call"},
                                            {"imei2", "35391110123464", "adb: service call"}}));
  d.probes.push_back(
      probe_with("usb-generic", {{"usb_serial", "2b171fdh2000x7", "usb: iSerialNumber"}}));
  scan::Assessor assessor(nullptr, nullptr);
  const auto a = assessor.assess(d);
  ASSERT_EQ(a.identifiers.size(), 3u);
  EXPECT_EQ(a.identifiers[0].check.identifier->canonical, "2B171FDH2000X7");
  ASSERT_EQ(a.identifiers[0].sources.size(), 2u) << "the serial read twice is one identifier";
  EXPECT_EQ(a.identifiers[0].sources[1].plugin, "usb-generic");
  EXPECT_EQ(a.identifiers[2].check.identifier->canonical, "353911101234640")
      << "14 digits get their check digit";
  EXPECT_EQ(a.verdict, registers::Verdict::Unknown) << "no register was asked";
}

TEST(Assessment, InvalidClaimsStayVisibleAndAreNeverClear) {
  scan::DeviceReport d;
  d.probes.push_back(probe_with("android", {{"imei", "353911101234567", "adb: service call"}}));
  scan::Assessor assessor(nullptr, nullptr);
  const auto a = assessor.assess(d);
  ASSERT_EQ(a.identifiers.size(), 1u);
  EXPECT_EQ(a.identifiers[0].check.verdict, registers::Verdict::Invalid);
  nlohmann::json j;
  scan::add_assessment_json(j, a);
  EXPECT_EQ(j["identifiers"][0]["valid"], false);
  EXPECT_TRUE(j["identifiers"][0]["canonical"].is_null());
  EXPECT_NE(j["identifiers"][0]["error"].get<std::string>().find("check digit"), std::string::npos);
  EXPECT_EQ(j["identifiers"][0]["sources"][0]["claim"], "imei");
  EXPECT_EQ(j["verdict"], "unknown");
}

TEST(Assessment, TacBrandContradictingTheManufacturerIsAFinding) {
  tac::TacCache tacs;
  tacs.add("35391110", "Google", "Pixel 7");
  tacs.add("35675904", "Oppo", "N1");
  tacs.finish();
  scan::Assessor assessor(nullptr, &tacs);

  scan::DeviceReport same;
  same.probes.push_back(probe_with(
      "android", {{"manufacturer", "Google", "adb: getprop"}, {"imei", "353911101234566", "adb"}}));
  const auto ok = assessor.assess(same);
  EXPECT_TRUE(ok.findings.empty());
  EXPECT_EQ(ok.identifiers[0].brand, "Google");
  EXPECT_EQ(ok.identifiers[0].model, "Pixel 7");

  scan::DeviceReport changed;
  changed.facts.manufacturer = "SAMSUNG";
  changed.probes.push_back(probe_with("usb-generic", {{"imei", "356759041184608", "at: +CGSN"}}));
  const auto bad = assessor.assess(changed);
  ASSERT_EQ(bad.findings.size(), 1u);
  EXPECT_EQ(bad.findings[0].code, "tac_mismatch");
  EXPECT_NE(bad.findings[0].message.find("Oppo"), std::string::npos) << bad.findings[0].message;
}

TEST(Assessment, AWithheldIdentifierKeepsADeviceFromBeingClear) {
  using registers::Verdict;
  const std::vector<tac::Finding> withheld = {
      {"usb_configuration_changed", "configuration 3", "apple"},
      {"imei_withheld", "SIM locked", "apple"}};
  EXPECT_EQ(scan::limit_by_findings(Verdict::Clear, withheld), Verdict::Unknown);
  EXPECT_EQ(scan::limit_by_findings(Verdict::Flagged, withheld), Verdict::Flagged)
      << "a hit stays a hit";
  EXPECT_EQ(scan::limit_by_findings(Verdict::Invalid, withheld), Verdict::Invalid);
  EXPECT_EQ(scan::limit_by_findings(Verdict::Clear, {withheld[0]}), Verdict::Clear);

  scan::DeviceReport d;
  auto p = probe_with("apple", {{"udid", "00008020001D2CD90128002E", "usb"}});
  p.findings.push_back({"identifiers_withheld", "no pair record"});
  d.probes.push_back(p);
  const auto a = scan::Assessor(nullptr, nullptr).assess(d);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].plugin, "apple");
  nlohmann::json j;
  scan::add_assessment_json(j, a);
  EXPECT_EQ(j["findings"][0]["code"], "identifiers_withheld");
  EXPECT_EQ(j["findings"][0]["plugin"], "apple");
}

TEST(Assessment, PluginsWhoseImeisShareNoneDisagreeAndTheDeviceIsNeverClear) {
  using registers::Verdict;
  scan::DeviceReport d;
  d.probes.push_back(
      probe_with("mtp", {{"serial", "351941062718283", "mtp: GetDeviceInfo SerialNumber"},
                         {"imei", "351941062718283", "mtp: SerialNumber read as the IMEI"}}));
  d.probes.push_back(probe_with("at-modem", {{"imei", "352605053141594", "at: AT+CGSN"}}));
  const auto a = scan::Assessor(nullptr, nullptr).assess(d);
  const auto found = scan::imei_disagreements(a.identifiers);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].code, "imei_disagreement");
  EXPECT_NE(found[0].message.find("plugin mtp read IMEI 351941062718283"), std::string::npos)
      << found[0].message;
  EXPECT_NE(found[0].message.find("plugin at-modem read 352605053141594 (at: AT+CGSN)"),
            std::string::npos)
      << found[0].message;
  ASSERT_EQ(a.findings.size(), 1u) << "and assess reports it";
  EXPECT_EQ(a.findings[0].code, "imei_disagreement");
  EXPECT_EQ(scan::limit_by_findings(Verdict::Clear, a.findings), Verdict::Unknown);
  EXPECT_EQ(scan::limit_by_findings(Verdict::Flagged, a.findings), Verdict::Flagged);
}

TEST(Assessment, OverlappingOrSinglePluginImeiReadingsAreNoDisagreement) {
  scan::DeviceReport dual;  // a dual-SIM phone: ADB reads both IMEIs, the modem the first
  dual.probes.push_back(probe_with(
      "android", {{"imei", "353911101234566", "adb"}, {"imei2", "353911101234640", "adb"}}));
  dual.probes.push_back(probe_with("at-modem", {{"imei", "35391110123456-6", "at: AT+CGSN"}}));
  EXPECT_TRUE(scan::Assessor(nullptr, nullptr).assess(dual).findings.empty());

  scan::DeviceReport one;  // one plugin with two IMEIs is a dual-SIM phone, not a disagreement
  one.probes.push_back(probe_with(
      "android", {{"imei", "353911101234566", "adb"}, {"imei2", "353911101234640", "adb"}}));
  EXPECT_TRUE(scan::Assessor(nullptr, nullptr).assess(one).findings.empty());

  scan::DeviceReport invalid;  // a bad check digit is an invalid identifier, not a second IMEI
  invalid.probes.push_back(probe_with("android", {{"imei", "353911101234566", "adb"}}));
  invalid.probes.push_back(probe_with("at-modem", {{"imei", "353911101234567", "at"}}));
  EXPECT_TRUE(scan::Assessor(nullptr, nullptr).assess(invalid).findings.empty());
}

}  // namespace
