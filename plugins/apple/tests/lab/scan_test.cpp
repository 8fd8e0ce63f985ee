// The Apple plugin end to end in the lab: dfx scan reads the sample iPhones in Recovery, DFU and
// normal mode, normalizes what they show and checks it against a real SQLite register; a phone
// with a malformed iSerialNumber ends in an error for that phone alone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <dfx/testing/harness.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kPluginDir = APPLE_PLUGIN_DIR;
const fs::path kSamples = APPLE_SAMPLES_DIR;
const fs::path kHandsets = APPLE_TEST_HANDSETS_DIR;

constexpr const char* kRecoverySerial =
    "CPID:8020 CPRV:11 CPFM:03 SCEP:01 BDID:0E ECID:001D2CD90128002E IBFL:3C "
    "SRNM:[F2LXXXXXXXXX] IMEI:[353908123456789]";
constexpr const char* kDfuSerial =
    "CPID:8020 CPRV:11 CPFM:03 SCEP:01 BDID:0E ECID:001D2CD90128002E IBFL:3C "
    "SRTG:[iBoot-3865.0.0.4.7]";
constexpr const char* kUdid = "00008020001D2CD90128002E";

class LabApple : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "dfx-lab-apple-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = (dir_ / "register.sqlite").string();
    // One report: the Recovery iPhone's IMEI, written as people write it.
    std::ofstream(dir_ / "reports.csv") << "identifier,status,reported_at,source,reference,notes\n"
                                        << "35-390812-345678-9,stolen,2025-03-02,Metropolitan "
                                           "Police,MPS-2025-0302,iPhone XS taken in a street "
                                           "robbery\n";
    const auto r = dfx::testing::run_program(
        "dfx", {"register", "import", "--register-db", db_, (dir_ / "reports.csv").string()},
        {{"HOME", dir_.string()}});
    ASSERT_TRUE(r) << r.error();
    ASSERT_EQ(r->exit_status, 0) << r->out << r->err;
  }
  void TearDown() override { fs::remove_all(dir_); }

  dfx::testing::LabScanResult scan(const std::vector<fs::path>& handsets) {
    dfx::testing::LabScan s;
    s.handsets = handsets;
    s.plugin_dirs = {kPluginDir};
    s.registers = true;
    s.scan_args = {"--register-db", db_};
    s.env = {{"HOME", dir_.string()}};
    auto r = dfx::testing::scan_in_lab(s);
    EXPECT_TRUE(r) << r.error();
    return r ? std::move(*r) : dfx::testing::LabScanResult{};
  }
  fs::path dir_;
  std::string db_;
};

TEST_F(LabApple, EachModeGivesWhatItShowsNormalizedAndChecked) {
  const auto r = scan({kSamples / "iphone-recovery.json", kSamples / "iphone-dfu.json",
                       kSamples / "iphone-normal.json"});
  ASSERT_EQ(r.exit_status, 5) << "exit 5: a device is flagged\n" << r.report.dump(2) << r.log;

  // Recovery: ECID, serial and IMEI from iBoot's string; the IMEI is in the register.
  ASSERT_EQ(r.devices(kRecoverySerial).size(), 1u) << r.report.dump(2);
  const json& recovery = *r.devices(kRecoverySerial)[0];
  EXPECT_EQ(r.claim("apple", "x_apple_mode", kRecoverySerial), "recovery");
  EXPECT_EQ(r.claim("apple", "ecid", kRecoverySerial), "0x001D2CD90128002E");
  EXPECT_EQ(r.claim("apple", "serial", kRecoverySerial), "F2LXXXXXXXXX");
  EXPECT_EQ(r.claim("apple", "imei", kRecoverySerial), "353908123456789");
  EXPECT_EQ(r.claim("apple", "model", kRecoverySerial), "iPhone XS");
  const json* imei = dfx::testing::find_identifier(recovery, "353908123456789");
  ASSERT_NE(imei, nullptr) << recovery.dump(2);
  EXPECT_EQ((*imei)["verdict"], "flagged");
  EXPECT_EQ((*imei)["hits"][0]["status"], "stolen");
  EXPECT_EQ((*imei)["hits"][0]["reporting_party"], "Metropolitan Police");
  EXPECT_EQ(recovery["verdict"], "flagged");
  const json* ecid = dfx::testing::find_identifier(recovery, "001D2CD90128002E");
  ASSERT_NE(ecid, nullptr) << recovery.dump(2);
  EXPECT_EQ((*ecid)["kind"], "ecid");
  EXPECT_EQ((*ecid)["verdict"], "clear") << "asked, and the register has no report of it";

  // DFU: the SecureROM shows the ECID and no serial or IMEI.
  EXPECT_EQ(r.claim("apple", "x_apple_mode", kDfuSerial), "dfu");
  EXPECT_EQ(r.claim("apple", "ecid", kDfuSerial), "0x001D2CD90128002E");
  EXPECT_EQ(r.claim("apple", "imei", kDfuSerial), "");
  EXPECT_EQ(r.claim("apple", "x_apple_product_type", kDfuSerial), "iPhone11,2");
  ASSERT_EQ(r.devices(kDfuSerial).size(), 1u);
  EXPECT_NE(dfx::testing::find_identifier(*r.devices(kDfuSerial)[0], "001D2CD90128002E"), nullptr);

  // Normal mode: the UDID, normalized with its hyphen.
  EXPECT_EQ(r.claim("apple", "udid", kUdid), kUdid);
  ASSERT_EQ(r.devices(kUdid).size(), 1u);
  EXPECT_NE(dfx::testing::find_identifier(*r.devices(kUdid)[0], "00008020-001D2CD90128002E"),
            nullptr)
      << r.devices(kUdid)[0]->dump(2);
}

TEST_F(LabApple, AMalformedIdentityStringIsAnErrorForThatPhoneAlone) {
  const auto r =
      scan({kHandsets / "iphone-recovery-bad-ecid.json", kSamples / "iphone-recovery.json"});
  const auto bad = r.devices();
  const json* probe = nullptr;
  for (const json* d : bad)
    if ((*d)["serial_number"].get<std::string>().find("ZZ") != std::string::npos)
      for (const auto& p : (*d)["probes"])
        if (p["plugin"] == "apple") probe = &p;
  ASSERT_NE(probe, nullptr) << r.report.dump(2);
  EXPECT_EQ((*probe)["status"], "error");
  const std::string why = (*probe)["error"];
  EXPECT_NE(why.find("ECID"), std::string::npos) << why;
  EXPECT_NE(why.find("IMEI"), std::string::npos) << why;
  bool serial = false, ecid = false;
  for (const auto& c : (*probe)["claims"]) {
    serial |= c["kind"] == "serial" && c["value"] == "F2LYYYYYYYYY";
    ecid |= c["kind"] == "ecid";
  }
  EXPECT_TRUE(serial) << "what could be read is kept";
  EXPECT_FALSE(ecid) << "a malformed ECID is never guessed";
  // The good phone beside it is read in full.
  EXPECT_EQ(r.claim("apple", "imei", kRecoverySerial), "353908123456789");
}

}  // namespace
