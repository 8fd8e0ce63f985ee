// The Android plugin end to end in the lab: dfx scan reads the emulated phones over ADB (with RSA
// authorisation) and fastboot, normalizes their IMEIs and checks them against a real SQLite
// register; unauthorised and hostile phones end in a clear answer for that phone alone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <dfx/testing/harness.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Where the build put this plugin and its emulator, and where its handsets are (CMakeLists.txt).
const fs::path kPluginDir = ANDROID_PLUGIN_DIR;
const fs::path kEmulatorDir = ANDROID_EMULATOR_DIR;
const fs::path kSamples = ANDROID_HANDSETS_DIR;
const fs::path kHandsets = ANDROID_TEST_HANDSETS_DIR;

// The sample Pixel 7's identifiers (handsets/android-pixel-mtp-adb.json).
constexpr const char* kPixelSerial = "2B171FDH2000X7";
constexpr const char* kPixelImei = "353911101234566";
constexpr const char* kPixelImei2 = "353911101234640";

const json* device_with_serial(const json& doc, const std::string& serial, const std::string& pid) {
  for (const auto& d : doc["devices"])
    if (d["serial_number"] == serial && d["product_id"] == pid) return &d;
  return nullptr;
}

const json* probe_of(const json& device, const std::string& plugin) {
  for (const auto& p : device["probes"])
    if (p["plugin"] == plugin) return &p;
  return nullptr;
}

std::map<std::string, json> claims_of(const json& device, const std::string& plugin) {
  std::map<std::string, json> out;
  if (const json* p = probe_of(device, plugin))
    for (const auto& c : (*p)["claims"]) out[c["kind"].get<std::string>()] = c;
  return out;
}

class LabAndroid : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "dfx-lab-android-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = (dir_ / "register.sqlite").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  // A register holding one report of the Pixel's second IMEI.
  void import_register() {
    const auto imported =
        dfx::testing::import_register(db_,
                                      "identifier,status,reported_at,source,reference,notes\n"
                                      "35-391110-123464-0,stolen,2025-06-01,Metropolitan "
                                      "Police,MPS-2025-1234,taken from a shop\n",
                                      dir_);
    ASSERT_TRUE(imported) << imported.error();
  }
  // dfx scan of `handsets` in the lab, with this build's Android plugin and emulator.
  dfx::testing::LabScanResult scan(const std::vector<fs::path>& handsets,
                                   std::vector<std::string> args) {
    dfx::testing::LabScan s;
    s.handsets = handsets;
    s.plugin_dirs = {kPluginDir};
    s.emulator_dirs = {kEmulatorDir};
    s.registers = true;
    s.scan_args = std::move(args);
    // A home of its own: the plugin creates its adb key there, and the sample phones trust
    // ${HOME}/.android/adbkey.pub; nothing of the user's is read or written.
    s.env = {{"HOME", dir_.string()}};
    auto r = dfx::testing::scan_in_lab(s);
    EXPECT_TRUE(r) << r.error();
    return r ? std::move(*r) : dfx::testing::LabScanResult{};
  }
  fs::path dir_;
  std::string db_;
};

TEST_F(LabAndroid, PhoneIdentifiersAreReadNormalizedAndCheckedAgainstTheRegister) {
  import_register();
  const auto r =
      scan({kSamples / "android-pixel-mtp-adb.json", kSamples / "android-pixel-fastboot.json"},
           {"--register-db", db_});
  ASSERT_EQ(r.exit_status, 5) << "exit 5: a device is flagged\n" << r.report.dump(2) << r.log;
  const json& doc = r.report;

  const json* pixel = device_with_serial(doc, kPixelSerial, "4ee2");
  ASSERT_NE(pixel, nullptr) << doc.dump(2);
  const auto claims = claims_of(*pixel, "android");
  EXPECT_EQ(claims.at("adb_state")["value"], "device");
  EXPECT_EQ(claims.at("serial")["value"], kPixelSerial);
  EXPECT_EQ(claims.at("manufacturer")["value"], "Google");
  EXPECT_EQ(claims.at("model")["value"], "Pixel 7");
  EXPECT_EQ(claims.at("imei")["value"], kPixelImei);
  EXPECT_EQ(claims.at("imei2")["value"], kPixelImei2);
  EXPECT_NE(claims.at("imei")["method"].get<std::string>().find("service call iphonesubinfo"),
            std::string::npos)
      << "each claim says how it was read";

  const json* imei = dfx::testing::find_identifier(*pixel, kPixelImei);
  ASSERT_NE(imei, nullptr) << pixel->dump(2);
  EXPECT_EQ((*imei)["kind"], "imei");
  EXPECT_EQ((*imei)["valid"], true);
  EXPECT_EQ((*imei)["verdict"], "clear");
  EXPECT_EQ((*imei)["registers"][0]["outcome"], "miss");
  const json* imei2 = dfx::testing::find_identifier(*pixel, kPixelImei2);
  ASSERT_NE(imei2, nullptr);
  EXPECT_EQ((*imei2)["verdict"], "flagged");
  ASSERT_EQ((*imei2)["hits"].size(), 1u);
  EXPECT_EQ((*imei2)["hits"][0]["status"], "stolen");
  EXPECT_EQ((*imei2)["hits"][0]["reporting_party"], "Metropolitan Police");
  EXPECT_EQ((*imei2)["sources"][0]["claim"], "imei2");
  EXPECT_EQ((*pixel)["verdict"], "flagged") << "one flagged IMEI flags the phone";

  const json* boot = device_with_serial(doc, kPixelSerial, "4ee0");
  ASSERT_NE(boot, nullptr) << doc.dump(2);
  const auto fb = claims_of(*boot, "android");
  EXPECT_EQ(fb.at("fastboot_state")["value"], "bootloader");
  EXPECT_EQ(fb.at("serial")["value"], kPixelSerial);
  EXPECT_EQ(fb.at("product")["value"], "panther");
  EXPECT_TRUE(fb.count("version_bootloader"));
  EXPECT_TRUE(fb.count("secure"));
  EXPECT_TRUE(fb.count("unlocked"));
  EXPECT_EQ(fb.at("serial")["method"], "fastboot: getvar:serialno");
}

TEST_F(LabAndroid, AnUnauthorisedPhoneGivesItsDescriptorSerialAndWhatToDo) {
  import_register();
  const auto r = scan({kSamples / "android-unauthorized-adb.json"}, {"--register-db", db_});
  // 6: read as far as an unauthorised phone allows, and not clear (its IMEI is unknown).
  ASSERT_EQ(r.exit_status, 6) << r.log;
  const json& doc = r.report;
  ASSERT_EQ(doc["devices"].size(), 1u);
  const auto& d = doc["devices"][0];
  const auto claims = claims_of(d, "android");
  EXPECT_EQ(claims.at("adb_state")["value"], "unauthorized");
  EXPECT_EQ(claims.at("serial")["value"], d["serial_number"]);
  EXPECT_NE(claims.at("serial")["method"].get<std::string>().find("iSerialNumber"),
            std::string::npos);
  EXPECT_FALSE(claims.count("imei")) << "nothing beyond the descriptors without consent";
  EXPECT_EQ(d["verdict"], "unknown") << "its serial is on no register, but its IMEI was not read";
  EXPECT_NE(r.log.find("Allow USB debugging"), std::string::npos)
      << "the technician is told what to do";
  EXPECT_LT((*probe_of(d, "android"))["duration_ms"].get<double>(), 10000.0) << "never hangs";
}

TEST_F(LabAndroid, HostilePhonesEndInAClearErrorForThemAloneAndTheOthersAreRead) {
  std::vector<fs::path> handsets = {kSamples / "android-pixel-mtp-adb.json"};
  const std::vector<std::string> hostile = {
      "adb-bad-magic",        "adb-bad-checksum",          "adb-oversize-length",
      "adb-endless-write",    "adb-disconnect-mid-stream", "adb-huge-banner",
      "fastboot-endless-info"};
  for (const auto& h : hostile) handsets.push_back(kHandsets / (h + ".json"));
  const auto r = scan(handsets, {"--no-registers", "--probe-timeout", "20000"});
  ASSERT_EQ(r.exit_status, 3) << "exit 3: some devices could not be read\n" << r.log;
  const json& doc = r.report;
  ASSERT_EQ(doc["devices"].size(), hostile.size() + 1) << doc.dump(2);
  for (const auto& d : doc["devices"]) {
    const json* p = probe_of(d, "android");
    ASSERT_NE(p, nullptr) << d.dump();
    if (d["serial_number"] == kPixelSerial) {
      EXPECT_EQ((*p)["status"], "ok") << "the good phone is read in full: " << (*p).dump();
      EXPECT_EQ(claims_of(d, "android").at("imei")["value"], kPixelImei);
      continue;
    }
    SCOPED_TRACE(d["product"].dump());
    EXPECT_EQ((*p)["status"], "error") << p->dump();
    EXPECT_EQ((*p)["code"], "plugin_error")
        << "the plugin ended it, not the host's deadline: " << p->dump();
    EXPECT_FALSE((*p)["error"].get<std::string>().empty());
    if (d["serial_number"] != "HOSTILE0005") {  // the one that pulls its own cable mid-stream
      EXPECT_EQ(probe_of(d, "usb-generic")->at("status"), "ok")
          << "other plugins still read the phone";
    }
  }
}

}  // namespace
