// The MTP plugin end to end in the lab: dfx scan reads the emulated phones' DeviceInfo through
// dfx-lab, reports manufacturer, model and serial with their methods, reads the older Samsung's
// IMEI from its MTP serial number and checks it against a real SQLite register; hostile phones
// end in an error for them alone while a good phone plugged beside them is read in full.
#include <gtest/gtest.h>
#include <unistd.h>

#include <dfx/testing/harness.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Where the build put this plugin and its emulator, and where its handsets are (CMakeLists.txt).
const fs::path kPluginDir = MTP_PLUGIN_DIR;
const fs::path kEmulatorDir = MTP_EMULATOR_DIR;
const fs::path kSamples = MTP_HANDSETS_DIR;
const fs::path kHostile = MTP_TEST_HANDSETS_DIR;

// The sample phones (handsets/*.json).
constexpr const char* kGalaxySerial = "R58N90DFX01";
constexpr const char* kXiaomiSerial = "7f3c9a21";
constexpr const char* kS3UsbSerial = "4df1a2b3c4d5e6f7";
constexpr const char* kS3Imei = "351941062718283";

// The device's identifier entry of this kind and canonical form (the IMEI read from the MTP serial
// number is also a serial number entry with the same digits).
const json* identifier(const json& device, const std::string& kind, const std::string& canonical) {
  for (const auto& i : device["identifiers"])
    if (i["kind"] == kind && i["canonical"] == canonical) return &i;
  return nullptr;
}

class LabMtp : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "dfx-lab-mtp-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = (dir_ / "register.sqlite").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  // A register holding one report of the older Samsung's IMEI.
  void import_register() {
    const auto imported = dfx::testing::import_register(
        db_,
        "identifier,status,reported_at,source,reference,notes\n"
        "351941062718283,stolen,2025-09-14,Greater Manchester Police,GMP-25-0914-77,"
        "taken in a burglary\n",
        dir_);
    ASSERT_TRUE(imported) << imported.error();
  }
  dfx::testing::LabScanResult scan(const std::vector<fs::path>& handsets,
                                   std::vector<std::string> args) {
    dfx::testing::LabScan s;
    s.handsets = handsets;
    s.plugin_dirs = {kPluginDir};
    s.emulator_dirs = {kEmulatorDir};
    s.only_plugins = {"mtp", "usb-generic"};
    s.registers = true;
    s.scan_args = std::move(args);
    s.env = {{"HOME", dir_.string()}};
    auto r = dfx::testing::scan_in_lab(s);
    EXPECT_TRUE(r) << r.error();
    return r ? std::move(*r) : dfx::testing::LabScanResult{};
  }
  fs::path dir_;
  std::string db_;
};

TEST_F(LabMtp, PhonesAreIdentifiedAndTheOldSamsungsImeiIsFlagged) {
  import_register();
  const auto r = scan({kSamples}, {"--register-db", db_});
  ASSERT_EQ(r.exit_status, 5) << "exit 5: a device is flagged\n" << r.report.dump(2) << r.log;
  const json& doc = r.report;

  const json* galaxy = r.device(kGalaxySerial);
  ASSERT_NE(galaxy, nullptr) << doc.dump(2);
  // The claim of `kind` by mtp on the phone with USB serial `serial`, as "value | method".
  const auto claim_with_method = [&](const char* serial, const char* kind) {
    const auto c = r.find_claim("mtp", kind, serial);
    return c ? c->value + " | " + c->method : std::string("<none>");
  };
  EXPECT_EQ((*r.probe("mtp", kGalaxySerial))["status"], "ok");
  EXPECT_EQ(claim_with_method(kGalaxySerial, "manufacturer"),
            "samsung | mtp: GetDeviceInfo Manufacturer");
  EXPECT_EQ(claim_with_method(kGalaxySerial, "model"), "SM-G991B | mtp: GetDeviceInfo Model");
  EXPECT_EQ(claim_with_method(kGalaxySerial, "serial"),
            std::string(kGalaxySerial) + " | mtp: GetDeviceInfo SerialNumber");
  EXPECT_EQ(r.claim("mtp", "x_mtp_device_version", kGalaxySerial), "1.0");
  EXPECT_EQ(claim_with_method(kGalaxySerial, "imei"), "<none>")
      << "an ordinary serial is not an IMEI";

  ASSERT_NE(r.device(kXiaomiSerial), nullptr) << doc.dump(2);
  EXPECT_EQ(r.claim("mtp", "manufacturer", kXiaomiSerial), "Xiaomi");
  EXPECT_EQ(r.claim("mtp", "model", kXiaomiSerial), "Redmi Note 8 Pro");
  EXPECT_EQ(r.claim("mtp", "serial", kXiaomiSerial), kXiaomiSerial);

  const json* s3 = r.device(kS3UsbSerial);
  ASSERT_NE(s3, nullptr) << doc.dump(2);
  EXPECT_EQ(r.claim("mtp", "manufacturer", kS3UsbSerial), "SAMSUNG Electronics Co. Ltd.");
  EXPECT_EQ(r.claim("mtp", "x_mtp_device_version", kS3UsbSerial), "V1.0");
  EXPECT_EQ(r.claim("mtp", "model", kS3UsbSerial), "GT-I9300");
  EXPECT_EQ(r.claim("mtp", "serial", kS3UsbSerial), kS3Imei);
  EXPECT_EQ(claim_with_method(kS3UsbSerial, "imei"),
            std::string(kS3Imei) +
                " | mtp: GetDeviceInfo SerialNumber (15 digits, Luhn-valid: read as the IMEI, as "
                "older Samsung phones report it)");
  const json* f = dfx::testing::find_finding(*s3, "imei_from_mtp_serial");
  ASSERT_NE(f, nullptr) << s3->dump(2);
  EXPECT_EQ((*f)["plugin"], "mtp");

  const json* imei = identifier(*s3, "imei", kS3Imei);
  ASSERT_NE(imei, nullptr) << s3->dump(2);
  EXPECT_EQ((*imei)["kind"], "imei");
  EXPECT_EQ((*imei)["valid"], true);
  EXPECT_EQ((*imei)["verdict"], "flagged");
  ASSERT_EQ((*imei)["hits"].size(), 1u) << imei->dump(2);
  EXPECT_EQ((*imei)["hits"][0]["status"], "stolen");
  EXPECT_EQ((*imei)["hits"][0]["reporting_party"], "Greater Manchester Police");
  EXPECT_EQ((*imei)["hits"][0]["reference"], "GMP-25-0914-77");
  EXPECT_EQ((*imei)["hits"][0]["reported_at"], "2025-09-14");
  EXPECT_EQ((*imei)["registers"][0]["outcome"], "hit");
  EXPECT_EQ((*s3)["verdict"], "flagged") << "the IMEI read from MTP flags the phone";
  EXPECT_NE((*galaxy)["verdict"], "flagged");
}

TEST_F(LabMtp, HostilePhonesEndInAnErrorForThemAloneAndAGoodPhoneIsReadInFull) {
  std::vector<fs::path> handsets = {kSamples / "xiaomi-redmi-mtp.json"};
  const std::vector<std::string> hostile = {
      "mtp-endless",           "mtp-garbage", "mtp-bad-dataset-string",
      "mtp-bad-dataset-array", "mtp-silent",  "mtp-wrong-transaction-id",
      "mtp-error-response"};
  for (const auto& h : hostile) handsets.push_back(kHostile / (h + ".json"));
  const auto r = scan(handsets, {"--no-registers", "--probe-timeout", "30000"});
  ASSERT_EQ(r.exit_status, 3) << "exit 3: some devices could not be read\n" << r.log;
  const json& doc = r.report;
  ASSERT_EQ(doc["devices"].size(), hostile.size() + 1) << doc.dump(2);
  std::map<std::string, std::string> errors;
  for (const auto& d : doc["devices"]) {
    const std::string serial = d["serial_number"].get<std::string>();
    const json* p = r.probe("mtp", serial);
    ASSERT_NE(p, nullptr) << d.dump();
    if (serial == kXiaomiSerial) {
      EXPECT_EQ((*p)["status"], "ok") << "the good phone is read in full: " << p->dump();
      EXPECT_EQ(r.claim("mtp", "serial", serial), kXiaomiSerial);
      EXPECT_EQ(r.claim("mtp", "model", serial), "Redmi Note 8 Pro");
      continue;
    }
    SCOPED_TRACE(d["serial_number"].dump());
    EXPECT_EQ((*p)["status"], "error") << p->dump();
    EXPECT_EQ((*p)["code"], "plugin_error")
        << "the plugin ended it, not the host's deadline: " << p->dump();
    // A generous bound, far below the 30 s probe timeout: the plugin gives up on its own.
    EXPECT_LT((*p)["duration_ms"].get<double>(), 15000.0) << p->dump();
    EXPECT_TRUE((*p)["claims"].empty()) << "nothing is claimed from a broken answer";
    errors[serial] = (*p)["error"].get<std::string>();
    EXPECT_EQ(r.probe("usb-generic", serial)->at("status"), "ok") << "other plugins still read it";
  }
  // Each error says what was wrong (serials MTPHOSTILE01.. in the order of `hostile`).
  EXPECT_NE(errors["MTPHOSTILE01"].find("announces 4294967268 bytes"), std::string::npos)
      << errors["MTPHOSTILE01"];
  EXPECT_NE(errors["MTPHOSTILE02"].find("container"), std::string::npos) << errors["MTPHOSTILE02"];
  EXPECT_NE(errors["MTPHOSTILE03"].find("Manufacturer at offset"), std::string::npos)
      << errors["MTPHOSTILE03"];
  EXPECT_NE(errors["MTPHOSTILE04"].find("OperationsSupported at offset"), std::string::npos)
      << errors["MTPHOSTILE04"];
  EXPECT_NE(errors["MTPHOSTILE05"].find("waiting for the data phase"), std::string::npos)
      << errors["MTPHOSTILE05"];
  EXPECT_NE(errors["MTPHOSTILE06"].find("transaction id 1"), std::string::npos)
      << errors["MTPHOSTILE06"];
  EXPECT_NE(errors["MTPHOSTILE07"].find("DeviceBusy (0x2019)"), std::string::npos)
      << errors["MTPHOSTILE07"];
}

TEST_F(LabMtp, AospsUnknownSerialIsNotClaimedAndAFindingSaysWhy) {
  const auto r = scan({kHostile / "mtp-aosp-unknown-serial.json"}, {"--no-registers"});
  ASSERT_EQ(r.exit_status, 6) << "read completely, nothing checked\n" << r.log;
  const json* d = r.device("MTPUNKNOWNSN");
  ASSERT_NE(d, nullptr) << r.report.dump(2);
  EXPECT_EQ((*r.probe("mtp", "MTPUNKNOWNSN"))["status"], "ok");
  EXPECT_EQ(r.claim("mtp", "model", "MTPUNKNOWNSN"), "Redmi Note 8 Pro");
  EXPECT_FALSE(r.find_claim("mtp", "serial", "MTPUNKNOWNSN"))
      << "\"????????\" is not a serial number";
  EXPECT_FALSE(r.find_claim("mtp", "imei", "MTPUNKNOWNSN"));
  const json* f = dfx::testing::find_finding(*d, "mtp_serial_unavailable");
  ASSERT_NE(f, nullptr) << d->dump(2);
  EXPECT_NE((*f)["message"].get<std::string>().find("Build.SERIAL"), std::string::npos);
}

}  // namespace
