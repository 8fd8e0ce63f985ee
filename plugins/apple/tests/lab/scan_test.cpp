// The Apple plugin end to end in the lab: dfx scan reads the sample iPhones in Recovery, DFU and
// normal mode (over usbmux and lockdown, unpaired, and paired with the test pair records of
// handsets/pair-records), normalizes what they show and checks it against a real SQLite register;
// a phone with a malformed iSerialNumber, and each hostile iPhone, ends in an error for that phone
// alone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <dfx/testing/harness.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kPluginDir = APPLE_PLUGIN_DIR;
const fs::path kSamples = APPLE_SAMPLES_DIR;
const fs::path kPairRecords = kSamples / "pair-records";
const fs::path kHandsets = APPLE_TEST_HANDSETS_DIR;

constexpr const char* kRecoverySerial =
    "CPID:8020 CPRV:11 CPFM:03 SCEP:01 BDID:0E ECID:001D2CD90128002E IBFL:3C "
    "SRNM:[F2LXXXXXXXXX] IMEI:[353908123456789]";
constexpr const char* kDfuSerial =
    "CPID:8020 CPRV:11 CPFM:03 SCEP:01 BDID:0E ECID:001D2CD90128002E IBFL:3C "
    "SRTG:[iBoot-3865.0.0.4.7]";
constexpr const char* kUdid = "00008020001D2CD90128002E";
constexpr const char* kPairedUdid = "00008020000A1B2C3D4E5F60";
constexpr const char* kSimLockedUdid = "000080200011223344556677";

class LabApple : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "dfx-lab-apple-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = (dir_ / "register.sqlite").string();
    // The Recovery iPhone's IMEI, written as people write it, and the paired iPhone's second
    // IMEI, which only a paired session reveals.
    const auto imported = dfx::testing::import_register(
        db_,
        "identifier,status,reported_at,source,reference,notes\n"
        "35-390812-345678-9,stolen,2025-03-02,Metropolitan Police,MPS-2025-0302,iPhone XS taken "
        "in a street robbery\n"
        "357201096543213,lost,2025-06-11,Owner,OWN-11,left on a bus\n",
        dir_);
    ASSERT_TRUE(imported) << imported.error();
  }
  void TearDown() override { fs::remove_all(dir_); }

  dfx::testing::LabScanResult scan(const std::vector<fs::path>& handsets,
                                   const std::vector<std::string>& more = {}) {
    dfx::testing::LabScan s;
    s.handsets = handsets;
    s.plugin_dirs = {kPluginDir};
    s.registers = true;
    s.scan_args = {"--register-db", db_};
    s.scan_args.insert(s.scan_args.end(), more.begin(), more.end());
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

  // Normal mode, unpaired: the UDID from USB, and over usbmux what lockdownd gives anyone.
  ASSERT_EQ(r.devices(kUdid).size(), 1u);
  const json& normal = *r.devices(kUdid)[0];
  EXPECT_EQ(normal["status"], "ok") << normal.dump(2);
  EXPECT_NE(dfx::testing::find_identifier(normal, "00008020-001D2CD90128002E"), nullptr)
      << "the UDID, normalized with its hyphen";
  EXPECT_EQ(r.claim("apple", "ecid", kUdid), "0x001D2CD90128002E") << "UniqueChipID, in hex";
  EXPECT_EQ(r.claim("apple", "x_apple_product_type", kUdid), "iPhone11,2");
  EXPECT_EQ(r.claim("apple", "model", kUdid), "iPhone XS");
  EXPECT_EQ(r.claim("apple", "x_apple_ios_version", kUdid), "17.5.1");
  EXPECT_EQ(r.claim("apple", "x_apple_password_protected", kUdid), "true");
  EXPECT_EQ(r.claim("apple", "serial", kUdid), "") << "not given to an unpaired host";
  EXPECT_EQ(r.claim("apple", "imei", kUdid), "");
  bool withheld = false, configured = false;
  for (const auto& f : normal["findings"]) {
    withheld |= f["code"] == "identifiers_withheld" &&
                f["message"].get<std::string>().find("Trust") != std::string::npos;
    configured |= f["code"] == "usb_configuration_changed";
  }
  EXPECT_TRUE(withheld) << "what pairing would need is said: " << normal["findings"].dump(2);
  EXPECT_TRUE(configured) << "the host records the configuration it selected";
  const json* ecid_normal = dfx::testing::find_identifier(normal, "001D2CD90128002E");
  ASSERT_NE(ecid_normal, nullptr);
  EXPECT_EQ((*ecid_normal)["verdict"], "clear");
  EXPECT_EQ(normal["verdict"], "unknown")
      << "its IMEI was withheld: the registers were not asked about the whole phone";
}

TEST_F(LabApple, APairRecordOpensATlsSessionForTheSerialImeiAndSim) {
  const auto r = scan({kSamples / "iphone-normal-paired.json",
                       kSamples / "iphone-normal-simlocked.json", kSamples / "iphone-normal.json"},
                      {"--apple-pair-records", kPairRecords.string()});
  ASSERT_EQ(r.exit_status, 5) << "exit 5: the paired phone's IMEI2 is reported lost\n"
                              << r.report.dump(2) << r.log;
  // Paired: what only a session gives, each with its method.
  EXPECT_EQ(r.claim("apple", "serial", kPairedUdid), "F2LXK0AB3KPF");
  EXPECT_EQ(r.claim("apple", "imei", kPairedUdid), "357201091234560");
  EXPECT_EQ(r.claim("apple", "imei2", kPairedUdid), "357201096543213");
  EXPECT_EQ(r.claim("apple", "iccid", kPairedUdid), "8944110068123456787");
  for (const auto& c : r.claims("apple", kPairedUdid))
    if (c.kind == "imei") {
      EXPECT_NE(c.method.find("paired TLS"), std::string::npos) << c.method;
    }
  ASSERT_EQ(r.devices(kPairedUdid).size(), 1u);
  const json& paired = *r.devices(kPairedUdid)[0];
  const json* imei2 = dfx::testing::find_identifier(paired, "357201096543213");
  ASSERT_NE(imei2, nullptr) << paired.dump(2);
  EXPECT_EQ((*imei2)["verdict"], "flagged");
  EXPECT_EQ(paired["verdict"], "flagged");
  for (const auto& f : paired["findings"]) EXPECT_NE(f["code"], "identifiers_withheld");

  // SIM-locked: the session is open, the IMEI is withheld, and that is a finding, not a gap.
  EXPECT_EQ(r.claim("apple", "serial", kSimLockedUdid), "F2LXK0AB3KPG");
  EXPECT_EQ(r.claim("apple", "imei", kSimLockedUdid), "");
  EXPECT_EQ(r.claim("apple", "x_apple_sim_status", kSimLockedUdid),
            "kCTSIMSupportSIMStatusPINLocked");
  ASSERT_EQ(r.devices(kSimLockedUdid).size(), 1u);
  const json& locked = *r.devices(kSimLockedUdid)[0];
  bool imei_withheld = false;
  for (const auto& f : locked["findings"]) imei_withheld |= f["code"] == "imei_withheld";
  EXPECT_TRUE(imei_withheld) << locked["findings"].dump(2);
  EXPECT_EQ(locked["status"], "ok");
  EXPECT_EQ(locked["verdict"], "unknown") << "never clear without its IMEI";

  // A phone with no record in the folder is read unpaired, as before.
  EXPECT_EQ(r.claim("apple", "serial", kUdid), "");
  EXPECT_EQ(r.claim("apple", "ecid", kUdid), "0x001D2CD90128002E");
}

// Each hostile iPhone ends in an error naming what it did, and the good iPhone plugged beside
// them is read in full. Bounded: a phone that never answers costs the plugin's 3 s wait for the
// usbmux VERSION answer, well inside dfx's probe deadline.
TEST_F(LabApple, HostileIPhonesEndInAClearErrorAndTheOthersAreReadInFull) {
  const auto r = scan(
      {kHandsets / "iphone-hostile-lockdown-length-4gib.json",
       kHandsets / "iphone-hostile-bplist-garbage.json",
       kHandsets / "iphone-hostile-reset-mid-session.json",
       kHandsets / "iphone-hostile-never-answers.json",
       kHandsets / "iphone-hostile-broken-tcp-seq.json", kSamples / "iphone-normal-paired.json"},
      {"--apple-pair-records", kPairRecords.string()});
  EXPECT_EQ(r.exit_status, 5) << "flagged beats incomplete\n" << r.log;
  std::vector<std::string> errors;
  for (const json* d : r.devices(kUdid))
    for (const auto& p : (*d)["probes"])
      if (p["plugin"] == "apple") {
        EXPECT_EQ(p["status"], "error") << p.dump(2);
        EXPECT_EQ(p["code"], "plugin_error") << "the plugin said why; nothing crashed or hung";
        errors.push_back(p["error"].is_string() ? p["error"].get<std::string>() : "");
      }
  ASSERT_EQ(errors.size(), 5u) << r.report.dump(2);
  for (const char* expected :
       {"4294967295 bytes announced", "not a valid binary plist", "LIBUSB_ERROR_NO_DEVICE",
        "did not answer in time", "sequence broken"}) {
    bool seen = false;
    for (const auto& e : errors) seen |= e.find(expected) != std::string::npos;
    EXPECT_TRUE(seen) << expected << " in none of:\n" << ::testing::PrintToString(errors);
  }
  EXPECT_EQ(r.claim("apple", "imei", kPairedUdid), "357201091234560") << "read in full";
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
